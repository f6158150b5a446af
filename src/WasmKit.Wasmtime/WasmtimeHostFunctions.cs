using WasmKit.Backends;
using WasmKit.Execution;
using Wt = global::Wasmtime;

namespace WasmKit.Wasmtime;

/// <summary>
/// Binds the seam's host function definitions (e.g. the "wasmkit" document functions) onto a Wasmtime
/// linker: a synchronous body of numbers with up to 8 parameters as a typed callback (<see cref="TypedHostFunctions"/>),
/// anything else as an untyped Wasmtime callback that converts the values to slots on the stack and calls the
/// body with the calling instance's host state and memory (asynchronous bodies block until their task completes).
/// </summary>
internal static class WasmtimeHostFunctions
{
    private const int StackSlots = 16;

    public static void Define(Wt.Linker linker, HostFunctionDefinition definition)
    {
        var type = definition.Type;
        foreach (var kind in type.Parameters.Concat(type.Results))
        {
            if (kind is not (ValueKind.Int32 or ValueKind.Int64 or ValueKind.Float32 or ValueKind.Float64))
                throw new NotSupportedException($"Host function {definition}: {kind} values do not fit the seam's 64-bit slots.");
        }
        var parameters = type.Parameters.ToArray();
        var resultKinds = type.Results.ToArray();
        var sync = definition.Implementation;
        var async = definition.AsyncImplementation;
        // An asynchronous body is bound like a synchronous one that blocks until its task completes (AsyncHostCalls).
        if (TypedHostFunctions.TryDefine(linker, definition, sync ?? AsyncHostCalls.Blocking(async!))) return;
        linker.DefineFunction(definition.ModuleName, definition.Name,
            (Wt.Caller caller, ReadOnlySpan<Wt.ValueBox> arguments, Span<Wt.ValueBox> results) =>
            {
                var instance = caller.GetData() as WasmtimeInstance
                    ?? throw new InvalidOperationException("A WasmKit host function was called from a store the Wasmtime backend did not make.");
                int total = arguments.Length + results.Length;
                Span<ulong> slots = total <= StackSlots ? stackalloc ulong[StackSlots] : new ulong[total];
                var argumentSlots = slots[..arguments.Length];
                var resultSlots = slots.Slice(arguments.Length, results.Length);
                for (int i = 0; i < arguments.Length; i++) argumentSlots[i] = ToSlot(arguments[i], parameters[i]);
                if (sync is not null)
                {
                    sync(instance.CallContext(caller), argumentSlots, resultSlots);
                }
                else
                {
                    // Wasmtime's .NET API has no asynchronous calls: the guest's thread waits for the task (the documented contract).
                    AsyncHostCalls.Wait(async!, instance.HostState, argumentSlots, resultSlots);
                }
                for (int i = 0; i < results.Length; i++) results[i] = UntypedCall.Box(resultSlots[i], resultKinds[i]);
            },
            parameters.Select(WasmtimeTypes.ToWasmtime).ToArray(), resultKinds.Select(WasmtimeTypes.ToWasmtime).ToArray());
    }

    private static ulong ToSlot(Wt.ValueBox value, ValueKind kind) => kind switch
    {
        ValueKind.Int32 => (uint)value.AsInt32(),
        ValueKind.Int64 => (ulong)value.AsInt64(),
        ValueKind.Float32 => (uint)BitConverter.SingleToInt32Bits(value.AsSingle()),
        _ => (ulong)BitConverter.DoubleToInt64Bits(value.AsDouble()),
    };
}
