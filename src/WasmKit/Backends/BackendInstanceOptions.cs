namespace WasmKit.Backends;

/// <summary>
/// How an <see cref="IBackendModule"/> instantiates: the imports it links, the limits of the new store and
/// the product layer's per-instance host state. Make one per pool and pass it to every
/// <see cref="IBackendModule.Instantiate"/>.
/// </summary>
public sealed class BackendInstanceOptions
{
    /// <summary>What the host offers the guest's imports (shared; backends cache linking per <see cref="BackendImports"/> object).</summary>
    public BackendImports Imports { get; init; } = BackendImports.None;

    /// <summary>The most pages each memory of the instance may grow to; null for the module's own maximum (and the engine's cap).</summary>
    public uint? MaximumMemoryPages { get; init; }

    /// <summary>The fuel the instance starts with (the start function runs under it), when the backend consumes fuel; null for unlimited.</summary>
    public long? InitialFuel { get; init; }

    /// <summary>
    /// Makes the instance's host state (<see cref="IBackendInstance.HostState"/>, e.g. a <c>DocumentContext</c>),
    /// called once per instance before the start function runs, with the new store's budgets: the product
    /// layer may set fuel or arm a deadline for the start function here.
    /// </summary>
    public Func<IExecutionBudget, object?>? CreateHostState { get; init; }

    /// <summary>The managed engine's full store limits (tables, stack), set by the pool's managed constructor; they take precedence over <see cref="MaximumMemoryPages"/>.</summary>
    internal StoreLimits? ManagedStoreLimits { get; init; }

    /// <summary>Called after each instantiation attempt, whether it succeeded or not, with the host state (e.g. to end the start function's deadline).</summary>
    public Action<object?>? InstantiationFinished { get; init; }
}
