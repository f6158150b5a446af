using System.Linq.Expressions;
using System.Reflection;

namespace WasmKit.Udf;

/// <summary>
/// Calls a typed export delegate (from <see cref="Instance.GetFunction{T1, TResult}"/> and friends) with arguments taken
/// from raw 64-bit slots, and returns the single result as raw bits. One compiled invoker serves every instance
/// of a UDF, so a call neither boxes nor allocates.
/// </summary>
internal sealed class UdfInvoker
{
    // The typed Instance.GetFunction/GetAction overloads go up to this many parameters.
    private const int MaxTypedParameters = 8;

    private readonly MethodInfo _lookup;
    private readonly Func<Delegate, ulong[], ulong> _invoke;

    private UdfInvoker(MethodInfo lookup, Func<Delegate, ulong[], ulong> invoke)
    {
        _lookup = lookup;
        _invoke = invoke;
    }

    /// <summary>An invoker for the signature, or <see langword="null"/> when it needs the untyped path (many parameters or results).</summary>
    public static UdfInvoker? TryCreate(FunctionType signature)
    {
        if (signature.Parameters.Length > MaxTypedParameters || signature.Results.Length > 1) return null;
        var clrParameters = signature.Parameters.Select(ClrType).ToArray();
        Type? clrResult = signature.Results.Length == 1 ? ClrType(signature.Results[0]) : null;
        var typeArguments = clrResult is null ? clrParameters : [.. clrParameters, clrResult];
        string lookupName = clrResult is null ? nameof(Instance.GetAction) : nameof(Instance.GetFunction);
        var definition = typeof(Instance).GetMethods()
            .Single(m => m.Name == lookupName && m.IsGenericMethodDefinition == (typeArguments.Length > 0) &&
                (m.IsGenericMethodDefinition ? m.GetGenericArguments().Length : 0) == typeArguments.Length);
        var lookup = typeArguments.Length > 0 ? definition.MakeGenericMethod(typeArguments) : definition;
        var delegateType = lookup.ReturnType;

        var function = Expression.Parameter(typeof(Delegate), "function");
        var slots = Expression.Parameter(typeof(ulong[]), "slots");
        var arguments = new Expression[clrParameters.Length];
        for (int i = 0; i < arguments.Length; i++)
            arguments[i] = FromBits(Expression.ArrayIndex(slots, Expression.Constant(i)), signature.Parameters[i]);
        Expression call = Expression.Invoke(Expression.Convert(function, delegateType), arguments);
        Expression body = clrResult is null
            ? Expression.Block(call, Expression.Constant(0UL))
            : ToBits(call, signature.Results[0]);
        var invoke = Expression.Lambda<Func<Delegate, ulong[], ulong>>(body, function, slots).Compile();
        return new UdfInvoker(lookup, invoke);
    }

    /// <summary>The typed delegate of an export in one instance (looked up once per instance).</summary>
    public Delegate Resolve(Instance instance, string export) =>
        (Delegate?)_lookup.Invoke(instance, [export]) ?? throw new InvalidOperationException($"Export '{export}' is missing.");

    public ulong Invoke(Delegate function, ulong[] slots) => _invoke(function, slots);

    internal static Type ClrType(ValueKind kind) => kind switch
    {
        ValueKind.Int32 => typeof(int),
        ValueKind.Int64 => typeof(long),
        ValueKind.Float32 => typeof(float),
        ValueKind.Float64 => typeof(double),
        _ => throw new NotSupportedException($"{kind} values cannot be UDF arguments."),
    };

    private static Expression FromBits(Expression bits, ValueKind kind) => kind switch
    {
        ValueKind.Int32 => Expression.Convert(bits, typeof(int)),
        ValueKind.Int64 => Expression.Convert(bits, typeof(long)),
        ValueKind.Float32 => Expression.Call(typeof(BitConverter), nameof(BitConverter.Int32BitsToSingle), null, Expression.Convert(bits, typeof(int))),
        ValueKind.Float64 => Expression.Call(typeof(BitConverter), nameof(BitConverter.Int64BitsToDouble), null, Expression.Convert(bits, typeof(long))),
        _ => throw new NotSupportedException(),
    };

    private static Expression ToBits(Expression value, ValueKind kind) => kind switch
    {
        ValueKind.Int32 => Expression.Convert(Expression.Convert(value, typeof(uint)), typeof(ulong)),
        ValueKind.Int64 => Expression.Convert(value, typeof(ulong)),
        ValueKind.Float32 => Expression.Convert(Expression.Convert(
            Expression.Call(typeof(BitConverter), nameof(BitConverter.SingleToInt32Bits), null, value), typeof(uint)), typeof(ulong)),
        ValueKind.Float64 => Expression.Convert(
            Expression.Call(typeof(BitConverter), nameof(BitConverter.DoubleToInt64Bits), null, value), typeof(ulong)),
        _ => throw new NotSupportedException(),
    };

    /// <summary>Boxes a raw slot for the untyped <see cref="Function.Invoke(object?[])"/> path.</summary>
    internal static object Box(ulong bits, ValueKind kind) => kind switch
    {
        // Each arm boxes its own type (without the casts the arms would share the type double).
        ValueKind.Int32 => (object)(int)bits,
        ValueKind.Int64 => (object)(long)bits,
        ValueKind.Float32 => (object)BitConverter.Int32BitsToSingle((int)bits),
        ValueKind.Float64 => (object)BitConverter.Int64BitsToDouble((long)bits),
        _ => throw new NotSupportedException(),
    };

    /// <summary>The raw bits of a boxed WebAssembly result.</summary>
    internal static ulong Unbox(object? value) => value switch
    {
        int v => (uint)v,
        long v => (ulong)v,
        float v => (uint)BitConverter.SingleToInt32Bits(v),
        double v => (ulong)BitConverter.DoubleToInt64Bits(v),
        _ => throw new InvalidOperationException($"Unexpected WebAssembly result {value?.GetType().Name ?? "null"}."),
    };
}
