using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Wt = global::Wasmtime;

namespace WasmKit.Benchmarks;

/// <summary>
/// fixtures/c/compute.c compiled by clang -O2 and run by WasmKit, against the same algorithms
/// ported to C# (<see cref="CSharpKernels"/>). Each algorithm is its own category with the C#
/// version as baseline, so the Ratio column reads "wasm time / C# time". Goal: within 2x.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ComputeBenchmarks
{
    public const int FibN = 25;
    public const int SieveN = 100000;
    public const int Fnv1aLength = 65536;
    public const int MatMulN = 64;

    // From fixtures/expected.json (computed by V8): both sides must compute exactly this.
    private const int ExpectedFib = 75025;
    private const int ExpectedSieve = 9592;
    private const int ExpectedFnv1a = 1966644677;
    private const int ExpectedMatMul = 1123155968;

    private readonly CSharpKernels _csharp = new();
    private Func<int, int> _fib = null!;
    private Func<int, int> _sieve = null!;
    private Func<int, int> _fnv1a = null!;
    private Func<int, int> _matmul = null!;
    private Wt.Engine? _wasmtimeEngine;
    private Wt.Store? _wasmtimeStore;

    // Separate setups so the C# baselines run even when a wasm module cannot be loaded.
    [GlobalSetup(Targets = [nameof(FibCSharp), nameof(SieveCSharp), nameof(Fnv1aCSharp), nameof(MatMulCSharp)])]
    public void SetupCSharp()
    {
        Check("C# fib", ExpectedFib, CSharpKernels.Fib(FibN));
        Check("C# sieve", ExpectedSieve, _csharp.Sieve(SieveN));
        Check("C# fnv1a", ExpectedFnv1a, _csharp.Fnv1a(Fnv1aLength));
        Check("C# matmul", ExpectedMatMul, _csharp.MatMul(MatMulN));
    }

    [GlobalSetup(Targets = [nameof(FibWasm), nameof(SieveWasm), nameof(Fnv1aWasm), nameof(MatMulWasm)])]
    public void SetupWasm()
    {
        var engine = new Engine();
        var instance = new Linker(engine).Instantiate(new Store(engine), Fixtures.Load(engine, "compute.wasm"));
        _fib = Export(instance, "fib");
        _sieve = Export(instance, "sieve");
        _fnv1a = Export(instance, "fnv1a");
        _matmul = Export(instance, "matmul");
        Check("wasm fib", ExpectedFib, _fib(FibN));
        Check("wasm sieve", ExpectedSieve, _sieve(SieveN));
        Check("wasm fnv1a", ExpectedFnv1a, _fnv1a(Fnv1aLength));
        Check("wasm matmul", ExpectedMatMul, _matmul(MatMulN));
    }

    /// <summary>compute.wasm on the raw Wasmtime API (default engine: no fuel, no epochs), into the same delegate fields.</summary>
    [GlobalSetup(Targets = [nameof(FibWasmtime), nameof(SieveWasmtime), nameof(Fnv1aWasmtime), nameof(MatMulWasmtime)])]
    public void SetupWasmtime()
    {
        _wasmtimeEngine = new Wt.Engine();
        _wasmtimeStore = new Wt.Store(_wasmtimeEngine);
        using var module = Wt.Module.FromBytes(_wasmtimeEngine, "compute", Fixtures.Read("compute.wasm"));
        var instance = new Wt.Linker(_wasmtimeEngine).Instantiate(_wasmtimeStore, module);
        _fib = WasmtimeExport(instance, "fib");
        _sieve = WasmtimeExport(instance, "sieve");
        _fnv1a = WasmtimeExport(instance, "fnv1a");
        _matmul = WasmtimeExport(instance, "matmul");
        Check("Wasmtime fib", ExpectedFib, _fib(FibN));
        Check("Wasmtime sieve", ExpectedSieve, _sieve(SieveN));
        Check("Wasmtime fnv1a", ExpectedFnv1a, _fnv1a(Fnv1aLength));
        Check("Wasmtime matmul", ExpectedMatMul, _matmul(MatMulN));
    }

    [GlobalCleanup(Targets = [nameof(FibWasmtime), nameof(SieveWasmtime), nameof(Fnv1aWasmtime), nameof(MatMulWasmtime)])]
    public void CleanupWasmtime()
    {
        _wasmtimeStore?.Dispose();
        _wasmtimeEngine?.Dispose();
    }

    [Benchmark(Baseline = true), BenchmarkCategory("fib(25)")]
    public int FibCSharp() => CSharpKernels.Fib(FibN);

    [Benchmark, BenchmarkCategory("fib(25)")]
    public int FibWasm() => _fib(FibN);

    [Benchmark, BenchmarkCategory("fib(25)")]
    public int FibWasmtime() => _fib(FibN);

    [Benchmark(Baseline = true), BenchmarkCategory("sieve(100000)")]
    public int SieveCSharp() => _csharp.Sieve(SieveN);

    [Benchmark, BenchmarkCategory("sieve(100000)")]
    public int SieveWasm() => _sieve(SieveN);

    [Benchmark, BenchmarkCategory("sieve(100000)")]
    public int SieveWasmtime() => _sieve(SieveN);

    [Benchmark(Baseline = true), BenchmarkCategory("fnv1a(65536)")]
    public int Fnv1aCSharp() => _csharp.Fnv1a(Fnv1aLength);

    [Benchmark, BenchmarkCategory("fnv1a(65536)")]
    public int Fnv1aWasm() => _fnv1a(Fnv1aLength);

    [Benchmark, BenchmarkCategory("fnv1a(65536)")]
    public int Fnv1aWasmtime() => _fnv1a(Fnv1aLength);

    [Benchmark(Baseline = true), BenchmarkCategory("matmul(64)")]
    public int MatMulCSharp() => _csharp.MatMul(MatMulN);

    [Benchmark, BenchmarkCategory("matmul(64)")]
    public int MatMulWasm() => _matmul(MatMulN);

    [Benchmark, BenchmarkCategory("matmul(64)")]
    public int MatMulWasmtime() => _matmul(MatMulN);

    private static Func<int, int> Export(Instance instance, string name) =>
        instance.GetFunction<int, int>(name) ?? throw new InvalidOperationException($"compute.wasm: no '{name}' export");

    private static Func<int, int> WasmtimeExport(Wt.Instance instance, string name) =>
        instance.GetFunction<int, int>(name) ?? throw new InvalidOperationException($"compute.wasm: no '{name}' export (Wasmtime)");

    private static void Check(string what, int expected, int actual)
    {
        if (actual != expected)
            throw new InvalidOperationException($"{what}: expected {expected}, got {actual}");
    }
}
