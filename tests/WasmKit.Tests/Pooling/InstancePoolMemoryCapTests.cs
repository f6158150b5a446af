using WasmKit.Backends;
using WasmKit.Pooling;
using WasmKit.Tests.Support;

namespace WasmKit.Tests.Pooling;

/// <summary>
/// The pool's cap on total guest memory (<see cref="InstancePoolOptions.MaxTotalMemoryBytes"/>), on every backend: at the cap
/// a rent that needs a new instance waits for a return or fails with <see cref="InstancePoolExhaustedException"/>, as configured,
/// and the count of memory never stays above the cap.
/// </summary>
[TestFixtureSource(typeof(BackendFixtures), nameof(BackendFixtures.All))]
public class InstancePoolMemoryCapTests(BackendFixture fixture)
{
    private const string OnePage = """
        (module
          (memory (export "memory") 1)
          (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))
        """;

    private const long PageBytes = 64 * 1024;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static byte[]? s_onePage;

    private IBackendModule _module = null!;

    [SetUp]
    public void SetUp() => _module = fixture.CreateBackend().Compile(s_onePage ??= Wat.ToWasm(OnePage), "one-page");

    private InstancePool NewPool(long pages, MemoryCapPolicy policy) =>
        new(_module, new BackendInstanceOptions(), new InstancePoolOptions
        {
            MaximumInstances = 10,
            MaxTotalMemoryBytes = pages * PageBytes,
            WhenMemoryCapReached = policy,
        });

    [Test]
    public void AtTheCapRentsAreRejectedUnderTheRejectPolicy()
    {
        using var pool = NewPool(2, MemoryCapPolicy.Reject);
        var first = pool.Rent();
        using var second = pool.Rent();
        Assert.That(pool.Metrics.MemoryBytes, Is.EqualTo(2 * PageBytes));
        var error = Assert.Throws<InstancePoolExhaustedException>(() => pool.Rent())!;
        Assert.That(error.Message, Does.Contain("one-page").And.Contain($"{2 * PageBytes}"));
        Assert.That(() => pool.RentAsync().AsTask().GetAwaiter().GetResult(), Throws.TypeOf<InstancePoolExhaustedException>());
        Assert.That(pool.TryRent(out _), Is.False);
        Assert.That(pool.Metrics.MemoryRejected, Is.EqualTo(2));
        first.Dispose();
        using var third = pool.Rent();
        Assert.That(pool.Metrics.Created, Is.EqualTo(2), "the returned instance was reused");
        Assert.That(pool.Metrics.Live, Is.EqualTo(2));
    }

    [Test]
    public async Task AtTheCapRentsWaitForAReturnUnderTheWaitPolicy()
    {
        using var pool = NewPool(2, MemoryCapPolicy.Wait);
        var first = pool.Rent();
        using var second = pool.Rent();
        var waiting = pool.RentAsync();
        Assert.That(waiting.IsCompleted, Is.False);
        Assert.That(pool.Metrics.Waiting, Is.EqualTo(1));
        var instance = first.BackendInstance;
        first.Dispose();
        using var third = await waiting.AsTask().WaitAsync(Patience);
        Assert.That(third.BackendInstance, Is.SameAs(instance));
        Assert.That(pool.Metrics.Waiting, Is.Zero);
    }

    [Test]
    public void AWaitAtTheCapEndsWithTheTimeoutOrTheToken()
    {
        using var pool = NewPool(1, MemoryCapPolicy.Wait);
        using var only = pool.Rent();
        Assert.That(() => pool.Rent(TimeSpan.FromMilliseconds(20)), Throws.TypeOf<TimeoutException>().With.Message.Contains("memory"));
        using var cancel = new CancellationTokenSource(20);
        Assert.That(async () => await pool.RentAsync(cancellationToken: cancel.Token), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(pool.Metrics.Waiting, Is.Zero);
        Assert.That(pool.TryRent(out _), Is.False, "the failed waits gave their slots back and took no memory");
    }

    [Test]
    public void DisposalEndsWaitsAtTheCap()
    {
        var pool = NewPool(1, MemoryCapPolicy.Wait);
        using var only = pool.Rent();
        var waiting = pool.RentAsync();
        pool.Dispose();
        Assert.That(async () => await waiting.AsTask().WaitAsync(Patience), Throws.TypeOf<ObjectDisposedException>());
    }

    [Test]
    public void MemoryGrownDuringARentIsCountedAtItsReturn()
    {
        using var pool = NewPool(2, MemoryCapPolicy.Reject);
        var grower = pool.Rent();
        Assert.That(_module.GetInvoker("grow")!.Invoke(grower.BackendInstance, [1]), Is.EqualTo(1UL));
        using (var other = pool.Rent())
        {
            grower.Dispose();
            Assert.That(pool.Metrics.MemoryBytes, Is.LessThanOrEqualTo(2 * PageBytes), "an instance over the cap at its return is discarded");
        }
        Assert.That(pool.Metrics.MemoryBytes, Is.LessThanOrEqualTo(2 * PageBytes));
        using var again = pool.Rent();
        using var andAgain = pool.Rent();
        Assert.That(pool.Metrics.MemoryBytes, Is.EqualTo(2 * PageBytes));
    }

    [Test]
    public void ConcurrentRentersNeverPushTheCountOverTheCap()
    {
        using var pool = NewPool(3, MemoryCapPolicy.Wait);
        long highest = 0;
        Parallel.For(0, 200, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            using var rented = pool.Rent(Patience);
            long now = pool.Metrics.MemoryBytes;
            long seen = Interlocked.Read(ref highest);
            while (now > seen && Interlocked.CompareExchange(ref highest, now, seen) != seen) seen = Interlocked.Read(ref highest);
        });
        Assert.That(highest, Is.LessThanOrEqualTo(3 * PageBytes));
        Assert.That(pool.Metrics.Live, Is.LessThanOrEqualTo(3));
    }

    [Test]
    public void ACapBelowOneInstanceIsRejected()
    {
        Assert.That(() => new InstancePool(_module, new BackendInstanceOptions(), new InstancePoolOptions { MaxTotalMemoryBytes = PageBytes - 1 }),
            Throws.ArgumentException.With.Message.Contains("MaxTotalMemoryBytes"));
    }
}
