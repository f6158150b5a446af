using BenchmarkDotNet.Attributes;
using Wt = global::Wasmtime;

namespace WasmKit.Benchmarks;

/// <summary>
/// Instantiating an already compiled module, each time into a fresh <see cref="Store"/> as a host
/// running one short-lived instance per request would. memory.wasm: a 1-page memory plus a data
/// segment; compute.wasm: 19 pages (clang's static buffers and stack). Every benchmark disposes its store
/// (the Wasmtime ones must; the managed ones must too since memories are native reservations), so the
/// figures include the release.
/// </summary>
[MemoryDiagnoser]
public class InstantiateBenchmarks
{
    private readonly Engine _engine = new();
    private Linker _linker = null!;
    private Module _memoryModule = null!;
    private Module _computeModule = null!;
    private Wt.Engine? _wasmtimeEngine;
    private Wt.Linker? _wasmtimeLinker;
    private Wt.Module? _wasmtimeMemoryModule;
    private Wt.Module? _wasmtimeComputeModule;

    [GlobalSetup(Targets = [nameof(InstantiateMemory), nameof(InstantiateCompute), nameof(GrowPageByPage)])]
    public void Setup()
    {
        _linker = new Linker(_engine);
        _memoryModule = Fixtures.Load(_engine, "memory.wasm");
        _computeModule = Fixtures.Load(_engine, "compute.wasm");
    }

    /// <summary>
    /// Wasmtime with its default (on-demand) allocator: each store maps a fresh reservation for its memory.
    /// Wasmtime stores hold native resources, so each benchmark disposes its store (part of the measured cost).
    /// </summary>
    [GlobalSetup(Targets = [nameof(WasmtimeInstantiateMemory), nameof(WasmtimeInstantiateCompute), nameof(WasmtimeGrowPageByPage)])]
    public void SetupWasmtime() => SetupWasmtimeEngine(new Wt.Config());

    /// <summary>Wasmtime with the pooling allocator: memories and instances come from slots reserved up front.</summary>
    [GlobalSetup(Targets = [nameof(WasmtimePooledInstantiateMemory), nameof(WasmtimePooledInstantiateCompute)])]
    public void SetupWasmtimePooled()
    {
        const uint slots = 16;
        using var pooling = new Wt.PoolingAllocationConfig()
            .WithMaxCoreInstances(slots)
            .WithMaxMemories(slots)
            .WithMaxTables(slots)
            // compute.wasm needs 19 pages; 64 pages per slot leaves room.
            .WithMaxMemorySize(64 * 65536);
        SetupWasmtimeEngine(new Wt.Config().WithPoolingAllocationStrategy(pooling));
    }

    [GlobalCleanup(Targets = [nameof(WasmtimeInstantiateMemory), nameof(WasmtimeInstantiateCompute), nameof(WasmtimePooledInstantiateMemory), nameof(WasmtimePooledInstantiateCompute), nameof(WasmtimeGrowPageByPage)])]
    public void CleanupWasmtime()
    {
        _wasmtimeMemoryModule?.Dispose();
        _wasmtimeComputeModule?.Dispose();
        _wasmtimeLinker?.Dispose();
        _wasmtimeEngine?.Dispose();
    }

    private void SetupWasmtimeEngine(Wt.Config config)
    {
        using (config) _wasmtimeEngine = new Wt.Engine(config);
        _wasmtimeLinker = new Wt.Linker(_wasmtimeEngine);
        _wasmtimeMemoryModule = Wt.Module.FromBytes(_wasmtimeEngine, "memory", Fixtures.Read("memory.wasm"));
        _wasmtimeComputeModule = Wt.Module.FromBytes(_wasmtimeEngine, "compute", Fixtures.Read("compute.wasm"));
    }

    /// <summary>For reference: the part of each instantiation below that is not the instance.</summary>
    [Benchmark]
    public Store NewStore() => new(_engine);

    [Benchmark]
    public void InstantiateMemory() => Instantiate(_memoryModule);

    [Benchmark]
    public void InstantiateCompute() => Instantiate(_computeModule);

    // Each memory is a native address-space reservation: a store left to the finalizer keeps it mapped, and a
    // benchmark loop of undisposed stores runs out of mappings (vm.max_map_count) before the finalizers catch up.
    private void Instantiate(Module module)
    {
        using var store = new Store(_engine);
        _linker.Instantiate(store, module);
    }

    [Benchmark]
    public void WasmtimeInstantiateMemory() => WasmtimeInstantiate(_wasmtimeMemoryModule!);

    [Benchmark]
    public void WasmtimeInstantiateCompute() => WasmtimeInstantiate(_wasmtimeComputeModule!);

    [Benchmark]
    public void WasmtimePooledInstantiateMemory() => WasmtimeInstantiate(_wasmtimeMemoryModule!);

    [Benchmark]
    public void WasmtimePooledInstantiateCompute() => WasmtimeInstantiate(_wasmtimeComputeModule!);

    /// <summary>
    /// A fresh store's 1-page memory grown to 64 pages one page at a time, as allocators in guests grow
    /// it (memory.grow 1 per step), then the store disposed. Growth is in place (no copy); a fresh store
    /// reuses a released reservation, so its pages need no new mapping.
    /// </summary>
    [Benchmark]
    public void GrowPageByPage()
    {
        using var store = new Store(_engine);
        var memory = new Memory(store, 1);
        for (int page = 1; page < GrownPages; page++) memory.Grow(1);
    }

    [Benchmark]
    public void WasmtimeGrowPageByPage()
    {
        using var store = new Wt.Store(_wasmtimeEngine!);
        var memory = new Wt.Memory(store, 1);
        for (int page = 1; page < GrownPages; page++) memory.Grow(1);
    }

    private const int GrownPages = 64;

    private void WasmtimeInstantiate(Wt.Module module)
    {
        using var store = new Wt.Store(_wasmtimeEngine!);
        _wasmtimeLinker!.Instantiate(store, module);
    }
}
