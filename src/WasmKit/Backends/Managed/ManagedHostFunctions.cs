using WasmKit.Execution;
using WasmKit.Runtime;

namespace WasmKit.Backends.Managed;

/// <summary>Binds the seam's host function definitions onto the managed engine's <see cref="Linker"/>.</summary>
internal static class ManagedHostFunctions
{
    /// <summary>
    /// Defines one host function: its <see cref="ManagedHostEntry"/> specialization as a direct entry when it has
    /// one; else the body through a slot stub (no allocation per call) or, for signatures the stubs do not
    /// cover, through boxed values. An asynchronous body blocks the guest's thread until its task completes
    /// (<see cref="AsyncHostCalls"/>: no synchronization context, the call's cancellation token).
    /// </summary>
    public static void Define(Linker linker, HostFunctionDefinition definition)
    {
        var type = definition.Type;
        if (definition.GetSpecialization(ManagedBackend.BackendName) is ManagedHostEntry entry)
        {
            linker.DefineEntry(definition.ModuleName, definition.Name, type, entry.FunctionPointer);
            return;
        }
        // An asynchronous body runs through the same stub as a synchronous one, blocking until its task completes.
        var implementation = definition.Implementation ?? AsyncHostCalls.Blocking(definition.AsyncImplementation!);
        if (StubFor(type) is { } stub)
        {
            linker.DefineStub(definition.ModuleName, definition.Name, type, implementation, stub);
            return;
        }
        linker.DefineFunction(definition.ModuleName, definition.Name, type, Boxed(definition));
    }

    /// <summary>The slot stub for a signature of numbers with at most one result; null when none fits.</summary>
    private static nint? StubFor(FunctionType type)
    {
        if (type.Parameters.Length > SlotHostStubs.MaximumParameters || type.Results.Length > 1) return null;
        var clrTypes = new List<Type>();
        foreach (var kind in type.Parameters.Concat(type.Results))
        {
            if (kind is not (ValueKind.Int32 or ValueKind.Int64 or ValueKind.Float32 or ValueKind.Float64)) return null;
            clrTypes.Add(ValueConversion.ClrType(kind));
        }
        var definition = SlotHostStubs.Definition(type.Parameters.Length, type.Results.Length == 1);
        var method = clrTypes.Count == 0 ? definition : definition.MakeGenericMethod([.. clrTypes]);
        return method.MethodHandle.GetFunctionPointer();
    }

    /// <summary>The general path: values boxed by the engine, converted to slots for the body.</summary>
    private static HostFunctionCallback Boxed(HostFunctionDefinition definition)
    {
        var type = definition.Type;
        foreach (var kind in type.Parameters.Concat(type.Results))
        {
            if (kind is not (ValueKind.Int32 or ValueKind.Int64 or ValueKind.Float32 or ValueKind.Float64))
                throw new NotSupportedException($"Host function {definition}: {kind} values do not fit the seam's 64-bit slots.");
        }
        var sync = definition.Implementation;
        var async = definition.AsyncImplementation;
        return (caller, arguments, results) =>
        {
            var slots = new ulong[arguments.Length];
            for (int i = 0; i < slots.Length; i++) slots[i] = ManagedExportInvoker.Unbox(arguments[i]);
            var resultSlots = new ulong[results.Length];
            if (sync is not null)
            {
                sync(new HostCallContext(caller.Store.Data, caller.Memory), slots, resultSlots);
            }
            else
            {
                // The managed engine cannot suspend guest code: the calling thread waits for the task (the documented contract).
                AsyncHostCalls.Wait(async!, caller.Store.Data, slots, resultSlots);
            }
            for (int i = 0; i < results.Length; i++) results[i] = ManagedExportInvoker.Box(resultSlots[i], type.Results[i]);
        };
    }
}
