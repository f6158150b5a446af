using System.Text.Json;
using WasmKit.Backends;
using WasmKit.Pooling;
using WasmKit.Tests.Support;
using WasmKit.Udf;

namespace WasmKit.Tests.Pooling;

/// <summary>
/// The pool's guarantees through the backend seam only (<see cref="InstancePool(IBackendModule, BackendInstanceOptions, InstancePoolOptions?)"/>),
/// so they hold on every backend: fresh state per rent, host state reset, trapped instances discarded, fuel per rent,
/// memory limits, interrupts scoped to the rent, a handle per rent. <see cref="InstancePoolTests"/> covers the managed constructor.
/// </summary>
[TestFixtureSource(typeof(BackendFixtures), nameof(BackendFixtures.All))]
public class InstancePoolBackendTests(BackendFixture fixture)
{
    private const string Stateful = """
        (module
          (memory (export "memory") 1)
          (global $calls (mut i32) (i32.const 0))
          (data (i32.const 100) "\2a")
          (func (export "touch") (param $value i32) (result i32)
            (local $before i32)
            (local.set $before (i32.add (i32.mul (global.get $calls) (i32.const 1000)) (i32.load8_u (i32.const 100))))
            (i32.store8 (i32.const 100) (local.get $value))
            (i32.store (i32.const 40000) (local.get $value))
            (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
            (local.get $before))
          (func (export "peek") (result i32) (i32.load (i32.const 40000)))
          (func (export "echo") (param i32) (result i32) (local.get 0))
          (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
          (func (export "spin") (param $n i32) (result i32)
            (loop $l (local.set $n (i32.sub (local.get $n) (i32.const 1))) (br_if $l (i32.gt_s (local.get $n) (i32.const 0))))
            (local.get $n))
          (func (export "forever") (loop $l (br $l)))
          (func (export "boom") unreachable))
        """;

    private static byte[]? s_stateful;

    private IBackendModule _module = null!;

    [SetUp]
    public void SetUp() => _module = fixture.CreateBackend().Compile(s_stateful ??= Wat.ToWasm(Stateful), "stateful");

    private InstancePool NewPool(int maximum = 1, BackendInstanceOptions? instanceOptions = null, long? fuelPerRent = null) =>
        new(_module, instanceOptions ?? new BackendInstanceOptions(), new InstancePoolOptions { MaximumInstances = maximum, FuelPerRent = fuelPerRent });

    private int Call(PooledInstance rented, string export, params int[] arguments) =>
        (int)_module.GetInvoker(export)!.Invoke(rented.BackendInstance, arguments.Select(a => (ulong)(uint)a).ToArray());

    [Test]
    public void EachRentSeesFreshMemoryAndGlobals()
    {
        using var pool = NewPool();
        using (var first = pool.Rent())
        {
            Assert.That(Call(first, "touch", 7), Is.EqualTo(42));
            Assert.That(Call(first, "touch", 8), Is.EqualTo(1007));
            Assert.That(Call(first, "peek"), Is.EqualTo(8));
        }
        using var second = pool.Rent();
        Assert.That(pool.Metrics.Created, Is.EqualTo(1), "the same instance came back");
        Assert.That(Call(second, "peek"), Is.Zero);
        Assert.That(Call(second, "touch", 9), Is.EqualTo(42));
    }

    [Test]
    public void HostWritesAndHostStateAreResetToo()
    {
        using var pool = NewPool(instanceOptions: new BackendInstanceOptions { CreateHostState = _ => new DocumentContext() });
        using (var first = pool.Rent())
        {
            BitConverter.TryWriteBytes(first.BackendInstance.WriteMemory(40000, 4), 1234);
            Assert.That(Call(first, "peek"), Is.EqualTo(1234));
            ((DocumentContext)first.BackendInstance.HostState!).SetDocument(JsonDocument.Parse("{\"a\":1}").RootElement, "id");
        }
        using var second = pool.Rent();
        Assert.That(Call(second, "peek"), Is.Zero);
        Assert.That(((DocumentContext)second.BackendInstance.HostState!).HasDocument, Is.False);
    }

    [Test]
    public void TrappedInstancesAreDiscarded()
    {
        using var pool = NewPool();
        var rented = pool.Rent();
        var first = rented.BackendInstance;
        var trap = Assert.Throws<WasmTrapException>(() => Call(rented, "boom"))!;
        Assert.That(trap.Code, Is.EqualTo(TrapCode.Unreachable));
        Assert.That(first.HasTrapped, Is.True);
        rented.Dispose();
        Assert.That((pool.Metrics.Discarded, pool.Metrics.Live), Is.EqualTo((1L, 0)));
        using var next = pool.Rent();
        Assert.That(next.BackendInstance, Is.Not.SameAs(first));
        Assert.That(next.BackendInstance.HasTrapped, Is.False);
    }

    [Test]
    public void FuelIsRefilledAtEachRent()
    {
        using var pool = NewPool(fuelPerRent: 500);
        using (var rented = pool.Rent())
        {
            Assert.That(rented.BackendInstance.Fuel, Is.EqualTo(500));
            Assert.That(Assert.Throws<WasmTrapException>(() => Call(rented, "spin", 100_000))!.Code, Is.EqualTo(TrapCode.OutOfFuel));
        }
        using (var rented = pool.Rent())
        {
            Assert.That(rented.BackendInstance.Fuel, Is.EqualTo(500));
            // A short run: 10 iterations fit 500 units on every backend (Wasmtime charges per instruction, the managed engine per iteration).
            Assert.That(Call(rented, "spin", 10), Is.Zero);
            Assert.That(rented.BackendInstance.Fuel, Is.LessThan(500));
        }
        using var third = pool.Rent();
        Assert.That(third.BackendInstance.Fuel, Is.EqualTo(500));
    }

    [Test]
    public void WithoutAFuelLimitGuestCodeRunsOnAFuelConsumingBackend()
    {
        using var pool = NewPool();
        using var rented = pool.Rent();
        Assert.That(Call(rented, "spin", 100_000), Is.Zero);
    }

    [Test]
    public void TheMemoryLimitStopsGrowth()
    {
        using var pool = NewPool(instanceOptions: new BackendInstanceOptions { MaximumMemoryPages = 2 });
        using var rented = pool.Rent();
        Assert.That(Call(rented, "grow", 1), Is.EqualTo(1));
        Assert.That(Call(rented, "grow", 1), Is.EqualTo(-1));
        Assert.That(rented.BackendInstance.MemoryLength, Is.EqualTo(2 * 65536));
    }

    [Test]
    public void AnInterruptRequestStopsTheGuestAndIsScopedToTheRent()
    {
        using var pool = NewPool();
        using var cancelled = new CancellationTokenSource();
        using (var first = pool.Rent())
        {
            var instance = first.BackendInstance;
            var running = Task.Run(() => Assert.Throws<WasmTrapException>(() => Call(first, "forever"))!.Code);
            // Requests until the guest notices (a request made before it starts is withdrawn by nobody here, so one suffices).
            instance.RequestInterrupt();
            Assert.That(running.Wait(TimeSpan.FromSeconds(30)), Is.True, "the guest was never interrupted");
            Assert.That(running.Result, Is.EqualTo(TrapCode.Interrupted));
        }
        using (var second = pool.Rent())
        {
            // Never disposed: the registration belongs to this rent only.
            _ = second.BackendInstance.InterruptOn(cancelled.Token);
        }
        using var next = pool.Rent();
        cancelled.Cancel();
        Assert.That(Call(next, "echo", 7), Is.EqualTo(7));
        Assert.That(next.BackendInstance.HasTrapped, Is.False);
    }

    [Test]
    public void AHandleKeptPastItsReturnCannotReachTheNextRenter()
    {
        using var pool = NewPool();
        var kept = pool.Rent();
        var instance = kept.BackendInstance;
        kept.Dispose();
        using var next = pool.Rent();
        Assert.That(next.BackendInstance, Is.SameAs(instance));
        Assert.That(() => kept.BackendInstance, Throws.TypeOf<ObjectDisposedException>());
        kept.Dispose();
        Assert.That(pool.Metrics.Idle, Is.Zero);
        Assert.That(Call(next, "echo", 7), Is.EqualTo(7));
    }

    [Test]
    public void LinkErrorsReleaseTheSlot()
    {
        var module = fixture.CreateBackend().Compile(Wat.ToWasm("""(module (import "wasmkit" "get_score" (func (result f64))))"""));
        Assert.That(module.FindUnresolvedImports(BackendImports.None).Select(i => i.Name), Is.EqualTo(new[] { "get_score" }));
        using var pool = new InstancePool(module, new BackendInstanceOptions(), new InstancePoolOptions { MaximumInstances = 1 });
        Assert.That(() => pool.Rent(), Throws.TypeOf<WasmLinkException>());
        Assert.That(() => pool.Rent(TimeSpan.Zero), Throws.TypeOf<WasmLinkException>(), "not a timeout: the slot came back");
        Assert.That(pool.Metrics.Live, Is.Zero);
    }

    [Test]
    public async Task ConcurrentRentsGetTheirOwnResults()
    {
        using var pool = NewPool(maximum: 4);
        var tasks = Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            for (int round = 0; round < 20; round++)
            {
                using var rented = await pool.RentAsync(TimeSpan.FromSeconds(60));
                int value = i * 100 + round;
                Assert.That(Call(rented, "touch", value), Is.EqualTo(42), "every rent starts fresh");
                Assert.That(Call(rented, "peek"), Is.EqualTo(value));
            }
        })).ToArray();
        await Task.WhenAll(tasks);
        Assert.That(pool.Metrics.Created, Is.LessThanOrEqualTo(4));
        Assert.That(pool.Metrics.Reset, Is.EqualTo(16 * 20));
    }
}
