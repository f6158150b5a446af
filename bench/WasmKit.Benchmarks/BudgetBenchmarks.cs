using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace WasmKit.Benchmarks;

/// <summary>
/// What the optional checks cost: the same compute kernels compiled by an engine without checks
/// (baseline), with fuel (a decrement and compare per call and loop iteration), and interruptible
/// (a flag load and compare per call and loop iteration).
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class BudgetBenchmarks
{
    private Func<int, int> _fibPlain = null!, _fibFuel = null!, _fibInterruptible = null!;
    private Func<int, int> _sievePlain = null!, _sieveFuel = null!, _sieveInterruptible = null!;
    private Store _fuelStore = null!;

    [GlobalSetup]
    public void Setup()
    {
        (_fibPlain, _sievePlain, _) = Load(new EngineOptions());
        (_fibFuel, _sieveFuel, _fuelStore) = Load(new EngineOptions { ConsumeFuel = true });
        (_fibInterruptible, _sieveInterruptible, _) = Load(new EngineOptions { Interruptible = true });
    }

    private static (Func<int, int> Fib, Func<int, int> Sieve, Store Store) Load(EngineOptions options)
    {
        var engine = new Engine(options);
        var store = new Store(engine);
        if (options.ConsumeFuel) store.Fuel = long.MaxValue;
        var instance = new Linker(engine).Instantiate(store, Fixtures.Load(engine, "compute.wasm"));
        return (instance.GetFunction<int, int>("fib")!, instance.GetFunction<int, int>("sieve")!, store);
    }

    [IterationSetup(Targets = [nameof(FibFuel), nameof(SieveFuel)])]
    public void Refuel() => _fuelStore.Fuel = long.MaxValue;

    [Benchmark(Baseline = true), BenchmarkCategory("fib(25)")]
    public int FibPlain() => _fibPlain(ComputeBenchmarks.FibN);

    [Benchmark, BenchmarkCategory("fib(25)")]
    public int FibFuel() => _fibFuel(ComputeBenchmarks.FibN);

    [Benchmark, BenchmarkCategory("fib(25)")]
    public int FibInterruptible() => _fibInterruptible(ComputeBenchmarks.FibN);

    [Benchmark(Baseline = true), BenchmarkCategory("sieve(100000)")]
    public int SievePlain() => _sievePlain(ComputeBenchmarks.SieveN);

    [Benchmark, BenchmarkCategory("sieve(100000)")]
    public int SieveFuel() => _sieveFuel(ComputeBenchmarks.SieveN);

    [Benchmark, BenchmarkCategory("sieve(100000)")]
    public int SieveInterruptible() => _sieveInterruptible(ComputeBenchmarks.SieveN);
}
