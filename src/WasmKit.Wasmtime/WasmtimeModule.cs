using System.Collections.Concurrent;
using WasmKit.Backends;
using WasmKit.Wasmtime.Reset;
using Wt = global::Wasmtime;

namespace WasmKit.Wasmtime;

/// <summary>
/// A module compiled by Wasmtime behind the backend seam. Thread-safe. Dispose it (or its backend) to free
/// the compiled code once no instance of it lives.
/// </summary>
public sealed class WasmtimeModule : IBackendModule, IDisposable
{
    private readonly ConcurrentDictionary<string, WasmtimeExportInvoker?> _invokers = new(StringComparer.Ordinal);
    private readonly object _invokerGate = new();
    private WasmtimeExportInvoker[] _invokerList = [];
    private int _invokerCount;

    internal WasmtimeModule(WasmtimeBackend backend, Wt.Module native, string name, string contentHash, MemoryType[] memories, bool instrumented)
    {
        WasmtimeBackend = backend;
        Native = native;
        Name = name;
        ContentHash = contentHash;
        Imports = native.Imports.Select(WasmtimeTypes.Import).OfType<ImportDescriptor>().ToArray();
        var exports = native.Exports.Select(WasmtimeTypes.Export).OfType<ExportDescriptor>().ToArray();
        Instrumented = instrumented;
        // The instrumentation's exports are the backend's, not the module's.
        Exports = instrumented ? exports.Where(e => !ResetInstrumentation.IsReserved(e.Name)).ToArray() : exports;
        Memories = memories;
    }

    /// <summary>Whether the module was instrumented for resets in place (<see cref="ResetInstrumentation"/>).</summary>
    internal bool Instrumented { get; }

    /// <summary>The backend that compiled the module.</summary>
    public WasmtimeBackend WasmtimeBackend { get; }

    /// <summary>Wasmtime's module.</summary>
    internal Wt.Module Native { get; }

    /// <inheritdoc />
    public IWasmBackend Backend => WasmtimeBackend;

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public string ContentHash { get; }

    /// <inheritdoc />
    public IReadOnlyList<ImportDescriptor> Imports { get; }

    /// <inheritdoc />
    public IReadOnlyList<ExportDescriptor> Exports { get; }

    /// <inheritdoc />
    public IReadOnlyList<MemoryType> Memories { get; }

    /// <inheritdoc />
    public ExportInvoker? GetInvoker(string export)
    {
        ArgumentNullException.ThrowIfNull(export);
        return _invokers.GetOrAdd(export, static (name, module) => module.CreateInvoker(name), this);
    }

    private WasmtimeExportInvoker? CreateInvoker(string name)
    {
        var export = Exports.FirstOrDefault(e => e.Kind == ExternalKind.Function && e.Name == name);
        if (export is null) return null;
        lock (_invokerGate)
        {
            // GetOrAdd may run this twice for one name; the loser is bound too, which costs little.
            var invoker = new WasmtimeExportInvoker(this, name, (FunctionType)export.Type, _invokerCount++);
            _invokerList = [.. _invokerList, invoker];
            return invoker;
        }
    }

    /// <summary>The invokers made so far: a new or reset instance binds them all up front, so calls never bind (nor allocate).</summary>
    internal WasmtimeExportInvoker[] Invokers => Volatile.Read(ref _invokerList);

    /// <summary>How many invokers were made: the size each instance's table of bound calls needs.</summary>
    internal int InvokerCount => Volatile.Read(ref _invokerList).Length;

    /// <inheritdoc />
    public IReadOnlyList<ImportDescriptor> FindUnresolvedImports(BackendImports imports)
    {
        ArgumentNullException.ThrowIfNull(imports);
        var linked = WasmtimeBackend.Link(imports);
        return Imports.Where(i => !linked.Resolves(i)).ToArray();
    }

    /// <inheritdoc />
    public IBackendInstance Instantiate(BackendInstanceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new WasmtimeInstance(this, WasmtimeBackend.Link(options.Imports), options);
    }

    /// <summary>Frees the compiled code; instances made from the module must be disposed first.</summary>
    public void Dispose()
    {
        WasmtimeBackend.Forget(this);
        Native.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({ContentHash[..12]}, wasmtime)";
}
