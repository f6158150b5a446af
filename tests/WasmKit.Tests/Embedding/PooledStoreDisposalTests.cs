using WasmKit.Pooling;
using WasmKit.Tests.Support;

namespace WasmKit.Tests.Embedding;

/// <summary>Instances a pool drops give their memory back at once instead of waiting for a finalizer.</summary>
public class PooledStoreDisposalTests
{
    private const string WithMemory = """
        (module
          (memory (export "memory") 1)
          (func (export "load") (param i32) (result i32) (i32.load (local.get 0))))
        """;

    private static InstancePool CreatePool(InstancePoolOptions? options = null)
    {
        var engine = new Engine(new EngineOptions { ResettableInstances = true });
        return new InstancePool(Module.FromBytes(engine, Wat.ToWasm(WithMemory)), new Linker(engine), options);
    }

    [Test]
    public void ABrokenInstanceReturnedToThePoolReleasesItsMemory()
    {
        using var pool = CreatePool();
        var rented = pool.Rent();
        var memory = rented.Instance.GetMemory("memory")!;
        var store = rented.Store;
        rented.MarkBroken();
        rented.Dispose();
        Assert.That(store.IsDisposed, Is.True);
        Assert.That(memory.Length, Is.Zero);
        Assert.That(() => memory.GetSpan(), Throws.InstanceOf<ObjectDisposedException>());
    }

    [Test]
    public void TrimmedAndDrainedIdleInstancesReleaseTheirMemory()
    {
        var pool = CreatePool(new InstancePoolOptions { IdleTimeout = TimeSpan.Zero, MaximumInstances = 2 });
        var first = pool.Rent();
        var second = pool.Rent();
        var (firstStore, secondStore) = (first.Store, second.Store);
        first.Dispose();
        // Idle for at least one tick, so the zero timeout has passed.
        long returned = Environment.TickCount64;
        SpinWait.SpinUntil(() => Environment.TickCount64 > returned, TimeSpan.FromSeconds(30));
        Assert.That(pool.TrimIdle(), Is.EqualTo(1));
        Assert.That(firstStore.IsDisposed, Is.True);

        second.Dispose();
        Assert.That(secondStore.IsDisposed, Is.False, "an idle instance keeps its memory");
        pool.Dispose();
        Assert.That(secondStore.IsDisposed, Is.True);
    }
}
