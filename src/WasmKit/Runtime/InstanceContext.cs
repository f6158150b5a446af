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

    /// <summary>Marks the owning instance as trapped; called by generated host entries.</summary>
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

    public static void MarkTrapped(InstanceContext context) => context.Instance?.MarkTrapped();
}
