using System.Diagnostics;
using System.Text.Json;
using WasmKit.Pooling;
using WasmKit.Tests.Components;
using WasmKit.Tests.Support;
using WasmKit.Udf;

namespace WasmKit.Tests.Pooling;

public class InstancePoolTests
{
    /// <summary>Writes memory and a global in each call and reports what it saw before writing.</summary>
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
          (func (export "spin") (param $n i32) (result i32)
            (loop $l (local.set $n (i32.sub (local.get $n) (i32.const 1))) (br_if $l (i32.gt_s (local.get $n) (i32.const 0))))
            (local.get $n))
          (func (export "boom") unreachable))
        """;

    private static byte[]? s_stateful;

    private static (Module Module, Linker Linker) Compile(EngineOptions? options = null)
    {
        var engine = new Engine(options ?? new EngineOptions { ResettableInstances = true });
        return (Module.FromBytes(engine, s_stateful ??= Wat.ToWasm(Stateful)), new Linker(engine));
    }

    private static InstancePool NewPool(int maximum = 4, int prewarm = 0, TimeSpan? idleTimeout = null)
    {
        var (module, linker) = Compile();
        return new InstancePool(module, linker, new InstancePoolOptions
        {
            MaximumInstances = maximum,
            PrewarmCount = prewarm,
            IdleTimeout = idleTimeout ?? TimeSpan.FromMinutes(5),
        });
    }

    [Test]
    public void EachRentSeesFreshMemoryAndGlobals()
    {
        using var pool = NewPool(maximum: 1);
        using (var first = pool.Rent())
        {
            var touch = first.Instance.GetFunction<int, int>("touch")!;
            Assert.That(touch(7), Is.EqualTo(42), "fresh: no calls, the data segment's byte");
            Assert.That(touch(8), Is.EqualTo(1007), "the same rent keeps its state");
            Assert.That(first.Instance.GetFunction<int>("peek")!(), Is.EqualTo(8));
        }
        using var second = pool.Rent();
        Assert.That(pool.Metrics.Created, Is.EqualTo(1), "the same instance came back");
        Assert.That(second.Instance.GetFunction<int>("peek")!(), Is.Zero);
        Assert.That(second.Instance.GetFunction<int, int>("touch")!(9), Is.EqualTo(42));
    }

    [Test]
    public void HostWritesAndStoreDataAreResetToo()
    {
        var (module, linker) = Compile();
        using var pool = new InstancePool(module, linker, new InstancePoolOptions { MaximumInstances = 1, StoreData = _ => new DocumentContext() });
        using (var first = pool.Rent())
        {
            first.Instance.GetMemory("memory")!.Write(40000, 1234);
            ((DocumentContext)first.Store.Data!).SetDocument(JsonDocument.Parse("{\"a\":1}").RootElement, "id");
        }
        using var second = pool.Rent();
        Assert.That(second.Instance.GetFunction<int>("peek")!(), Is.Zero);
        Assert.That(((DocumentContext)second.Store.Data!).HasDocument, Is.False);
    }

    [Test]
    public void TryRentNeverWaits()
    {
        using var pool = NewPool(maximum: 1);
        Assert.That(pool.TryRent(out var first), Is.True);
        Assert.That(pool.TryRent(out var second), Is.False);
        Assert.That(second, Is.Null);
        var instance = first!.Instance;
        first.Dispose();
        Assert.That(pool.TryRent(out var third), Is.True);
        Assert.That(third!.Instance, Is.SameAs(instance));
        third.Dispose();
        pool.Dispose();
        Assert.That(() => pool.TryRent(out _), Throws.InstanceOf<ObjectDisposedException>());
    }

    [Test]
    public void TrappedInstancesAreDiscarded()
    {
        using var pool = NewPool(maximum: 1);
        var rented = pool.Rent();
        var first = rented.Instance;
        Assert.That(() => rented.Instance.GetAction("boom")!(), Throws.TypeOf<WasmTrapException>());
        rented.Dispose();
        Assert.That(pool.Metrics.Discarded, Is.EqualTo(1));
        Assert.That(pool.Metrics.Live, Is.Zero);
        using var next = pool.Rent();
        Assert.That(next.Instance, Is.Not.SameAs(first));
        Assert.That(next.Instance.HasTrapped, Is.False);
        Assert.That(pool.Metrics.Created, Is.EqualTo(2));
    }

    [Test]
    public void BrokenInstancesAreDiscarded()
    {
        using var pool = NewPool(maximum: 2);
        var rented = pool.Rent();
        var instance = rented.Instance;
        rented.MarkBroken();
        pool.Return(rented);
        using var next = pool.Rent();
        Assert.That(next.Instance, Is.Not.SameAs(instance));
        Assert.That(next.IsBroken, Is.False);
        Assert.That(pool.Metrics.Discarded, Is.EqualTo(1));
    }

    [Test]
    public void ReturningTwiceDoesNothing()
    {
        using var pool = NewPool(maximum: 1);
        var rented = pool.Rent();
        var instance = rented.Instance;
        rented.Dispose();
        rented.Dispose();
        pool.Return(rented);
        Assert.That(pool.Metrics.Returned, Is.EqualTo(1));
        Assert.That(pool.Metrics.Idle, Is.EqualTo(1));
        using var again = pool.Rent(TimeSpan.Zero);
        Assert.That(again.Instance, Is.SameAs(instance));
    }

    [Test]
    public void AtTheCapRentWaitsThenTimesOut()
    {
        using var pool = NewPool(maximum: 2);
        using var a = pool.Rent();
        using var b = pool.Rent();
        Assert.That(() => pool.Rent(TimeSpan.FromMilliseconds(50)), Throws.TypeOf<TimeoutException>());
        Assert.That(() => pool.Rent(TimeSpan.Zero), Throws.TypeOf<TimeoutException>());
        Assert.That(pool.Metrics.Live, Is.EqualTo(2));
        Assert.That(pool.Metrics.Waiting, Is.Zero);
    }

    [Test]
    public async Task AtTheCapRentAsyncTimesOut()
    {
        using var pool = NewPool(maximum: 1);
        using var a = await pool.RentAsync();
        Assert.That(async () => await pool.RentAsync(TimeSpan.FromMilliseconds(50)), Throws.TypeOf<TimeoutException>());
    }

    [Test]
    public void CancellationStopsTheWait()
    {
        using var pool = NewPool(maximum: 1);
        using var a = pool.Rent();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        Assert.That(() => pool.Rent(cancellationToken: cancel.Token), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(() => pool.Rent(cancellationToken: new CancellationToken(true)), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task CancellationStopsTheAsyncWait()
    {
        using var pool = NewPool(maximum: 1);
        using var a = pool.Rent();
        using var cancel = new CancellationTokenSource();
        var waiting = pool.RentAsync(cancellationToken: cancel.Token).AsTask();
        await WaitUntil(() => pool.Metrics.Waiting == 1);
        cancel.Cancel();
        Assert.That(async () => await waiting, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(async () => await pool.RentAsync(cancellationToken: new CancellationToken(true)), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(pool.Metrics.Waiting, Is.Zero);
    }

    [Test]
    public async Task AWaitingRentGetsTheReturnedInstance()
    {
        using var pool = NewPool(maximum: 1);
        var held = pool.Rent();
        var instance = held.Instance;
        var waiting = pool.RentAsync(TimeSpan.FromSeconds(30)).AsTask();
        await WaitUntil(() => pool.Metrics.Waiting == 1);
        Assert.That(waiting.IsCompleted, Is.False);
        held.Dispose();
        using var got = await waiting;
        Assert.That(got.Instance, Is.SameAs(instance));
        Assert.That(pool.Metrics.Created, Is.EqualTo(1));
    }

    [Test]
    public async Task SixtyFourConcurrentTasksGetTheirOwnResults()
    {
        using var pool = NewPool(maximum: 4);
        var tasks = Enumerable.Range(0, 64).Select(i => Task.Run(async () =>
        {
            var results = new List<(int Before, int Echo, int Peek)>();
            for (int round = 0; round < 20; round++)
            {
                using var rented = await pool.RentAsync(TimeSpan.FromSeconds(60));
                var instance = rented.Instance;
                int value = i * 100 + round;
                int before = instance.GetFunction<int, int>("touch")!(value);
                instance.GetFunction<int, int>("spin")!(200);
                results.Add((before, instance.GetFunction<int, int>("echo")!(value), instance.GetFunction<int>("peek")!()));
                Assert.That(results[^1].Peek, Is.EqualTo(value));
            }
            return (Task: i, Results: results);
        })).ToArray();
        var all = await Task.WhenAll(tasks);
        foreach (var (task, results) in all)
        {
            Assert.That(results, Has.Count.EqualTo(20));
            for (int round = 0; round < 20; round++)
            {
                Assert.That(results[round].Before, Is.EqualTo(42), "every rent starts fresh");
                Assert.That(results[round].Echo, Is.EqualTo(task * 100 + round));
                Assert.That(results[round].Peek, Is.EqualTo(task * 100 + round));
            }
        }
        var metrics = pool.Metrics;
        Assert.That(metrics.Rented, Is.EqualTo(64 * 20));
        Assert.That(metrics.Returned, Is.EqualTo(64 * 20));
        Assert.That(metrics.Reset, Is.EqualTo(64 * 20));
        Assert.That(metrics.Created, Is.LessThanOrEqualTo(4));
        Assert.That(metrics.Live, Is.EqualTo(metrics.Created));
        Assert.That(metrics.Idle, Is.EqualTo(metrics.Live));
        Assert.That(metrics.Waiting, Is.Zero);
    }

    [Test]
    public void SynchronousRentsFromManyThreadsStayWithinTheCap()
    {
        using var pool = NewPool(maximum: 3);
        int inUse = 0, most = 0;
        Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            using var rented = pool.Rent(TimeSpan.FromSeconds(60));
            int now = Interlocked.Increment(ref inUse);
            int seen;
            while ((seen = Volatile.Read(ref most)) < now && Interlocked.CompareExchange(ref most, now, seen) != seen) { }
            Assert.That(rented.Instance.GetFunction<int, int>("touch")!(i), Is.EqualTo(42));
            Interlocked.Decrement(ref inUse);
        });
        Assert.That(most, Is.LessThanOrEqualTo(3));
        Assert.That(pool.Metrics.Live, Is.LessThanOrEqualTo(3));
    }

    [Test]
    public void PrewarmCreatesIdleInstancesWithinTheCap()
    {
        using var pool = NewPool(maximum: 3, prewarm: 2);
        Assert.That((pool.Metrics.Created, pool.Metrics.Idle, pool.Metrics.Live), Is.EqualTo((2L, 2, 2)));
        pool.Prewarm(5);
        Assert.That((pool.Metrics.Created, pool.Metrics.Idle, pool.Metrics.Live), Is.EqualTo((3L, 3, 3)));
        Assert.That(pool.Metrics.Live, Is.LessThanOrEqualTo(3), "prewarming never passes the cap");
        using var a = pool.Rent(TimeSpan.Zero);
        Assert.That(pool.Metrics.Created, Is.EqualTo(3), "rents use the warm instances");
    }

    [Test]
    public void TrimIdleDropsOnlyLongIdleInstances()
    {
        using var pool = NewPool(maximum: 4, prewarm: 3, idleTimeout: TimeSpan.FromHours(1));
        Assert.That(pool.TrimIdle(), Is.Zero);
        Assert.That(pool.Metrics.Idle, Is.EqualTo(3));

        using var expiring = NewPool(maximum: 4, prewarm: 3, idleTimeout: TimeSpan.Zero);
        var held = expiring.Rent();
        var instance = held.Instance;
        Thread.Sleep(20);
        Assert.That(expiring.TrimIdle(), Is.EqualTo(2));
        Assert.That((expiring.Metrics.Idle, expiring.Metrics.Live, expiring.Metrics.Discarded), Is.EqualTo((0, 1, 2L)));
        held.Dispose();
        Assert.That(expiring.Metrics.Idle, Is.EqualTo(1));
        using var again = expiring.Rent(TimeSpan.Zero);
        Assert.That(again.Instance, Is.SameAs(instance));
    }

    [Test]
    public void FuelIsRefilledAtEachRent()
    {
        var (module, linker) = Compile(new EngineOptions { ResettableInstances = true, ConsumeFuel = true });
        using var pool = new InstancePool(module, linker, new InstancePoolOptions { MaximumInstances = 1, FuelPerRent = 500 });
        using (var rented = pool.Rent())
        {
            Assert.That(rented.Store.Fuel, Is.EqualTo(500));
            Assert.That(() => rented.Instance.GetFunction<int, int>("spin")!(100_000), Throws.TypeOf<WasmTrapException>());
        }
        using (var rented = pool.Rent())
        {
            Assert.That(rented.Store.Fuel, Is.EqualTo(500));
            Assert.That(rented.Instance.GetFunction<int, int>("spin")!(100), Is.Zero);
            Assert.That(rented.Store.Fuel, Is.LessThan(500));
        }
        using var third = pool.Rent();
        Assert.That(third.Store.Fuel, Is.EqualTo(500));
    }

    [Test]
    public void StoreLimitsApplyToPooledStores()
    {
        var (module, linker) = Compile();
        using var pool = new InstancePool(module, linker, new InstancePoolOptions { StoreLimits = new StoreLimits { MaxMemoryPages = 1 } });
        using var rented = pool.Rent();
        Assert.That(rented.Store.Limits.MaxMemoryPages, Is.EqualTo(1));
        Assert.That(rented.Instance.GetMemory("memory")!.Grow(1), Is.EqualTo(-1));
    }

    [Test]
    public void ReturnAfterDisposeDropsTheInstance()
    {
        var pool = NewPool(maximum: 2, prewarm: 1);
        var rented = pool.Rent();
        pool.Dispose();
        Assert.That(pool.Metrics.Idle, Is.Zero);
        rented.Dispose();
        Assert.That((pool.Metrics.Live, pool.Metrics.Idle), Is.EqualTo((0, 0)));
        Assert.That(() => rented.Instance, Throws.TypeOf<ObjectDisposedException>());
        Assert.That(() => pool.Rent(), Throws.TypeOf<ObjectDisposedException>());
        Assert.That(() => pool.Prewarm(1), Throws.TypeOf<ObjectDisposedException>());
        pool.Dispose();
    }

    [Test]
    public void AHandleKeptPastItsReturnCannotReachTheNextRenter()
    {
        using var pool = NewPool(maximum: 1);
        var kept = pool.Rent();
        var instance = kept.Instance;
        kept.Dispose();
        using var next = pool.Rent();
        Assert.That(next.Instance, Is.SameAs(instance), "the same instance is rented again");
        Assert.That(() => kept.Instance, Throws.TypeOf<ObjectDisposedException>());
        Assert.That(() => kept.Store, Throws.TypeOf<ObjectDisposedException>());
        Assert.That(() => kept.Tag, Throws.TypeOf<ObjectDisposedException>());
        // Disposing the old handle again does not return the next renter's instance.
        kept.Dispose();
        Assert.That(pool.Metrics.Idle, Is.Zero);
        Assert.That(next.Instance.GetFunction<int, int>("echo")!(7), Is.EqualTo(7));
    }

    [Test]
    public void AnUndisposedDeadlineOfOneRentDoesNotInterruptTheNext()
    {
        var (module, linker) = Compile(new EngineOptions { ResettableInstances = true, Interruptible = true });
        using var pool = new InstancePool(module, linker, new InstancePoolOptions { MaximumInstances = 1 });
        using var cancelled = new CancellationTokenSource();
        using (var first = pool.Rent())
        {
            // Never disposed: the deadline and the token belong to this rent only.
            _ = first.Store.InterruptAfter(TimeSpan.FromMilliseconds(50));
            _ = first.Store.InterruptOn(cancelled.Token);
        }
        using var next = pool.Rent();
        cancelled.Cancel();
        Thread.Sleep(300);
        Assert.That(next.Instance.GetFunction<int, int>("echo")!(7), Is.EqualTo(7));
        Assert.That(next.Instance.HasTrapped, Is.False);
    }

    [Test]
    public void OptionsAndArgumentsAreChecked()
    {
        var (plain, plainLinker) = Compile(new EngineOptions());
        Assert.That(() => new InstancePool(plain, plainLinker), Throws.ArgumentException);
        var (module, linker) = Compile();
        Assert.That(() => new InstancePool(module, new Linker(new Engine(new EngineOptions { ResettableInstances = true }))), Throws.ArgumentException);
        Assert.That(() => new InstancePool(module, linker, new InstancePoolOptions { MaximumInstances = 0 }), Throws.ArgumentException);
        Assert.That(() => new InstancePool(module, linker, new InstancePoolOptions { PrewarmCount = -1 }), Throws.ArgumentException);
        using var pool = new InstancePool(module, linker);
        using var other = new InstancePool(module, linker);
        Assert.That(() => pool.Rent(TimeSpan.FromSeconds(-2)), Throws.TypeOf<ArgumentOutOfRangeException>());
        var foreign = other.Rent();
        Assert.That(() => pool.Return(foreign), Throws.ArgumentException);
        foreign.Dispose();
    }

    [Test]
    public void LinkErrorsReleaseTheSlot()
    {
        var engine = new Engine(new EngineOptions { ResettableInstances = true });
        var module = Module.FromBytes(engine, Wat.ToWasm("""(module (import "wasmkit" "get_score" (func (result f64))))"""));
        using var pool = new InstancePool(module, new Linker(engine), new InstancePoolOptions { MaximumInstances = 1 });
        Assert.That(() => pool.Rent(), Throws.TypeOf<WasmLinkException>());
        Assert.That(() => pool.Rent(TimeSpan.Zero), Throws.TypeOf<WasmLinkException>(), "not a timeout: the slot came back");
        Assert.That(pool.Metrics.Live, Is.Zero);
    }

    [Test]
    public void PooledFixtureUdfsReadTheirOwnDocuments()
    {
        var engine = new Engine(new EngineOptions { ResettableInstances = true });
        var linker = new Linker(engine);
        DocumentHostFunctions.Define(linker);
        var module = Module.FromFile(engine, UdfFixtures.Path("string_distance.wasm"));
        using var pool = new InstancePool(module, linker, new InstancePoolOptions { MaximumInstances = 4, StoreData = _ => new DocumentContext() });
        using var documents = UdfFixtures.Documents();
        var names = documents.RootElement.EnumerateArray().ToArray();
        var matches = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.ForEach(names, new ParallelOptions { MaxDegreeOfParallelism = 4 }, document =>
        {
            using var rented = pool.Rent(TimeSpan.FromSeconds(60));
            ((DocumentContext)rented.Store.Data!).SetDocument(document, document.GetProperty("id").GetString());
            var (field, fieldLength) = UdfFixtures.WriteString(rented.Instance, "product_name");
            var (target, targetLength) = UdfFixtures.WriteString(rented.Instance, "iPhone 15");
            int keep = rented.Instance.GetFunction<int, int, int, int, int, int>("string_distance")!(field, fieldLength, target, targetLength, 1);
            if (keep == 1) matches.Add(document.GetProperty("product_name").GetString()!);
        });
        Assert.That(matches, Is.EquivalentTo(new[] { "iPhone 15", "iPhone 14", "iPhone 13", "iPhone 15e", "iPhone 16", "iPhon 15", "Phone 15" }));
    }

    [Test, Explicit("prints a rough cost of rent + reset + return; no assertion on time")]
    public void MeasureRentResetReturn()
    {
        using var pool = NewPool(maximum: 2, prewarm: 1);
        for (int i = 0; i < 10_000; i++) pool.Rent().Dispose();
        const int rounds = 1_000_000;
        long before = GC.GetAllocatedBytesForCurrentThread();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < rounds; i++) pool.Rent().Dispose();
        watch.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        TestContext.Out.WriteLine($"rent+reset+return (untouched): {watch.Elapsed.TotalNanoseconds / rounds:F0} ns wall, {cpu.TotalNanoseconds / rounds:F0} ns CPU, {allocated / (double)rounds:F2} B/op");

        watch.Restart();
        for (int i = 0; i < rounds / 10; i++)
        {
            using var rented = pool.Rent();
            rented.Instance.GetMemory("memory")!.Write(40000, i);
        }
        watch.Stop();
        TestContext.Out.WriteLine($"rent+write 4 bytes+reset+return: {watch.Elapsed.TotalNanoseconds / (rounds / 10):F0} ns");
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail("timed out waiting for a condition");
            await Task.Delay(5);
        }
    }
}
