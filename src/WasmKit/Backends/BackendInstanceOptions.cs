using WasmKit.Wasi;

namespace WasmKit.Backends;

/// <summary>
/// How an <see cref="IBackendModule"/> instantiates: the host functions and WASI it links, the limits of
/// the new store, and the product layer's per-instance host state. Make one per pool (or registry) and
/// pass it to every <see cref="IBackendModule.Instantiate"/>: a backend may cache its linking work per
/// options object, so do not change what the options' lists hold afterwards.
/// </summary>
public sealed class BackendInstanceOptions
{
    /// <summary>The host functions defined for the guest's imports; each backend binds them its own way (or uses a specialization it knows).</summary>
    public IReadOnlyList<HostFunctionDefinition> HostFunctions { get; init; } = [];

    /// <summary>
    /// WASI preview 1 for the guest (<c>wasi_snapshot_preview1</c>), or <see langword="null"/> for none. Each
    /// backend uses its own WASI implementation; where one lacks a limit of <see cref="WasiConfiguration"/>,
    /// its documentation says so. The managed backend makes one program state per options object, shared by
    /// the instances made with it (as one linker defining WASI would).
    /// </summary>
    public WasiConfiguration? Wasi { get; init; }

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

    /// <summary>Called after each instantiation attempt, whether it succeeded or not, with the host state (e.g. to end the start function's deadline).</summary>
    public Action<object?>? InstantiationFinished { get; init; }

    /// <summary>
    /// A backend-specific hook, called once per options object with the backend's native linker (the managed
    /// backend passes its <see cref="Linker"/>; another backend its own linker type) after the host functions
    /// and WASI are defined. Code using it is tied to that backend; it exists so that applications relying on
    /// a native linker (e.g. <c>UdfRegistryOptions.ConfigureLinker</c>) keep working.
    /// </summary>
    public Action<object>? ConfigureNativeLinker { get; init; }
}
