using Wt = global::Wasmtime;

namespace WasmKit.Wasmtime;

/// <summary>
/// An export whose signature no typed call covers (several results, many parameters, vectors or references),
/// called through Wasmtime's untyped path: it boxes, so it allocates per call.
/// </summary>
internal sealed class UntypedCall : WasmtimeTypedCall
{
    private readonly Wt.Function _function;
    private readonly FunctionType _type;

    private UntypedCall(Wt.Function function, FunctionType type)
    {
        _function = function;
        _type = type;
    }

    public static WasmtimeTypedCall? Bind(Wt.Instance instance, string name, FunctionType type) =>
        instance.GetFunction(name) is { } function ? new UntypedCall(function, type) : null;

    public override ulong Call(ReadOnlySpan<ulong> arguments)
    {
        Span<ulong> result = stackalloc ulong[1];
        Call(arguments, _type.Results.Length == 0 ? [] : result);
        return _type.Results.Length == 0 ? 0 : result[0];
    }

    public override void Call(ReadOnlySpan<ulong> arguments, Span<ulong> results)
    {
        var boxes = new Wt.ValueBox[arguments.Length];
        for (int i = 0; i < boxes.Length; i++) boxes[i] = Box(arguments[i], _type.Parameters[i]);
        object? returned = _function.Invoke(boxes);
        if (results.Length == 1) results[0] = Unbox(returned);
        else if (results.Length > 1 && returned is object?[] all)
            for (int i = 0; i < results.Length; i++) results[i] = Unbox(all[i]);
    }

    internal static Wt.ValueBox Box(ulong bits, ValueKind kind) => kind switch
    {
        ValueKind.Int32 => (int)bits,
        ValueKind.Int64 => (long)bits,
        ValueKind.Float32 => BitConverter.Int32BitsToSingle((int)bits),
        ValueKind.Float64 => BitConverter.Int64BitsToDouble((long)bits),
        _ => throw new NotSupportedException($"{kind} values do not fit the seam's 64-bit slots."),
    };

    private static ulong Unbox(object? value) => value switch
    {
        int v => (uint)v,
        long v => (ulong)v,
        float v => (uint)BitConverter.SingleToInt32Bits(v),
        double v => (ulong)BitConverter.DoubleToInt64Bits(v),
        _ => throw new NotSupportedException($"The value {value?.GetType().Name ?? "null"} does not fit a 64-bit slot."),
    };
}
