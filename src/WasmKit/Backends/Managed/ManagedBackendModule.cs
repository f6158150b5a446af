using System.Collections.Concurrent;

namespace WasmKit.Backends.Managed;

/// <summary>A module of the managed engine behind the backend seam (one per <see cref="WasmKit.Module"/>).</summary>
public sealed class ManagedBackendModule : IBackendModule
{
    private readonly ConcurrentDictionary<string, ExportInvoker?> _invokers = new(StringComparer.Ordinal);

    internal ManagedBackendModule(Module module)
    {
        Module = module;
        var definition = module.Definition;
        Memories = definition.ImportsOf(ExternalKind.Memory).Select(i => i.Memory).Concat(definition.Memories).ToArray();
    }

    /// <summary>The engine's module.</summary>
    public Module Module { get; }

    /// <summary>The backend of the module's engine.</summary>
    public ManagedBackend ManagedBackend => Module.Engine.Backend;

    /// <inheritdoc />
    public IWasmBackend Backend => Module.Engine.Backend;

    /// <inheritdoc />
    public string Name => Module.Name;

    /// <inheritdoc />
    public string ContentHash => Module.ContentHash;

    /// <inheritdoc />
    public IReadOnlyList<ImportDescriptor> Imports => Module.Imports;

    /// <inheritdoc />
    public IReadOnlyList<ExportDescriptor> Exports => Module.Exports;

    /// <inheritdoc />
    public IReadOnlyList<MemoryType> Memories { get; }

    /// <inheritdoc />
    public ExportInvoker? GetInvoker(string export)
    {
        ArgumentNullException.ThrowIfNull(export);
        return _invokers.GetOrAdd(export, static (name, module) => ManagedExportInvoker.TryCreate(module, name), this);
    }

    /// <inheritdoc />
    public IReadOnlyList<ImportDescriptor> FindUnresolvedImports(BackendImports imports)
    {
        var linker = ManagedBackend.GetLinker(imports);
        return Module.Imports.Where(i => !linker.IsDefined(i.ModuleName, i.Name)).ToArray();
    }

    /// <inheritdoc />
    public IBackendInstance Instantiate(BackendInstanceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var backend = ManagedBackend;
        var linked = backend.Link(options.Imports);
        var limits = options.ManagedStoreLimits
            ?? (options.MaximumMemoryPages is uint pages ? new StoreLimits { MaxMemoryPages = pages } : null);
        var store = new Store(Module.Engine, limits);
        var instance = new ManagedBackendInstance(this, store);
        object? state = null;
        try
        {
            // The start function runs during instantiation, so it needs its fuel already; no limit means all there is.
            if (backend.Capabilities.SupportsFuel) store.Fuel = options.InitialFuel ?? long.MaxValue;
            // Its own WASI state, before the start function (which may call WASI); the instance disposes it.
            if (linked.Wasi is { } wasi) store.Wasi = wasi.Create();
            if (options.CreateHostState is { } create) store.Data = state = create(instance);
            instance.Attach(linked.Linker.Instantiate(store, Module));
        }
        catch
        {
            instance.Dispose();
            throw;
        }
        finally
        {
            options.InstantiationFinished?.Invoke(state);
        }
        return instance;
    }

    /// <inheritdoc />
    public override string ToString() => Module.ToString();
}
