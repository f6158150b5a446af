using BenchmarkDotNet.Attributes;

namespace WasmKit.Benchmarks;

/// <summary>
/// Instantiating an already compiled module, each time into a fresh <see cref="Store"/> as a host
/// running one short-lived instance per request would. memory.wasm: a 1-page memory plus a data
/// segment; compute.wasm: 19 pages (clang's static buffers and stack).
/// </summary>
[MemoryDiagnoser]
public class InstantiateBenchmarks
{
    private readonly Engine _engine = new();
    private Linker _linker = null!;
    private Module _memoryModule = null!;
    private Module _computeModule = null!;

    [GlobalSetup(Targets = [nameof(InstantiateMemory), nameof(InstantiateCompute)])]
    public void Setup()
    {
        _linker = new Linker(_engine);
        _memoryModule = Fixtures.Load(_engine, "memory.wasm");
        _computeModule = Fixtures.Load(_engine, "compute.wasm");
    }

    /// <summary>For reference: the part of each instantiation below that is not the instance.</summary>
    [Benchmark]
    public Store NewStore() => new(_engine);

    [Benchmark]
    public Instance InstantiateMemory() => _linker.Instantiate(new Store(_engine), _memoryModule);

    [Benchmark]
    public Instance InstantiateCompute() => _linker.Instantiate(new Store(_engine), _computeModule);
}
