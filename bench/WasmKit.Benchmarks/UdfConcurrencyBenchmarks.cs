using System.Runtime.CompilerServices;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using WasmKit.Components;
using WasmKit.Udf;
using WasmKit.Wasmtime;

namespace WasmKit.Benchmarks;

/// <summary>
/// Throughput with 64 threads calling the registry at once: each of 64 threads makes <see cref="CallsPerTask"/>
/// single-document calls through a shared typed handle (pool capped at 2 x cores, so tasks wait for instances).
/// Reported per call (starting the 64 threads is included, spread over 64,000 calls). Baseline: the same 64 threads doing the filter in C#.
/// <see cref="WasmtimeRegistry64Threads"/>: the same registry on a <see cref="WasmtimeBackend"/> (its defaults).
/// </summary>
[MemoryDiagnoser]
public class UdfConcurrencyBenchmarks
{
    private const int Tasks = 64;
    private const int CallsPerTask = 1000;

    private UdfRegistry _registry = null!;
    private UdfFunction<bool> _typed = null!;
    private JsonElement[] _documents = null!;
    private WasmtimeBackend? _wasmtimeBackend;

    [GlobalSetup(Targets = [nameof(CSharp64Threads), nameof(Registry64Threads)])]
    public void Setup() => SetupOn(null);

    [GlobalSetup(Target = nameof(WasmtimeRegistry64Threads))]
    public void SetupWasmtime()
    {
        _wasmtimeBackend = new WasmtimeBackend();
        SetupOn(_wasmtimeBackend);
    }

    private void SetupOn(WasmtimeBackend? backend)
    {
        _documents = UdfBenchmarkSupport.Products();
        _registry = backend is null ? new UdfRegistry() : new UdfRegistry(new UdfRegistryOptions { Backend = backend });
        var loader = backend is null ? new ComponentLoader(_registry.Engine) : new ComponentLoader(backend);
        _registry.Register(loader.LoadFile(UdfBenchmarkSupport.UdfFixture("json_filter.wasm")));
        _typed = _registry.GetFunction<bool>("path_compare", "1.0.0", new Dictionary<string, object?> { ["path"] = "price", ["op"] = "<", ["value"] = 1000.0 });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _registry.Dispose();
        _wasmtimeBackend?.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Tasks * CallsPerTask)]
    public int CSharp64Threads() => Run(static (_, document) => CSharpFilter(document));

    [Benchmark(OperationsPerInvoke = Tasks * CallsPerTask)]
    public int Registry64Threads() => Run(static (typed, document) => typed.Invoke(document));

    [Benchmark(OperationsPerInvoke = Tasks * CallsPerTask)]
    public int WasmtimeRegistry64Threads() => Registry64Threads();

    private int Run(Func<UdfFunction<bool>, JsonElement, bool> call)
    {
        int kept = 0;
        var threads = new Thread[Tasks];
        for (int t = 0; t < Tasks; t++)
        {
            int offset = t;
            threads[t] = new Thread(() =>
            {
                int mine = 0;
                for (int i = 0; i < CallsPerTask; i++)
                    if (call(_typed, _documents[(offset + i) % _documents.Length])) mine++;
                Interlocked.Add(ref kept, mine);
            });
            threads[t].Start();
        }
        foreach (var thread in threads) thread.Join();
        return kept;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool CSharpFilter(JsonElement document) =>
        document.TryGetProperty("price", out var price) && price.ValueKind == JsonValueKind.Number && price.GetDouble() < 1000;
}
