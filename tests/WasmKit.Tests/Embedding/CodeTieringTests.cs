using WasmKit.Tests.Support;

namespace WasmKit.Tests.Embedding;

/// <summary>
/// Every <see cref="CodeTiering"/> must run guests the same way: results, fuel, interruption and traps.
/// Functions are called and looped often enough here for the runtime to tier them up (tier-0 code,
/// on-stack replacement of long loops, then optimised code), so each test crosses the tiers.
/// </summary>
[TestFixture(CodeTiering.Tiered)]
[TestFixture(CodeTiering.Collectible)]
public sealed class CodeTieringTests(CodeTiering tiering)
{
    private (Store Store, Instance Instance) Instantiate(EngineOptions options)
    {
        var engine = new Engine(options with { CodeTiering = tiering });
        var store = new Store(engine);
        var instance = new Linker(engine).Instantiate(store, Module.FromBytes(engine, Wat.ToWasm(TieringKernels.Wat)));
        return (store, instance);
    }

    [Test]
    public void TheEngineCompilesInTheChosenTiering()
    {
        var engine = new Engine(new EngineOptions { CodeTiering = tiering });
        var module = Module.FromBytes(engine, Wat.ToWasm(TieringKernels.Wat));
        Assert.That(module.Compiled.IsCollectible, Is.EqualTo(tiering == CodeTiering.Collectible));
    }

    [Test]
    public void ResultsStayTheSameAcrossManyCallsAndLongLoops()
    {
        var (store, instance) = Instantiate(new EngineOptions());
        using var _ = store;
        var loop = instance.GetFunction<int, int>("loop")!;
        // Enough calls for tier-1 rejit, and a long enough loop for on-stack replacement.
        for (int i = 0; i < 200; i++) Assert.That(loop(i), Is.EqualTo(TieringKernels.ExpectedLoop(i)));
        Assert.That(loop(3_000_000), Is.EqualTo(TieringKernels.ExpectedLoop(3_000_000)));
    }

    [Test]
    public void FuelRunsOutAtTheSameUnit()
    {
        var (store, instance) = Instantiate(new EngineOptions { ConsumeFuel = true });
        using var _ = store;
        var loop = instance.GetFunction<int, int>("loop")!;
        // One unit per call and per loop iteration: loop(n) costs the same in every tier, call after call.
        store.Fuel = 1_000_000;
        for (int i = 0; i < 100; i++) loop(100);
        long used = 1_000_000 - store.Fuel;
        store.Fuel = used / 100 * 100;
        for (int i = 0; i < 100; i++) loop(100);
        Assert.That(store.Fuel, Is.Zero);
        var trap = Assert.Throws<WasmTrapException>(() => loop(100));
        Assert.That(trap!.Code, Is.EqualTo(TrapCode.OutOfFuel));
        store.Fuel = 50_000_000;
        Assert.That(loop(1_000_000), Is.EqualTo(TieringKernels.ExpectedLoop(1_000_000)));
    }

    [Test]
    public void AnInterruptStopsALoopThatNeverCallsOut()
    {
        var (store, instance) = Instantiate(new EngineOptions { Interruptible = true });
        using var _ = store;
        var spin = instance.GetAction("spin")!;
        for (int round = 0; round < 3; round++)
        {
            using var deadline = store.InterruptAfter(TimeSpan.FromMilliseconds(50));
            var trap = Assert.Throws<WasmTrapException>(() => spin());
            Assert.That(trap!.Code, Is.EqualTo(TrapCode.Interrupted));
        }
    }

    [Test]
    public void TrapsAreTheSameBeforeAndAfterTierUp()
    {
        var (store, instance) = Instantiate(new EngineOptions());
        using var _ = store;
        var divide = instance.GetFunction<int, int, int>("divide")!;
        var load = instance.GetFunction<int, int>("load")!;
        for (int i = 0; i < 200; i++)
        {
            Assert.That(divide(7, 2), Is.EqualTo(3));
            Assert.That(load(65532), Is.Zero);
            Assert.That(Assert.Throws<WasmTrapException>(() => divide(1, 0))!.Code, Is.EqualTo(TrapCode.IntegerDivideByZero));
            Assert.That(Assert.Throws<WasmTrapException>(() => divide(int.MinValue, -1))!.Code, Is.EqualTo(TrapCode.IntegerOverflow));
            Assert.That(Assert.Throws<WasmTrapException>(() => load(65533))!.Code, Is.EqualTo(TrapCode.MemoryOutOfBounds));
        }
    }

    [Test]
    public void ModulesBeyondTheTieredCodeBudgetAreCollectible()
    {
        var engine = new Engine(new EngineOptions { CodeTiering = tiering, MaxTieredCodeBytes = 0 });
        var module = Module.FromBytes(engine, Wat.ToWasm(TieringKernels.Wat));
        Assert.That(module.Compiled.IsCollectible, Is.True);
        var instance = new Linker(engine).Instantiate(new Store(engine), module);
        Assert.That(instance.GetFunction<int, int>("loop")!(10), Is.EqualTo(TieringKernels.ExpectedLoop(10)));
    }

    [Test]
    public void ModulesCompileConcurrentlyInOneEngine()
    {
        // Tiered modules of one engine share a dynamic module; compiling must still be thread-safe.
        var engine = new Engine(new EngineOptions { CodeTiering = tiering, CacheModules = false });
        var bytes = Wat.ToWasm(TieringKernels.Wat);
        Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var instance = new Linker(engine).Instantiate(new Store(engine), Module.FromBytes(engine, bytes));
            Assert.That(instance.GetFunction<int, int>("loop")!(i), Is.EqualTo(TieringKernels.ExpectedLoop(i)));
        });
    }

    [Test]
    public void TheRuntimeCompilesTheFirstCallAtTheExpectedTier()
    {
        Assume.That(Environment.GetEnvironmentVariable("DOTNET_TieredCompilation"), Is.Not.EqualTo("0"), "tiered compilation is off in this process");
        Assume.That(Environment.GetEnvironmentVariable("DOTNET_TC_QuickJit"), Is.Not.EqualTo("0"), "quick JIT is off in this process");
        string marker = "tier_probe_" + tiering;
        using var listener = new JitTierListener(marker);
        var engine = new Engine(new EngineOptions { CodeTiering = tiering });
        var module = Module.FromBytes(engine, Wat.ToWasm($"(module (func ${marker} (export \"f\") (result i32) (i32.const 5)))"));
        Assert.That(new Linker(engine).Instantiate(new Store(engine), module).GetFunction<int>("f")!(), Is.EqualTo(5));
        // Events reach listeners asynchronously.
        for (int wait = 0; wait < 100 && listener.Compiled.IsEmpty; wait++) Thread.Sleep(50);
        // The host entry or the function itself (the JIT may inline the function into its entry).
        var first = listener.Compiled.ToList();
        Assert.That(first, Is.Not.Empty);
        // Collectible code is never tiered: compiled once, optimised; tiered code starts at tier-0.
        int expected = tiering == CodeTiering.Collectible ? JitTierListener.Optimized : JitTierListener.QuickJitted;
        Assert.That(first[0].Tier, Is.EqualTo(expected), $"first compile of {first[0].Method}");
    }
}
