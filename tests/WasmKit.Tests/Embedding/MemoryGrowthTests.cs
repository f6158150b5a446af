using WasmKit.Tests.Support;

namespace WasmKit.Tests.Embedding;

/// <summary>Growing linear memory: cheap per page, charged to fuel, interruptible, never moving or losing bytes.</summary>
public class MemoryGrowthTests
{
    private const string Grower = """
        (module
          (import "host" "request_interrupt" (func $request_interrupt))
          (memory (export "memory") 1)
          (func (export "grow_times") (param $times i32) (result i32)
            (block $done (loop $again
              (br_if $done (i32.eqz (local.get $times)))
              (drop (memory.grow (i32.const 1)))
              (local.set $times (i32.sub (local.get $times) (i32.const 1)))
              (br $again)))
            (memory.size))
          (func (export "grow") (param $pages i32) (result i32) (memory.grow (local.get $pages)))
          (func (export "interrupt_then_grow") (result i32)
            (call $request_interrupt)
            (memory.grow (i32.const 1)))
          (func (export "grow_forever")
            (loop $again (drop (memory.grow (i32.const 1))) (br $again))))
        """;

    private static (Instance Instance, Store Store) Create(EngineOptions options, StoreLimits? limits = null)
    {
        var engine = new Engine(options);
        var store = new Store(engine, limits);
        var linker = new Linker(engine);
        linker.DefineFunction("host", "request_interrupt", FunctionType.Of([], []), (caller, args, results) => store.Interrupt());
        return (Wat.Instantiate(Grower, linker, store), store);
    }

    [Test]
    public void TwoThousandOnePageGrowsCompleteAndEachPageCostsFuel()
    {
        var (instance, store) = Create(new EngineOptions { ConsumeFuel = true, Interruptible = true });
        store.Fuel = 1_000_000;
        var growTimes = instance.GetFunction<int, int>("grow_times")!;
        var run = Task.Run(() => growTimes(2048));
        Assert.That(run.Wait(TimeSpan.FromSeconds(60)), Is.True, "safety timeout: the grow loop must finish");
        Assert.That(run.Result, Is.EqualTo(2049));
        long consumed = 1_000_000 - store.Fuel;
        // One unit per loop iteration (2049) and the call, plus one per page grown (2048).
        Assert.That(consumed, Is.GreaterThanOrEqualTo(2049 + 2048));
        Assert.That(consumed, Is.LessThan(3 * 2049 + 10));
    }

    [Test]
    public void AFuelBudgetThatCoversTheLoopButNotThePagesRunsOut()
    {
        var (instance, store) = Create(new EngineOptions { ConsumeFuel = true });
        store.Fuel = 3000;
        var growTimes = instance.GetFunction<int, int>("grow_times")!;
        Assert.That(Assert.Throws<WasmTrapException>(() => growTimes(2048))!.Code, Is.EqualTo(TrapCode.OutOfFuel));
        Assert.That(instance.GetMemory("memory")!.PageCount, Is.LessThan(2049u));
    }

    [Test]
    public void AnInterruptRequestedBeforeAGrowIsHonouredByTheGrow()
    {
        var (instance, store) = Create(new EngineOptions { Interruptible = true });
        var memory = instance.GetMemory("memory")!;
        var error = Assert.Throws<WasmTrapException>(() => instance.GetFunction<int>("interrupt_then_grow")!());
        Assert.That(error!.Code, Is.EqualTo(TrapCode.Interrupted));
        Assert.That(memory.PageCount, Is.EqualTo(1u), "the interrupted grow did not happen");
    }

    [Test]
    public void ADeadlineStopsGrowthHeavyCode()
    {
        var (instance, store) = Create(new EngineOptions { Interruptible = true }, new StoreLimits { MaxMemoryPages = 16_384 });
        var growForever = instance.GetAction("grow_forever")!;
        using (store.InterruptAfter(TimeSpan.FromMilliseconds(50)))
        {
            var run = Task.Run(() => Assert.Throws<WasmTrapException>(() => growForever())!.Code);
            Assert.That(run.Wait(TimeSpan.FromSeconds(60)), Is.True, "safety timeout: the interrupt must stop the loop");
            Assert.That(run.Result, Is.EqualTo(TrapCode.Interrupted));
        }
    }

    [Test]
    public void ContentsSurviveGrowthAndTheMemoryDoesNotMove()
    {
        var (instance, _) = Create(new EngineOptions());
        var memory = instance.GetMemory("memory")!;
        memory.Write(100, 0x0102030405060708L);
        memory.WriteString(65_000, "end of the first page");
        nint before = memory.Base;
        Assert.That(instance.GetFunction<int, int>("grow")!(300), Is.EqualTo(1));
        Assert.That(memory.Grow(10), Is.EqualTo(301));
        Assert.That(memory.PageCount, Is.EqualTo(311u));
        Assert.That(memory.Base, Is.EqualTo(before), "growth commits in place");
        Assert.That(memory.Read<long>(100), Is.EqualTo(0x0102030405060708L));
        Assert.That(memory.ReadString(65_000, 21), Is.EqualTo("end of the first page"));
        Assert.That(memory.Read<long>(310L * 65536 + 65528), Is.Zero, "new pages are zero");
        memory.Write(310L * 65536 + 65528, -1L);
        Assert.That(memory.Read<long>(310L * 65536 + 65528), Is.EqualTo(-1L));
    }

    [Test]
    public void GrowingPastTheDeclaredMaximumTheStoreLimitOrTheImplementationLimitReturnsMinusOne()
    {
        var store = new Store(new Engine(), new StoreLimits { MaxMemoryPages = 8 });
        var capped = new Memory(store, 1, 4);
        Assert.That(capped.Grow(4), Is.EqualTo(-1));
        Assert.That(capped.Grow(3), Is.EqualTo(1));
        Assert.That(capped.Grow(1), Is.EqualTo(-1));

        var limited = new Memory(store, 1);
        Assert.That(limited.Grow(8), Is.EqualTo(-1));
        Assert.That(limited.Grow(7), Is.EqualTo(1));
        Assert.That(limited.Grow(1), Is.EqualTo(-1));
        Assert.That(limited.PageCount, Is.EqualTo(8u));

        var (instance, _) = Create(new EngineOptions());
        Assert.That(instance.GetFunction<int, int>("grow")!((int)Memory.ImplementationMaximumPages), Is.EqualTo(-1));
        Assert.That(instance.GetFunction<int, int>("grow")!(-1), Is.EqualTo(-1));
        Assert.That(instance.GetMemory("memory")!.PageCount, Is.EqualTo(1u));
    }

    [Test]
    public void PagesGivenBackByAResetAreZeroWhenGrownAgain()
    {
        var engine = new Engine(new EngineOptions { ResettableInstances = true });
        var (instance, _) = (Wat.Instantiate("""
            (module
              (memory (export "memory") 1 8)
              (func (export "grow_and_write") (result i32)
                (drop (memory.grow (i32.const 2)))
                (i32.store (i32.const 100000) (i32.const 77))
                (i32.store (i32.const 10) (i32.const 5))
                (i32.load (i32.const 100000))))
            """, new Linker(engine), new Store(engine)), 0);
        var memory = instance.GetMemory("memory")!;
        Assert.That(instance.GetFunction<int>("grow_and_write")!(), Is.EqualTo(77));
        Assert.That(memory.PageCount, Is.EqualTo(3u));
        instance.Reset();
        Assert.That(memory.PageCount, Is.EqualTo(1u));
        Assert.That(memory.Read<int>(10), Is.Zero);
        Assert.That(() => memory.Read<int>(100000), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(memory.Grow(2), Is.EqualTo(1));
        Assert.That(memory.Read<int>(100000), Is.Zero, "a page given back comes back zeroed");
        Assert.That(instance.GetFunction<int>("grow_and_write")!(), Is.EqualTo(77));
    }
}
