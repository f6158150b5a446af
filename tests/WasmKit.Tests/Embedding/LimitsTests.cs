using System.Diagnostics;
using WasmKit.Tests.Support;

namespace WasmKit.Tests.Embedding;

public class LimitsTests
{
    private const string Spinner = """
        (module
          (memory 1)
          (func (export "spin") (loop $forever (br $forever)))
          (func (export "answer") (result i32) (i32.const 42))
          (func (export "bomb") (result i32) (local $pages i32)
            (block $done (loop $grow
              (br_if $done (i32.eq (memory.grow (i32.const 1)) (i32.const -1)))
              (local.set $pages (i32.add (local.get $pages) (i32.const 1)))
              (br $grow)))
            (memory.size))
          (func $deep (export "deep") (param i32) (result i32)
            (i32.add (call $deep (local.get 0)) (i32.const 1))))
        """;

    private static (Instance Instance, Store Store) Create(EngineOptions options, StoreLimits? limits = null)
    {
        var engine = new Engine(options);
        var store = new Store(engine, limits);
        return (Wat.Instantiate(Spinner, new Linker(engine), store), store);
    }

    [Test]
    public void FuelStopsAnInfiniteLoopAndOthersKeepWorking()
    {
        var (instance, store) = Create(new EngineOptions { ConsumeFuel = true });
        store.Fuel = 10_000;
        var spin = instance.GetAction("spin")!;
        Assert.That(Assert.Throws<WasmTrapException>(() => spin())!.Code, Is.EqualTo(TrapCode.OutOfFuel));
        Assert.That(store.Fuel, Is.Zero);
        Assert.That(instance.HasTrapped, Is.True);

        var (other, otherStore) = Create(new EngineOptions { ConsumeFuel = true });
        otherStore.Fuel = 100;
        Assert.That(other.GetFunction<int>("answer")!(), Is.EqualTo(42));
        Assert.That(otherStore.Fuel, Is.EqualTo(99), "one unit per call");
        Assert.That(other.HasTrapped, Is.False);
    }

    [Test]
    public void FuelNeedsAnEngineThatConsumesIt()
    {
        var store = new Store(new Engine());
        Assert.That(() => store.Fuel = 5, Throws.InvalidOperationException);
    }

    [Test]
    public void ADeadlineStopsAnInfiniteLoop()
    {
        var (instance, store) = Create(new EngineOptions { Interruptible = true });
        var spin = instance.GetAction("spin")!;
        var clock = Stopwatch.StartNew();
        using (store.InterruptAfter(TimeSpan.FromMilliseconds(100)))
        {
            Assert.That(Assert.Throws<WasmTrapException>(() => spin())!.Code, Is.EqualTo(TrapCode.Interrupted));
        }
        TestContext.Out.WriteLine($"stopped {clock.Elapsed.TotalMilliseconds - 100:F1} ms after the deadline");
        // The instance is marked, but the store runs other calls normally afterwards.
        Assert.That(instance.HasTrapped, Is.True);
        Assert.That(instance.GetFunction<int>("answer")!(), Is.EqualTo(42));
    }

    [Test]
    public void CancellationStopsAnInfiniteLoopOnAnotherThread()
    {
        var (instance, store) = Create(new EngineOptions { Interruptible = true });
        using var cancellation = new CancellationTokenSource();
        using var registration = store.InterruptOn(cancellation.Token);
        var running = Task.Run(() => instance.GetAction("spin")!());
        cancellation.CancelAfter(50);
        var error = Assert.ThrowsAsync<WasmTrapException>(async () => await running);
        Assert.That(error!.Code, Is.EqualTo(TrapCode.Interrupted));
    }

    [Test]
    public void AMemoryBombStopsAtTheStoreCap()
    {
        var (instance, _) = Create(new EngineOptions(), new StoreLimits { MaxMemoryPages = 16 });
        Assert.That(instance.GetFunction<int>("bomb")!(), Is.EqualTo(16));
        Assert.That(instance.GetFunction<int>("answer")!(), Is.EqualTo(42));
    }

    [Test]
    public void TheStackLimitBoundsRecursion()
    {
        var (instance, _) = Create(new EngineOptions(), new StoreLimits { MaxStackBytes = 64 * 1024 });
        var deep = instance.GetFunction<int, int>("deep")!;
        Assert.That(Assert.Throws<WasmTrapException>(() => deep(0))!.Code, Is.EqualTo(TrapCode.CallStackExhausted));
        Assert.That(instance.GetFunction<int>("answer")!(), Is.EqualTo(42));
    }

    [Test]
    public void MemoryAboveTheCapFailsInstantiation()
    {
        var engine = new Engine();
        var store = new Store(engine, new StoreLimits { MaxMemoryPages = 1 });
        var module = Module.FromBytes(engine, Wat.ToWasm("(module (memory 2))"));
        Assert.That(() => new Linker(engine).Instantiate(store, module), Throws.TypeOf<WasmLinkException>());
    }
}
