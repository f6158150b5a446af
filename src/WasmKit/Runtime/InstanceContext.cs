using WasmKit.Wasi;

namespace WasmKit.Runtime;

/// <summary>
/// The per-instance state that compiled code reaches through its last parameter. Compiled code is
/// shared by every instance of a module; everything that differs between instances lives here.
/// Fields, not properties, because the generated IL loads them directly.
/// </summary>
internal sealed class InstanceContext
{
    public InstanceContext(Store store)
    {
        Store = store;
        State = store.State;
    }

    public readonly Store Store;

    /// <summary>The store's stack guard, checked at every function entry.</summary>
    public readonly ExecutionState State;

    /// <summary>Memory 0, the only memory in WebAssembly 2.0; null when the module has none.</summary>
    public Memory? Memory0;

    public Memory[] Memories = [];

    public Table[] Tables = [];

    public Global[] Globals = [];

    /// <summary>The whole function index space: imports first, then the module's own functions.</summary>
    public Function[] Functions = [];

    /// <summary>
    /// What a direct <c>call</c> of imported function i calls: the import itself, or for a host
    /// function a copy bound to this instance, so that the host learns its caller without the
    /// calling code storing it first.
    /// </summary>
    public Function[] ImportCalls = [];

    /// <summary>Data segments for <c>memory.init</c>; a dropped segment is empty.</summary>
    public ReadOnlyMemory<byte>[] DataSegments = [];

    /// <summary>Evaluated element segments for <c>table.init</c>; a dropped segment is empty.</summary>
    public object?[][] ElementSegments = [];

    /// <summary>For a host function's context: the function whose callback the stub calls.</summary>
    public Function? HostFunction;

    /// <summary>For a host function bound to an importing instance: that instance's context.</summary>
    public InstanceContext? BoundCaller;

    /// <summary>For a typed host function's context: the delegate its stub calls.</summary>
    public Delegate? HostDelegate;

    /// <summary>The instance this context belongs to, null for host functions.</summary>
    public Instance? Instance;

    /// <summary>
    /// For a host function's context: the instance that called it. A bound import knows it; a call
    /// through a table or from another instance's code recorded it in <see cref="ExecutionState.Caller"/>.
    /// </summary>
    public InstanceContext? CallingContext => BoundCaller ?? State.Caller;

    /// <summary>A copy of this host function context that reports <paramref name="caller"/> as its caller.</summary>
    public InstanceContext BindCaller(InstanceContext caller) => new(Store)
    {
        HostFunction = HostFunction,
        HostDelegate = HostDelegate,
        BoundCaller = caller,
    };

    /// <summary>
    /// Called by every entry from the host into guest code when an exception unwinds it: a trap, or an
    /// exception from a host function the guest called, which stops the guest half way just as a trap does,
    /// so the instance is marked trapped (reset or discarded before reuse); the caller then rethrows it.
    /// A WASI <c>proc_exit</c> is the guest's own normal end, not a fault. The runtime's refusal to compile
    /// generated code (a last line of defence behind the <see cref="ImplementationLimits"/>) is thrown
    /// here as a <see cref="WasmImplementationLimitException"/> instead. Exception first: generated code has it on the IL stack.
    /// </summary>
    public static void HandleGuestException(Exception error, InstanceContext context)
    {
        if (error is WasiExitException) return;
        context.Instance?.MarkTrapped();
        if (error is InvalidProgramException or TypeLoadException or BadImageFormatException)
            throw new WasmImplementationLimitException($"a call into module '{context.Instance?.Module.Name ?? "?"}'", error);
    }
}
