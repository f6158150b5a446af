using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Wt = global::Wasmtime;

namespace WasmKit.Benchmarks;

/// <summary>
/// What the optional checks cost: the same compute kernels compiled by an engine without checks
/// (baseline), with fuel (a decrement and compare per call and loop iteration), and interruptible
/// (a flag load and compare per call and loop iteration). The <c>Wasmtime*</c> methods do the same on Wasmtime
/// (default engine; fuel; epoch interruption with a deadline that never comes), baselined on the managed plain engine
/// so that one run gives both engines' costs.
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class BudgetBenchmarks
{
    private Func<int, int> _fibPlain = null!, _fibFuel = null!, _fibInterruptible = null!;
    private Func<int, int> _sievePlain = null!, _sieveFuel = null!, _sieveInterruptible = null!;
    private Store _fuelStore = null!;
    private Func<int, int> _wasmtimeFib = null!, _wasmtimeSieve = null!;
    private Wt.Engine? _wasmtimeEngine;
    private Wt.Store? _wasmtimeStore;

    [GlobalSetup(Targets = [nameof(FibPlain), nameof(FibFuel), nameof(FibInterruptible), nameof(SievePlain), nameof(SieveFuel), nameof(SieveInterruptible)])]
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

    [GlobalSetup(Targets = [nameof(FibWasmtimePlain), nameof(SieveWasmtimePlain)])]
    public void SetupWasmtimePlain() => LoadWasmtime(new Wt.Config());

    [GlobalSetup(Targets = [nameof(FibWasmtimeFuel), nameof(SieveWasmtimeFuel)])]
    public void SetupWasmtimeFuel()
    {
        LoadWasmtime(new Wt.Config().WithFuelConsumption(true));
        WasmtimeRefuel();
    }

    [GlobalSetup(Targets = [nameof(FibWasmtimeInterruptible), nameof(SieveWasmtimeInterruptible)])]
    public void SetupWasmtimeInterruptible()
    {
        LoadWasmtime(new Wt.Config().WithEpochInterruption(true));
        _wasmtimeStore!.SetEpochDeadline(ulong.MaxValue);
    }

    [IterationSetup(Targets = [nameof(FibWasmtimeFuel), nameof(SieveWasmtimeFuel)])]
    public void WasmtimeRefuel() => _wasmtimeStore!.Fuel = ulong.MaxValue / 2;

    [GlobalCleanup(Targets = [nameof(FibWasmtimePlain), nameof(SieveWasmtimePlain), nameof(FibWasmtimeFuel), nameof(SieveWasmtimeFuel), nameof(FibWasmtimeInterruptible), nameof(SieveWasmtimeInterruptible)])]
    public void CleanupWasmtime()
    {
        _wasmtimeStore?.Dispose();
        _wasmtimeEngine?.Dispose();
    }

    private void LoadWasmtime(Wt.Config config)
    {
        using (config) _wasmtimeEngine = new Wt.Engine(config);
        _wasmtimeStore = new Wt.Store(_wasmtimeEngine);
        using var module = Wt.Module.FromBytes(_wasmtimeEngine, "compute", Fixtures.Read("compute.wasm"));
        var instance = new Wt.Linker(_wasmtimeEngine).Instantiate(_wasmtimeStore, module);
        _wasmtimeFib = instance.GetFunction<int, int>("fib") ?? throw new InvalidOperationException("compute.wasm: no 'fib' export (Wasmtime)");
        _wasmtimeSieve = instance.GetFunction<int, int>("sieve") ?? throw new InvalidOperationException("compute.wasm: no 'sieve' export (Wasmtime)");
    }

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

    [Benchmark, BenchmarkCategory("fib(25)")]
    public int FibWasmtimePlain() => _wasmtimeFib(ComputeBenchmarks.FibN);

    [Benchmark, BenchmarkCategory("fib(25)")]
    public int FibWasmtimeFuel() => _wasmtimeFib(ComputeBenchmarks.FibN);

    [Benchmark, BenchmarkCategory("fib(25)")]
    public int FibWasmtimeInterruptible() => _wasmtimeFib(ComputeBenchmarks.FibN);

    [Benchmark, BenchmarkCategory("sieve(100000)")]
    public int SieveWasmtimePlain() => _wasmtimeSieve(ComputeBenchmarks.SieveN);

    [Benchmark, BenchmarkCategory("sieve(100000)")]
    public int SieveWasmtimeFuel() => _wasmtimeSieve(ComputeBenchmarks.SieveN);

    [Benchmark, BenchmarkCategory("sieve(100000)")]
    public int SieveWasmtimeInterruptible() => _wasmtimeSieve(ComputeBenchmarks.SieveN);
}
