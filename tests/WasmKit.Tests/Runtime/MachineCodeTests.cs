using WasmKit.Compilation;
using WasmKit.Tests.Support;

namespace WasmKit.Tests.Runtime;

/// <summary>
/// Every <see cref="MachineCodeCompilation"/>, in every <see cref="CodeTiering"/>, must run guests the same way:
/// results, traps, fuel and interruption. Only when the JIT runs differs.
/// </summary>
[TestFixture(CodeTiering.Tiered, MachineCodeCompilation.OnFirstCall)]
[TestFixture(CodeTiering.Tiered, MachineCodeCompilation.Background)]
[TestFixture(CodeTiering.Tiered, MachineCodeCompilation.Ahead)]
[TestFixture(CodeTiering.Collectible, MachineCodeCompilation.OnFirstCall)]
[TestFixture(CodeTiering.Collectible, MachineCodeCompilation.Background)]
[TestFixture(CodeTiering.Collectible, MachineCodeCompilation.Ahead)]
public sealed class MachineCodeTests(CodeTiering tiering, MachineCodeCompilation machineCode)
{
    private EngineOptions Options(EngineOptions? options = null) =>
        (options ?? new EngineOptions()) with { CodeTiering = tiering, MachineCode = machineCode };

    private (Store Store, Instance Instance) Instantiate(EngineOptions options)
    {
        var engine = new Engine(Options(options));
        var store = new Store(engine);
        var instance = new Linker(engine).Instantiate(store, Module.FromBytes(engine, Wat.ToWasm(TieringKernels.Wat)));
        return (store, instance);
    }

    [Test]
    public void ResultsAreTheSame()
    {
        var (store, instance) = Instantiate(new EngineOptions());
        using var _ = store;
        var loop = instance.GetFunction<int, int>("loop")!;
        for (int i = 0; i < 50; i++) Assert.That(loop(i), Is.EqualTo(TieringKernels.ExpectedLoop(i)));
        Assert.That(loop(1_000_000), Is.EqualTo(TieringKernels.ExpectedLoop(1_000_000)));
    }

    [Test]
    public void TrapsHaveTheSameCodes()
    {
        var (store, instance) = Instantiate(new EngineOptions());
        using var _ = store;
        var divide = instance.GetFunction<int, int, int>("divide")!;
        var load = instance.GetFunction<int, int>("load")!;
        Assert.That(divide(7, 2), Is.EqualTo(3));
        Assert.That(load(65532), Is.Zero);
        Assert.That(Assert.Throws<WasmTrapException>(() => divide(1, 0))!.Code, Is.EqualTo(TrapCode.IntegerDivideByZero));
        Assert.That(Assert.Throws<WasmTrapException>(() => divide(int.MinValue, -1))!.Code, Is.EqualTo(TrapCode.IntegerOverflow));
        Assert.That(Assert.Throws<WasmTrapException>(() => load(65533))!.Code, Is.EqualTo(TrapCode.MemoryOutOfBounds));
        Assert.That(Assert.Throws<WasmTrapException>(() => instance.GetAction("unreachable")!())!.Code, Is.EqualTo(TrapCode.Unreachable));
        Assert.That(Assert.Throws<WasmTrapException>(() => instance.GetAction("recurse")!())!.Code, Is.EqualTo(TrapCode.CallStackExhausted));
    }

    [Test]
    public void FuelRunsOutAtTheSameUnitAsOnFirstCall()
    {
        long UsedBy(EngineOptions options)
        {
            var engine = new Engine(options with { ConsumeFuel = true });
            using var store = new Store(engine);
            var loop = new Linker(engine).Instantiate(store, Module.FromBytes(engine, Wat.ToWasm(TieringKernels.Wat))).GetFunction<int, int>("loop")!;
            store.Fuel = 1_000_000;
            loop(100);
            return 1_000_000 - store.Fuel;
        }

        long used = UsedBy(Options());
        Assert.That(used, Is.EqualTo(UsedBy(new EngineOptions { CodeTiering = tiering })));

        var (store, instance) = Instantiate(new EngineOptions { ConsumeFuel = true });
        using var _ = store;
        var loop = instance.GetFunction<int, int>("loop")!;
        store.Fuel = used * 3;
        for (int i = 0; i < 3; i++) loop(100);
        Assert.That(store.Fuel, Is.Zero);
        Assert.That(Assert.Throws<WasmTrapException>(() => loop(100))!.Code, Is.EqualTo(TrapCode.OutOfFuel));
    }

    [Test]
    public void AnInterruptStopsALoopThatNeverCallsOut()
    {
        var (store, instance) = Instantiate(new EngineOptions { Interruptible = true });
        using var _ = store;
        var spin = instance.GetAction("spin")!;
        using var deadline = store.InterruptAfter(TimeSpan.FromMilliseconds(50));
        Assert.That(Assert.Throws<WasmTrapException>(() => spin())!.Code, Is.EqualTo(TrapCode.Interrupted));
    }

    [Test]
    public void AModuleWithManyFunctionsLoadsAndRuns()
    {
        const int count = 2_000;
        var engine = new Engine(Options());
        var instance = new Linker(engine).Instantiate(new Store(engine), Module.FromBytes(engine, Wat.ToWasm(ChainOfCalls(count))));
        Assert.That(instance.GetFunction<int, int>("f0")!(5), Is.EqualTo(5 + count));
    }

    [Test]
    public void DisposingTheEngineDuringBackgroundCompilationIsSafe()
    {
        var engine = new Engine(Options());
        var module = Module.FromBytes(engine, Wat.ToWasm(ChainOfCalls(3_000)));
        engine.Dispose();
        // The module stays usable: whatever was not compiled yet is compiled on its call.
        var instance = new Linker(engine).Instantiate(new Store(engine), module);
        Assert.That(instance.GetFunction<int, int>("f0")!(1), Is.EqualTo(3_001));
        AssertBackgroundThreadsEnd(engine);
    }

    [Test]
    public void DroppingTheModuleDuringBackgroundCompilationIsSafe()
    {
        var engine = new Engine(Options() with { CacheModules = false });
        LoadAndDrop(engine, 3_000);
        for (int i = 0; i < 5; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        AssertBackgroundThreadsEnd(engine);
        // The engine still loads and runs modules afterwards.
        var instance = new Linker(engine).Instantiate(new Store(engine), Module.FromBytes(engine, Wat.ToWasm(ChainOfCalls(10))));
        Assert.That(instance.GetFunction<int, int>("f0")!(0), Is.EqualTo(10));
    }

    [Test]
    public void ManyModulesLoadedAtOnceStayWithinTheThreadBound()
    {
        var engine = new Engine(Options() with { CacheModules = false });
        var bytes = Wat.ToWasm(ChainOfCalls(200));
        Parallel.For(0, 16, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            Module.FromBytes(engine, bytes);
            Assert.That(engine.BackgroundMachineCode.ActiveThreads, Is.LessThanOrEqualTo(Compilation.BackgroundMachineCode.MaxThreads));
        });
        AssertBackgroundThreadsEnd(engine);
    }

    [Test]
    public void FunctionsAreCompiledBeforeAnyCallUnlessOnFirstCall()
    {
        Assume.That(machineCode, Is.Not.EqualTo(MachineCodeCompilation.OnFirstCall), "compiles on the call, which this test never makes");
        Assume.That(Environment.GetEnvironmentVariable("DOTNET_TieredCompilation"), Is.Not.EqualTo("0"), "tiered compilation is off in this process");
        Assume.That(Environment.GetEnvironmentVariable("DOTNET_TC_QuickJit"), Is.Not.EqualTo("0"), "quick JIT is off in this process");
        string marker = $"ahead_probe_{tiering}_{machineCode}";
        using var listener = new WasmKit.Tests.Embedding.JitTierListener(marker);
        var engine = new Engine(Options() with { CacheModules = false });
        var module = Module.FromBytes(engine, Wat.ToWasm($"(module (func ${marker} (export \"f\") (result i32) (i32.const 5)))"));
        // Events reach listeners asynchronously, and background compiles come when they come: wait, boundedly.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (listener.Compiled.IsEmpty && waited.Elapsed < TimeSpan.FromMinutes(1)) Thread.Sleep(20);
        Assert.That(listener.Compiled, Is.Not.Empty, "the never-called function was not compiled");
        // Collectible code is compiled optimised, tiered code at tier-0 (it is still tiered up once hot).
        int expected = tiering == CodeTiering.Collectible ? WasmKit.Tests.Embedding.JitTierListener.Optimized : WasmKit.Tests.Embedding.JitTierListener.QuickJitted;
        Assert.That(listener.Compiled.First().Tier, Is.EqualTo(expected));
        GC.KeepAlive(module);
    }

    [Test]
    public void RegionMethodsOfSplitFunctionsAreCompiledBeforeAnyCallToo()
    {
        Assume.That(machineCode, Is.Not.EqualTo(MachineCodeCompilation.OnFirstCall), "compiles on the call, which this test never makes");
        string marker = $"ahead_regions_{tiering}_{machineCode}";
        using var listener = new WasmKit.Tests.Embedding.JitTierListener(marker);
        // Tiny thresholds split the loop's body into region methods (see OutliningTests).
        var options = Options() with { CacheModules = false, Outlining = new OutliningOptions(SplitBodyBytes: 12, ThresholdBytes: 12, MinimumRegionBytes: 1) };
        var module = Module.FromBytes(new Engine(options), Wat.ToWasm($$"""
            (module (func ${{marker}} (export "f") (param $n i32) (result i32) (local $acc i32)
              (block $done (loop $again
                (br_if $done (i32.eqz (local.get $n)))
                (local.set $acc (i32.add (local.get $acc) (i32.mul (local.get $n) (i32.const 3))))
                (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                (br $again)))
              (local.get $acc)))
            """));
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!listener.Compiled.Any(c => c.Method.StartsWith("region", StringComparison.Ordinal)) && waited.Elapsed < TimeSpan.FromMinutes(1)) Thread.Sleep(20);
        Assert.That(listener.Compiled.Select(c => c.Method), Has.Some.StartsWith("region"), "no region method was compiled before the first call");
        GC.KeepAlive(module);
    }

    private static void LoadAndDrop(Engine engine, int functions) => Module.FromBytes(engine, Wat.ToWasm(ChainOfCalls(functions)));

    /// <summary>Background threads end once their work is done or dropped; a generous bound only to turn a hang into a failure.</summary>
    private static void AssertBackgroundThreadsEnd(Engine engine)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (engine.BackgroundMachineCode.ActiveThreads > 0 && waited.Elapsed < TimeSpan.FromMinutes(2)) Thread.Sleep(10);
        Assert.That(engine.BackgroundMachineCode.ActiveThreads, Is.Zero);
    }

    /// <summary>f0 calls f1 ... calls f(n-1), each adding one; all exported, so each has a host entry too.</summary>
    private static string ChainOfCalls(int count)
    {
        var text = new System.Text.StringBuilder("(module\n");
        for (int i = 0; i < count; i++)
        {
            string next = i + 1 < count ? $"(call $f{i + 1} (local.get 0))" : "(local.get 0)";
            text.Append($"  (func $f{i} (export \"f{i}\") (param i32) (result i32) (i32.add {next} (i32.const 1)))\n");
        }
        return text.Append(')').ToString();
    }
}
