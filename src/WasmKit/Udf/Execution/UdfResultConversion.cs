using System.Runtime.CompilerServices;

namespace WasmKit.Udf;

/// <summary>UdfValue to a typed result; the type tests fold away per instantiation, so there is no boxing.</summary>
internal static class UdfResultConversion
{
    public static bool Supports(Type resultType, UdfType? declared) => declared switch
    {
        _ when resultType == typeof(UdfValue) => true,
        _ when resultType == typeof(object) => true,
        UdfType.Bool => resultType == typeof(bool),
        UdfType.I32 => resultType == typeof(int) || resultType == typeof(long) || resultType == typeof(double),
        UdfType.I64 => resultType == typeof(long),
        UdfType.F32 => resultType == typeof(float) || resultType == typeof(double),
        UdfType.F64 => resultType == typeof(double),
        UdfType.String => resultType == typeof(string),
        _ => false,
    };

    /// <summary>
    /// The typed result straight from the raw bits when <typeparamref name="TResult"/> is the declared
    /// primitive type (the common case); <see langword="false"/> for strings and widening conversions.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryFromBits<TResult>(ulong bits, UdfType declared, out TResult result)
    {
        result = default!;
        if (typeof(TResult) == typeof(bool) && declared == UdfType.Bool) { bool v = (uint)bits != 0; result = Unsafe.As<bool, TResult>(ref v); return true; }
        if (typeof(TResult) == typeof(double) && declared == UdfType.F64) { double v = BitConverter.Int64BitsToDouble((long)bits); result = Unsafe.As<double, TResult>(ref v); return true; }
        if (typeof(TResult) == typeof(int) && declared == UdfType.I32) { int v = (int)bits; result = Unsafe.As<int, TResult>(ref v); return true; }
        if (typeof(TResult) == typeof(long) && declared == UdfType.I64) { long v = (long)bits; result = Unsafe.As<long, TResult>(ref v); return true; }
        if (typeof(TResult) == typeof(float) && declared == UdfType.F32) { float v = BitConverter.Int32BitsToSingle((int)bits); result = Unsafe.As<float, TResult>(ref v); return true; }
        return false;
    }

    public static TResult To<TResult>(UdfValue value)
    {
        if (typeof(TResult) == typeof(bool)) { bool v = value.AsBoolean(); return Unsafe.As<bool, TResult>(ref v); }
        if (typeof(TResult) == typeof(double))
        {
            double v = value.Type switch
            {
                UdfType.F32 => value.AsSingle(),
                UdfType.I32 => value.AsInt32(),
                _ => value.AsDouble(),
            };
            return Unsafe.As<double, TResult>(ref v);
        }
        if (typeof(TResult) == typeof(int)) { int v = value.AsInt32(); return Unsafe.As<int, TResult>(ref v); }
        if (typeof(TResult) == typeof(long))
        {
            long v = value.Type == UdfType.I32 ? value.AsInt32() : value.AsInt64();
            return Unsafe.As<long, TResult>(ref v);
        }
        if (typeof(TResult) == typeof(float)) { float v = value.AsSingle(); return Unsafe.As<float, TResult>(ref v); }
        if (typeof(TResult) == typeof(UdfValue)) return Unsafe.As<UdfValue, TResult>(ref value);
        if (typeof(TResult) == typeof(string)) return (TResult)(object)value.AsString();
        return (TResult)value.ToObject()!;
    }
}
