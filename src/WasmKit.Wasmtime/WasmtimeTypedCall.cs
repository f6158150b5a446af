using System.Reflection;
using System.Runtime.CompilerServices;
using Wt = global::Wasmtime;

namespace WasmKit.Wasmtime;

/// <summary>
/// One export of one Wasmtime instance bound as a typed delegate (Wasmtime's typed calls neither box nor
/// allocate), called with raw 64-bit slots. Made per instance and export on first use (and again after a
/// reset, which replaces the instance); the closed generic type is chosen once per export
/// (<see cref="FactoryFor"/>), so binding takes no reflection.
/// </summary>
internal abstract class WasmtimeTypedCall
{
    /// <summary>The most parameters a typed call with a result takes (Wasmtime's typed functions go further; the seam's UDFs do not need more).</summary>
    public const int MaximumParameters = 8;

    /// <summary>The most parameters a typed call without a result takes (Wasmtime's typed actions stop there).</summary>
    public const int MaximumActionParameters = 4;

    /// <summary>Calls the export; returns the result's bits (0 without a result).</summary>
    public abstract ulong Call(ReadOnlySpan<ulong> arguments);

    /// <summary>Calls the export with any number of results.</summary>
    public virtual void Call(ReadOnlySpan<ulong> arguments, Span<ulong> results)
    {
        ulong result = Call(arguments);
        if (results.Length == 1) results[0] = result;
    }

    /// <summary>
    /// A factory binding the export on an instance, for a type with at most one result and only numbers;
    /// null when no typed call fits (the invoker then takes Wasmtime's untyped path).
    /// </summary>
    public static Func<Wt.Instance, string, WasmtimeTypedCall?>? FactoryFor(FunctionType type)
    {
        if (type.Results.Length > 1) return null;
        foreach (var kind in type.Parameters.Concat(type.Results))
            if (ClrTypeOf(kind) is null) return null;
        int count = type.Parameters.Length;
        bool hasResult = type.Results.Length == 1;
        if (count > (hasResult ? MaximumParameters : MaximumActionParameters)) return null;
        var genericArguments = type.Parameters.Concat(type.Results).Select(k => ClrTypeOf(k)!).ToArray();
        var definition = typeof(WasmtimeTypedCall).GetNestedType(
            (hasResult ? "Func" : "Action") + count + (genericArguments.Length > 0 ? "`" + genericArguments.Length : ""), BindingFlags.NonPublic)!;
        var closed = genericArguments.Length == 0 ? definition : definition.MakeGenericType(genericArguments);
        var bind = closed.GetMethod("Bind", BindingFlags.Public | BindingFlags.Static)!;
        return bind.CreateDelegate<Func<Wt.Instance, string, WasmtimeTypedCall?>>();
    }

    /// <summary>The CLR type of a number kind; null for vectors and references.</summary>
    internal static Type? ClrTypeOf(ValueKind kind) => kind switch
    {
        ValueKind.Int32 => typeof(int),
        ValueKind.Int64 => typeof(long),
        ValueKind.Float32 => typeof(float),
        ValueKind.Float64 => typeof(double),
        _ => null,
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static T From<T>(ulong bits)
    {
        if (typeof(T) == typeof(int)) { int v = (int)bits; return Unsafe.As<int, T>(ref v); }
        if (typeof(T) == typeof(long)) { long v = (long)bits; return Unsafe.As<long, T>(ref v); }
        if (typeof(T) == typeof(float)) { float v = BitConverter.Int32BitsToSingle((int)bits); return Unsafe.As<float, T>(ref v); }
        double d = BitConverter.Int64BitsToDouble((long)bits);
        return Unsafe.As<double, T>(ref d);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong To<T>(T value)
    {
        if (typeof(T) == typeof(int)) return (uint)Unsafe.As<T, int>(ref value);
        if (typeof(T) == typeof(long)) return (ulong)Unsafe.As<T, long>(ref value);
        if (typeof(T) == typeof(float)) return (uint)BitConverter.SingleToInt32Bits(Unsafe.As<T, float>(ref value));
        return (ulong)BitConverter.DoubleToInt64Bits(Unsafe.As<T, double>(ref value));
    }

    private sealed class Func0<TR>(Func<TR?> f) : WasmtimeTypedCall
    {
        private readonly Func<TR?> _f = f;

        public static WasmtimeTypedCall? Bind(Wt.Instance instance, string name) =>
            instance.GetFunction<TR>(name) is { } f ? new Func0<TR>(f) : null;

        public override ulong Call(ReadOnlySpan<ulong> a) => To<TR>(_f()!);
    }

    private sealed class Func1<TA, TR>(Func<TA, TR?> f) : WasmtimeTypedCall
    {
        private readonly Func<TA, TR?> _f = f;

        public static WasmtimeTypedCall? Bind(Wt.Instance instance, string name) =>
            instance.GetFunction<TA, TR>(name) is { } f ? new Func1<TA, TR>(f) : null;

        public override ulong Call(ReadOnlySpan<ulong> a) => To<TR>(_f(From<TA>(a[0]))!);
    }

    private sealed class Func2<TA, TB, TR>(Func<TA, TB, TR?> f) : WasmtimeTypedCall
    {
        private readonly Func<TA, TB, TR?> _f = f;

        public static WasmtimeTypedCall? Bind(Wt.Instance instance, string name) =>
            instance.GetFunction<TA, TB, TR>(name) is { } f ? new Func2<TA, TB, TR>(f) : null;

        public override ulong Call(ReadOnlySpan<ulong> a) => To<TR>(_f(From<TA>(a[0]), From<TB>(a[1]))!);
    }

    private sealed class Func3<TA, TB, TC, TR>(Func<TA, TB, TC, TR?> f) : WasmtimeTypedCall
    {
        private readonly Func<TA, TB, TC, TR?> _f = f;

        public static WasmtimeTypedCall? Bind(Wt.Instance instance, string name) =>
            instance.GetFunction<TA, TB, TC, TR>(name) is { } f ? new Func3<TA, TB, TC, TR>(f) : null;

        public override ulong Call(ReadOnlySpan<ulong> a) => To<TR>(_f(From<TA>(a[0]), From<TB>(a[1]), From<TC>(a[2]))!);
    }

    private sealed class Func4<TA, TB, TC, TD, TR>(Func<TA, TB, TC, TD, TR?> f) : WasmtimeTypedCall
    {
        private readonly Func<TA, TB, TC, TD, TR?> _f = f;

        public static WasmtimeTypedCall? Bind(Wt.Instance instance, string name) =>
            instance.GetFunction<TA, TB, TC, TD, TR>(name) is { } f ? new Func4<TA, TB, TC, TD, TR>(f) : null;

        public override ulong Call(ReadOnlySpan<ulong> a) => To<TR>(_f(From<TA>(a[0]), From<TB>(a[1]), From<TC>(a[2]), From<TD>(a[3]))!);
    }

    private sealed class Func5<TA, TB, TC, TD, TE, TR>(Func<TA, TB, TC, TD, TE, TR?> f) : WasmtimeTypedCall
    {
        private readonly Func<TA, TB, TC, TD, TE, TR?> _f = f;

        public static WasmtimeTypedCall? Bind(Wt.Instance instance, string name) =>
            instance.GetFunction<TA, TB, TC, TD, TE, TR>(name) is { } f ? new Func5<TA, TB, TC, TD, TE, TR>(f) : null;

        public override ulong Call(ReadOnlySpan<ulong> a) => To<TR>(_f(From<TA>(a[0]), From<TB>(a[1]), From<TC>(a[2]), From<TD>(a[3]), From<TE>(a[4]))!);
    }

    private sealed class Func6<TA, TB, TC, TD, TE, TF, TR>(Func<TA, TB, TC, TD, TE, TF, TR?> f) : WasmtimeTypedCall
    {
        private readonly Func<TA, TB, TC, TD, TE, TF, TR?> _f = f;

        public static WasmtimeTypedCall? Bind(Wt.Instance instance, string name) =>
            instance.GetFunction<TA, TB, TC, TD, TE, TF, TR>(name) is { } f ? new Func6<TA, TB, TC, TD, TE, TF, TR>(f) : null;

        public override ulong Call(ReadOnlySpan<ulong> a) => To<TR>(_f(From<TA>(a[0]), From<TB>(a[1]), From<TC>(a[2]), From<TD>(a[3]), From<TE>(a[4]), From<TF>(a[5]))!);
    }

    private sealed class Func7<TA, TB, TC, TD, TE, TF, TG, TR>(Func<TA, TB, TC, TD, TE, TF, TG, TR?> f) : WasmtimeTypedCall
    {
        private readonly Func<TA, TB, TC, TD, TE, TF, TG, TR?> _f = f;

        public static WasmtimeTypedCall? Bind(Wt.Instance instance, string name) =>
            instance.GetFunction<TA, TB, TC, TD, TE, TF, TG, TR>(name) is { } f ? new Func7<TA, TB, TC, TD, TE, TF, TG, TR>(f) : null;

        public override ulong Call(ReadOnlySpan<ulong> a) => To<TR>(_f(From<TA>(a[0]), From<TB>(a[1]), From<TC>(a[2]), From<TD>(a[3]), From<TE>(a[4]), From<TF>(a[5]), From<TG>(a[6]))!);
    }

    private sealed class Func8<TA, TB, TC, TD, TE, TF, TG, TH, TR>(Func<TA, TB, TC, TD, TE, TF, TG, TH, TR?> f) : WasmtimeTypedCall
    {
        private readonly Func<TA, TB, TC, TD, TE, TF, TG, TH, TR?> _f = f;

        public static WasmtimeTypedCall? Bind(Wt.Instance instance, string name) =>
            instance.GetFunction<TA, TB, TC, TD, TE, TF, TG, TH, TR>(name) is { } f ? new Func8<TA, TB, TC, TD, TE, TF, TG, TH, TR>(f) : null;

        public override ulong Call(ReadOnlySpan<ulong> a) => To<TR>(_f(From<TA>(a[0]), From<TB>(a[1]), From<TC>(a[2]), From<TD>(a[3]), From<TE>(a[4]), From<TF>(a[5]), From<TG>(a[6]), From<TH>(a[7]))!);
    }

    private sealed class Action0(Action f) : WasmtimeTypedCall
    {
        private readonly Action _f = f;

        public static WasmtimeTypedCall? Bind(Wt.Instance instance, string name) =>
            instance.GetAction(name) is { } f ? new Action0(f) : null;

        public override ulong Call(ReadOnlySpan<ulong> a)
        {
            _f();
            return 0;
        }
    }

    private sealed class Action1<TA>(Action<TA> f) : WasmtimeTypedCall
    {
        private readonly Action<TA> _f = f;

        public static WasmtimeTypedCall? Bind(Wt.Instance instance, string name) =>
            instance.GetAction<TA>(name) is { } f ? new Action1<TA>(f) : null;

        public override ulong Call(ReadOnlySpan<ulong> a)
        {
            _f(From<TA>(a[0]));
            return 0;
        }
    }

    private sealed class Action2<TA, TB>(Action<TA, TB> f) : WasmtimeTypedCall
    {
        private readonly Action<TA, TB> _f = f;

        public static WasmtimeTypedCall? Bind(Wt.Instance instance, string name) =>
            instance.GetAction<TA, TB>(name) is { } f ? new Action2<TA, TB>(f) : null;

        public override ulong Call(ReadOnlySpan<ulong> a)
        {
            _f(From<TA>(a[0]), From<TB>(a[1]));
            return 0;
        }
    }

    private sealed class Action3<TA, TB, TC>(Action<TA, TB, TC> f) : WasmtimeTypedCall
    {
        private readonly Action<TA, TB, TC> _f = f;

        public static WasmtimeTypedCall? Bind(Wt.Instance instance, string name) =>
            instance.GetAction<TA, TB, TC>(name) is { } f ? new Action3<TA, TB, TC>(f) : null;

        public override ulong Call(ReadOnlySpan<ulong> a)
        {
            _f(From<TA>(a[0]), From<TB>(a[1]), From<TC>(a[2]));
            return 0;
        }
    }

    private sealed class Action4<TA, TB, TC, TD>(Action<TA, TB, TC, TD> f) : WasmtimeTypedCall
    {
        private readonly Action<TA, TB, TC, TD> _f = f;

        public static WasmtimeTypedCall? Bind(Wt.Instance instance, string name) =>
            instance.GetAction<TA, TB, TC, TD>(name) is { } f ? new Action4<TA, TB, TC, TD>(f) : null;

        public override ulong Call(ReadOnlySpan<ulong> a)
        {
            _f(From<TA>(a[0]), From<TB>(a[1]), From<TC>(a[2]), From<TD>(a[3]));
            return 0;
        }
    }
}
