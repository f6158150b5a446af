using System.Runtime.CompilerServices;
using WasmKit.Wasi;

namespace WasmKit.Backends.Managed;

/// <summary>
/// WasmKit's own engine (decode, validate, compile each function to IL) behind the backend seam: the
/// default backend of the component loader, the instance pool and the UDF registry. One per
/// <see cref="WasmKit.Engine"/> (<see cref="For"/>), so that modules compiled by one engine share it.
/// </summary>
/// <remarks>
/// It keeps the engine's fast paths behind the seam: host functions with a <see cref="ManagedHostEntry"/>
/// specialization are reached by the guest directly, export calls go through a generated method per
/// export (no boxing, no allocation), and a reset copies back only the memory pages written since the
/// last one. Asynchronous host functions are met by blocking the calling thread until their task completes.
/// </remarks>
public sealed class ManagedBackend : IWasmBackend
{
    /// <summary>The managed backend's <see cref="Name"/>: "managed".</summary>
    public const string BackendName = "managed";

    // Linking work per imports object: a linker with the host functions, WASI and the native hook applied.
    private readonly ConditionalWeakTable<BackendImports, ManagedLinkedImports> _linked = new();
    private readonly object _linkerGate = new();

    internal ManagedBackend(Engine engine)
    {
        Engine = engine;
        var options = engine.Options;
        Capabilities = new BackendCapabilities
        {
            SupportsFuel = options.ConsumeFuel,
            SupportsInterruption = options.Interruptible,
            SupportsReset = options.ResettableInstances,
            MaximumMemoryPages = Memory.ImplementationMaximumPages,
        };
        ConfigurationKey = $"{BackendName}/fuel={(options.ConsumeFuel ? 1 : 0)},interrupt={(options.Interruptible ? 1 : 0)},reset={(options.ResettableInstances ? 1 : 0)}";
    }

    /// <summary>The backend of an engine (the same object for every call with the same engine).</summary>
    /// <param name="engine">The engine.</param>
    /// <returns>Its backend.</returns>
    public static ManagedBackend For(Engine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        return engine.Backend;
    }

    /// <summary>A backend on a new engine configured for pooled, limited guests: resettable instances, fuel and interruption.</summary>
    /// <returns>The backend; its <see cref="Engine"/> is new.</returns>
    public static ManagedBackend Create() =>
        For(new Engine(new EngineOptions { ResettableInstances = true, ConsumeFuel = true, Interruptible = true }));

    /// <summary>The engine behind this backend.</summary>
    public Engine Engine { get; }

    /// <inheritdoc />
    public string Name => BackendName;

    /// <inheritdoc />
    public BackendCapabilities Capabilities { get; }

    /// <inheritdoc />
    public string ConfigurationKey { get; }

    /// <inheritdoc />
    public IBackendModule Compile(ReadOnlySpan<byte> bytes, string? name = null) => Module.FromBytes(Engine, bytes, name).BackendModule;

    /// <summary>The seam's view of a module compiled by this backend's engine (the same object for every call with the same module).</summary>
    /// <param name="module">The module.</param>
    /// <returns>The backend module.</returns>
    /// <exception cref="ArgumentException">The module was compiled by another engine.</exception>
    public ManagedBackendModule Wrap(Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        if (!ReferenceEquals(module.Engine, Engine)) throw new ArgumentException($"Module '{module.Name}' was compiled by another engine.", nameof(module));
        return module.BackendModule;
    }

    /// <summary>
    /// The linker this backend instantiates with for <paramref name="imports"/>, built on first use: the host
    /// functions (their <see cref="ManagedHostEntry"/> specialization when they have one), WASI, then
    /// <see cref="BackendImports.ConfigureNativeLinker"/>.
    /// </summary>
    /// <remarks>
    /// Its WASI functions act on the WASI state of the calling store, which <see cref="IBackendModule.Instantiate"/>
    /// gives each instance; an instance made with this linker directly has none, and its WASI calls throw
    /// <see cref="InvalidOperationException"/>.
    /// </remarks>
    /// <param name="imports">The imports.</param>
    /// <returns>The linker; do not define more on it while instances are being made with it.</returns>
    /// <exception cref="ArgumentException"><see cref="BackendImports.Wasi"/> is invalid (see <see cref="WasiContext(WasiConfiguration)"/>).</exception>
    public Linker GetLinker(BackendImports imports) => Link(imports).Linker;

    /// <summary>The linking work for <paramref name="imports"/>, done on first use.</summary>
    internal ManagedLinkedImports Link(BackendImports imports)
    {
        ArgumentNullException.ThrowIfNull(imports);
        if (_linked.TryGetValue(imports, out var linked)) return linked;
        lock (_linkerGate)
        {
            if (_linked.TryGetValue(imports, out linked)) return linked;
            var linker = new Linker(Engine);
            foreach (var definition in imports.HostFunctions) ManagedHostFunctions.Define(linker, definition);
            WasiContextFactory? wasi = null;
            if (imports.Wasi is { } configuration)
            {
                // Checked before anything is defined, so a bad configuration fails here; each instance's state comes from it.
                wasi = new WasiContextFactory(configuration);
                WasiContext.DefineIn(linker, bound: null);
            }
            imports.ConfigureNativeLinker?.Invoke(linker);
            linked = new ManagedLinkedImports(linker, wasi);
            _linked.Add(imports, linked);
            return linked;
        }
    }

    /// <summary>Makes <paramref name="linker"/> the one used for <paramref name="imports"/> (the pool's managed constructor, which is given a linker).</summary>
    internal void UseLinker(BackendImports imports, Linker linker)
    {
        lock (_linkerGate) _linked.AddOrUpdate(imports, new ManagedLinkedImports(linker, Wasi: null));
    }

    /// <inheritdoc />
    public override string ToString() => ConfigurationKey;
}
