using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using WasmKit.Backends;
using WasmKit.Wasmtime.Reset;
using Wt = global::Wasmtime;

namespace WasmKit.Wasmtime;

/// <summary>
/// Wasmtime (native code compiled by Cranelift) behind WasmKit's backend seam: the component loader, the
/// instance pool and the UDF registry run on it unchanged. One <see cref="Wt.Engine"/> per backend, with
/// fuel, epoch interruption (one ticker thread, started with the first store) and, by default, the pooling allocator. Dispose it after the
/// registries, pools and loaders that use it.
/// </summary>
/// <remarks>
/// Calls are synchronous: Wasmtime's .NET API has no asynchronous calls, so the seam's async contract is met
/// by blocking (an asynchronous host function blocks the guest's thread until its task completes;
/// <see cref="ExportInvoker.InvokeAsync"/> runs the call on the calling thread with the token as interrupt).
/// Every Wasmtime object is disposed deterministically: stores (and an instance's own linker) by their
/// instance's <c>Dispose</c> (which pools and registries call when they trim or close), shared linkers and
/// modules with the backend. Modules are instrumented at compile time so that their instances can be reset in
/// place (<see cref="WasmtimeBackendOptions.ResetInPlace"/>).
/// </remarks>
public sealed class WasmtimeBackend : IWasmBackend, IDisposable
{
    /// <summary>The backend's <see cref="Name"/>: "wasmtime".</summary>
    public const string BackendName = "wasmtime";

    /// <summary>The most pages a memory may have on this backend: 32767, the most a <see cref="Span{T}"/> over guest memory covers.</summary>
    public const uint MaximumHostVisibleMemoryPages = 32767;

    private readonly ConditionalWeakTable<BackendImports, WasmtimeLinkedImports> _linked = new();
    private readonly object _linkGate = new();
    private readonly ConcurrentDictionary<WasmtimeModule, byte> _modules = new();
    private readonly object _tickerGate = new();
    private EpochTicker? _ticker;
    private readonly ModuleCache? _cache;
    private int _liveStores;
    private int _disposed;

    /// <summary>Creates a backend with its own Wasmtime engine.</summary>
    /// <param name="options">The engine's configuration, or <see langword="null"/> for the defaults.</param>
    public WasmtimeBackend(WasmtimeBackendOptions? options = null)
    {
        options ??= new WasmtimeBackendOptions();
        Options = options;
        using var config = new Wt.Config()
            .WithFuelConsumption(options.ConsumeFuel)
            .WithEpochInterruption(options.Interruptible)
            // Memories grow in place (within their reservation, 4 GiB for 32-bit memories): host functions keep their base address.
            .WithMemoryMayMove(false);
        if (options.MaximumStackBytes is int stack) config.WithMaximumStackSize(stack);
        if (options.UsePoolingAllocator)
        {
            using var pooling = new Wt.PoolingAllocationConfig()
                .WithMaxCoreInstances((uint)options.PoolingMaximumInstances)
                .WithMaxMemories((uint)options.PoolingMaximumInstances)
                .WithMaxTables((uint)options.PoolingMaximumInstances)
                .WithMaxMemorySize((nuint)((ulong)options.PoolingMaximumMemoryPages * 65536))
                .WithMaxTableElements((nuint)options.PoolingMaximumTableElements)
                .WithLinearMemoryKeepResidentBytes((nuint)options.PoolingKeepResidentBytes)
                .WithTableKeepResidentBytes((nuint)Math.Min(options.PoolingKeepResidentBytes, 64 * 1024));
            config.WithPoolingAllocationStrategy(pooling);
        }
        Engine = new Wt.Engine(config);
        Capabilities = new BackendCapabilities
        {
            SupportsFuel = options.ConsumeFuel,
            SupportsInterruption = options.Interruptible,
            SupportsReset = true,
            // Host functions see guest memory as a Span<byte> (HostCallContext), which ends at 2 GiB: the same cap as the managed engine's.
            MaximumMemoryPages = Math.Min(options.UsePoolingAllocator ? options.PoolingMaximumMemoryPages : 65536u, MaximumHostVisibleMemoryPages),
        };
        string version = typeof(Wt.Engine).Assembly.GetName().Version?.ToString() ?? "unknown";
        ConfigurationKey = $"{BackendName}/{version}/{RuntimeInformation.OSArchitecture}/fuel={(options.ConsumeFuel ? 1 : 0)}," +
            $"epoch={(options.Interruptible ? 1 : 0)},pooling={(options.UsePoolingAllocator ? options.PoolingMaximumMemoryPages : 0)}," +
            $"stack={options.MaximumStackBytes?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "default"}" +
            // The instrumentation's version: a cached module compiled from another rewrite is not reused.
            (options.ResetInPlace ? ",reset=inplace1" : "");
        try
        {
            if (options.CompileCacheDirectory is { } directory) _cache = new ModuleCache(directory, ConfigurationKey);
        }
        catch
        {
            Engine.Dispose();
            throw;
        }
    }

    /// <summary>The configuration the backend was created with.</summary>
    public WasmtimeBackendOptions Options { get; }

    /// <summary>Wasmtime's engine.</summary>
    internal Wt.Engine Engine { get; }

    /// <inheritdoc />
    public string Name => BackendName;

    /// <inheritdoc />
    public BackendCapabilities Capabilities { get; }

    /// <inheritdoc />
    public string ConfigurationKey { get; }

    /// <summary>How many Wasmtime stores (one per live instance) exist: what disposal of pools and registries brings back to zero.</summary>
    public int LiveStoreCount => Volatile.Read(ref _liveStores);

    /// <summary>Modules the compile cache supplied; 0 without a cache.</summary>
    public long CompileCacheHits => _cache?.Hits ?? 0;

    /// <summary>Modules compiled while a compile cache was configured (no entry, or a corrupt or mismatched one).</summary>
    public long CompileCacheMisses => _cache?.Misses ?? 0;

    /// <inheritdoc />
    public IBackendModule Compile(ReadOnlySpan<byte> bytes, string? name = null) => CompileModule(bytes, name);

    /// <summary>Compiles a module (or loads it from the compile cache).</summary>
    /// <param name="bytes">The module in the binary format.</param>
    /// <param name="name">The module's name, or null for one derived from its hash.</param>
    /// <returns>The module.</returns>
    /// <exception cref="WasmFormatException">The bytes are not a well-formed module.</exception>
    /// <exception cref="WasmValidationException">The module is invalid.</exception>
    public WasmtimeModule CompileModule(ReadOnlySpan<byte> bytes, string? name = null)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        string hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        name ??= "module-" + hash[..12];
        Wt.Module native;
        bool isInstrumented;
        try
        {
            byte[]? instrumented = Options.ResetInPlace ? ResetInstrumentation.TryRewrite(bytes, out _) : null;
            if (_cache is null)
            {
                native = CompileNative(instrumented, bytes, name);
            }
            else
            {
                byte[] copy = bytes.ToArray();
                string moduleName = name;
                native = _cache.Load(Engine, hash, name, () => CompileNative(instrumented, copy, moduleName));
            }
            // The rewriter refuses modules that export its names themselves, so these exports are its own.
            isInstrumented = instrumented is not null && native.Exports.Any(e => e.Name == ResetInstrumentation.ResetExport);
        }
        catch (Wt.WasmtimeException error)
        {
            throw WasmtimeErrors.Compilation(error);
        }
        var module = new WasmtimeModule(this, native, name, hash, MemorySectionReader.Read(bytes), isInstrumented);
        _modules.TryAdd(module, 0);
        return module;
    }

    /// <summary>
    /// Compiles the module instrumented for resets in place when there is an instrumented copy, otherwise as
    /// it is. When Wasmtime refuses the instrumented copy (e.g. the original is invalid, or the added locals pass
    /// a limit), the original is compiled, so its errors are the ones reported.
    /// </summary>
    private Wt.Module CompileNative(byte[]? instrumented, ReadOnlySpan<byte> bytes, string name)
    {
        if (instrumented is not null)
        {
            try
            {
                return Wt.Module.FromBytes(Engine, name, instrumented);
            }
            catch (Wt.WasmtimeException)
            {
                // Fall through to the original.
            }
        }
        return Wt.Module.FromBytes(Engine, name, bytes);
    }

    /// <summary>The linker and WASI bridge for an imports object, made on first use.</summary>
    internal WasmtimeLinkedImports Link(BackendImports imports)
    {
        ArgumentNullException.ThrowIfNull(imports);
        if (_linked.TryGetValue(imports, out var linked)) return linked;
        lock (_linkGate)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            if (_linked.TryGetValue(imports, out linked)) return linked;
            linked = new WasmtimeLinkedImports(Engine, imports);
            _linked.Add(imports, linked);
            return linked;
        }
    }

    internal void StoreCreated()
    {
        Interlocked.Increment(ref _liveStores);
        // The ticker starts with the first store: a backend that never runs guest code (e.g. one made by a
        // configuration callback and then dropped) holds no thread.
        if (Options.Interruptible && Volatile.Read(ref _ticker) is null) StartTicker();
    }

    private void StartTicker()
    {
        lock (_tickerGate)
        {
            if (_ticker is null && Volatile.Read(ref _disposed) == 0) Volatile.Write(ref _ticker, new EpochTicker(Engine, Options.EpochInterval));
        }
    }

    internal void StoreDisposed() => Interlocked.Decrement(ref _liveStores);

    internal void Forget(WasmtimeModule module) => _modules.TryRemove(module, out _);

    /// <summary>Stops the epoch ticker and frees the linkers, the modules and the engine. Dispose instances (pools, registries) first.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        lock (_tickerGate) _ticker?.Dispose();
        lock (_linkGate)
        {
            foreach (var (_, linked) in _linked) linked.Dispose();
            _linked.Clear();
        }
        foreach (var module in _modules.Keys) module.Dispose();
        Engine.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => ConfigurationKey;
}
