namespace WasmKit.Tests.Embedding;

/// <summary>
/// An engine reuses the reservations of released memories (<see cref="LinearMemoryPool"/>): a memory that
/// gets one must look brand new, whatever the previous owner wrote or grew.
/// </summary>
public sealed class MemoryReuseTests
{
    [Test]
    public void AReusedReservationReadsAsZero()
    {
        var engine = new Engine();
        var first = new Store(engine);
        var used = new Memory(first, 1);
        used.Grow(3);
        used.GetSpan().Fill(0xAB);
        first.Dispose();

        for (int round = 0; round < 3; round++)
        {
            using var store = new Store(engine);
            var memory = new Memory(store, 1);
            Assert.That(memory.PageCount, Is.EqualTo(1));
            Assert.That(memory.GetSpan().IndexOfAnyExcept((byte)0), Is.EqualTo(-1));
            Assert.That(memory.Grow(5), Is.EqualTo(1));
            Assert.That(memory.GetSpan().IndexOfAnyExcept((byte)0), Is.EqualTo(-1));
            memory.GetSpan().Fill(0xCD);
        }
    }

    [Test]
    public void AReusedReservationKeepsTheNewMemorysLimits()
    {
        var engine = new Engine();
        using (var store = new Store(engine)) new Memory(store, 4).GetSpan().Fill(1);
        using var limited = new Store(engine, new StoreLimits { MaxMemoryPages = 2 });
        var memory = new Memory(limited, 1);
        Assert.That(memory.Grow(1), Is.EqualTo(1));
        Assert.That(memory.Grow(1), Is.EqualTo(-1));
        using var bounded = new Store(engine);
        var declared = new Memory(bounded, 1, maximumPages: 2);
        Assert.That(declared.Grow(2), Is.EqualTo(-1));
        Assert.That(declared.Length, Is.EqualTo(65536));
    }

    [Test]
    public void ThePoolKeepsABoundedNumberOfReservations()
    {
        var engine = new Engine();
        var stores = Enumerable.Range(0, LinearMemoryPool.MaxPooled * 2).Select(_ => new Store(engine)).ToList();
        foreach (var store in stores) new Memory(store, 1);
        foreach (var store in stores) store.Dispose();
        Assert.That(engine.MemoryPool.Count, Is.LessThanOrEqualTo(LinearMemoryPool.MaxPooled));
        engine.Dispose();
        Assert.That(engine.MemoryPool.Count, Is.Zero);
    }

    [Test]
    public void GuestCodeSeesAFreshMemoryInAReusedReservation()
    {
        var engine = new Engine();
        var module = Module.FromBytes(engine, Support.Wat.ToWasm("""
            (module (memory (export "m") 1)
              (func (export "sum") (result i32) (local $i i32) (local $s i32)
                (block $done (loop $next
                  (br_if $done (i32.ge_u (local.get $i) (i32.const 65536)))
                  (local.set $s (i32.add (local.get $s) (i32.load8_u (local.get $i))))
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  (br $next)))
                (local.get $s))
              (func (export "dirty") (memory.fill (i32.const 0) (i32.const 255) (i32.const 65536))))
            """));
        var linker = new Linker(engine);
        for (int round = 0; round < 5; round++)
        {
            using var store = new Store(engine);
            var instance = linker.Instantiate(store, module);
            Assert.That(instance.GetFunction<int>("sum")!(), Is.Zero);
            instance.GetAction("dirty")!();
            Assert.That(instance.GetFunction<int>("sum")!(), Is.EqualTo(255 * 65536));
        }
    }
}
