using System.Text.Json;
using BenchmarkDotNet.Attributes;
using WasmKit.Components;
using WasmKit.Udf;
using WasmKit.Wasmtime;

namespace WasmKit.Benchmarks;

/// <summary>
/// Filtering 10,000 documents (fixtures/udf/documents.json repeated) with path_compare(price &lt; 1000):
/// one pooled instance for the whole batch, string arguments written once, vs the same filter in C#, on JsonElements
/// and on <see cref="IndexedDocument"/>s (indexed once, outside the measurement, as a host would at ingest).
/// </summary>
[MemoryDiagnoser]
// A batch takes milliseconds, so the default 3 warm-up runs leave the evaluation loop in
// not-yet-optimised tiers (measured: 1.8x slower); 30 reach steady state.
[WarmupCount(30)]
public class UdfBatchBenchmarks
{
    private const int Documents = 10_000;

    private UdfRegistry _registry = null!;
    private UdfFunction<bool> _typed = null!;
    private WasmtimeBackend? _wasmtimeBackend;
    private JsonElement[] _documents = null!;
    private IndexedDocument[] _indexed = null!;
    private readonly Dictionary<string, object?> _arguments = new() { ["path"] = "price", ["op"] = "<", ["value"] = 1000.0 };

    [GlobalSetup(Targets = [nameof(CSharpFilter), nameof(RegistryFilter), nameof(TypedHandleFilter), nameof(CSharpFilterIndexed), nameof(TypedHandleFilterIndexed)])]
    public void Setup() => SetupOn(null);

    /// <summary>The same registry on a <see cref="WasmtimeBackend"/> with its default options (fuel, epochs, pooling allocator).</summary>
    [GlobalSetup(Targets = [nameof(WasmtimeRegistryFilter), nameof(WasmtimeTypedHandleFilter), nameof(WasmtimeTypedHandleFilterIndexed)])]
    public void SetupWasmtime()
    {
        _wasmtimeBackend = new WasmtimeBackend();
        SetupOn(_wasmtimeBackend);
    }

    private void SetupOn(WasmtimeBackend? backend)
    {
        var products = UdfBenchmarkSupport.Products();
        _documents = Enumerable.Range(0, Documents).Select(i => products[i % products.Length]).ToArray();
        var indexedProducts = products.Select(IndexedDocument.Create).ToArray();
        _indexed = Enumerable.Range(0, Documents).Select(i => indexedProducts[i % products.Length]).ToArray();
        _registry = backend is null ? new UdfRegistry() : new UdfRegistry(new UdfRegistryOptions { Backend = backend });
        var loader = backend is null ? new ComponentLoader(_registry.Engine) : new ComponentLoader(backend);
        _registry.Register(loader.LoadFile(UdfBenchmarkSupport.UdfFixture("json_filter.wasm")));
        _typed = _registry.GetFunction<bool>("path_compare", "1.0.0", _arguments);
        if (RegistryFilter() != CSharpFilter() || TypedHandleFilterIndexed() != CSharpFilterIndexed()) throw new InvalidOperationException("UDF and C# disagree.");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _registry.Dispose();
        _wasmtimeBackend?.Dispose();
    }

    [Benchmark(Baseline = true)]
    public int CSharpFilter()
    {
        int kept = 0;
        foreach (var document in _documents)
        {
            if (document.TryGetProperty("price", out var price) && price.ValueKind == JsonValueKind.Number && price.GetDouble() < 1000) kept++;
        }
        return kept;
    }

    [Benchmark]
    public int RegistryFilter() => _registry.Filter("path_compare", "1.0.0", _documents, _arguments).Count;

    [Benchmark]
    public int TypedHandleFilter() => _typed.Filter(_documents).Count;

    /// <summary>The same filter in C# over the indexed documents.</summary>
    [Benchmark]
    public int CSharpFilterIndexed()
    {
        int kept = 0;
        foreach (var document in _indexed)
        {
            if (document.TryGetDouble("price", out double price) == DocumentStatus.Ok && price < 1000) kept++;
        }
        return kept;
    }

    [Benchmark]
    public int TypedHandleFilterIndexed() => _typed.Filter(_indexed).Count;

    [Benchmark]
    public int WasmtimeRegistryFilter() => RegistryFilter();

    [Benchmark]
    public int WasmtimeTypedHandleFilter() => TypedHandleFilter();

    [Benchmark]
    public int WasmtimeTypedHandleFilterIndexed() => TypedHandleFilterIndexed();
}
