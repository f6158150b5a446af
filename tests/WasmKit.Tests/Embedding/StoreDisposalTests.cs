using WasmKit.Tests.Support;

namespace WasmKit.Tests.Embedding;

/// <summary>Disposing a store releases its memories at once; nothing can reach the released bytes afterwards.</summary>
public class StoreDisposalTests
{
    private const string WithMemory = """
        (module
          (memory (export "memory") 1)
          (data (i32.const 0) "seed")
          (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
          (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
          (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
          (func (export "size") (result i32) (memory.size))
          (func (export "fill") (memory.fill (i32.const 0) (i32.const 1) (i32.const 16))))
        """;

    [Test]
    public void AfterDisposeHostAccessThrowsObjectDisposedException()
    {
        var engine = new Engine();
        var store = new Store(engine);
        var instance = Wat.Instantiate(WithMemory, new Linker(engine), store);
        var memory = instance.GetMemory("memory")!;
        Assert.That(memory.ReadString(0, 4), Is.EqualTo("seed"));

        store.Dispose();

        Assert.That(() => memory.GetSpan(), Throws.InstanceOf<ObjectDisposedException>());
        Assert.That(() => memory.GetSpan(0, 4).Length, Throws.InstanceOf<ObjectDisposedException>());
        Assert.That(() => memory.Read<int>(0), Throws.InstanceOf<ObjectDisposedException>());
        Assert.That(() => memory.Write(0, 1), Throws.InstanceOf<ObjectDisposedException>());
        Assert.That(() => memory.ReadString(0, 4), Throws.InstanceOf<ObjectDisposedException>());
        Assert.That(() => memory.ReadNullTerminatedString(0), Throws.InstanceOf<ObjectDisposedException>());
        Assert.That(() => memory.WriteString(0, "x"), Throws.InstanceOf<ObjectDisposedException>());
        Assert.That(() => memory.Grow(1), Throws.InstanceOf<ObjectDisposedException>());
        Assert.That(memory.Length, Is.Zero);
        Assert.That(memory.PageCount, Is.Zero);
    }

    [Test]
    public void AfterDisposeGuestAccessTrapsInsteadOfTouchingReleasedMemory()
    {
        var engine = new Engine();
        var store = new Store(engine);
        var instance = Wat.Instantiate(WithMemory, new Linker(engine), store);
        var load = instance.GetFunction<int, int>("load")!;
        var write = instance.GetAction<int, int>("store")!;
        var grow = instance.GetFunction<int, int>("grow")!;
        var fill = instance.GetAction("fill")!;
        write(8, 42);
        Assert.That(load(8), Is.EqualTo(42));

        store.Dispose();

        Assert.That(Assert.Throws<WasmTrapException>(() => load(0))!.Code, Is.EqualTo(TrapCode.MemoryOutOfBounds));
        Assert.That(Assert.Throws<WasmTrapException>(() => write(0, 1))!.Code, Is.EqualTo(TrapCode.MemoryOutOfBounds));
        Assert.That(Assert.Throws<WasmTrapException>(() => fill())!.Code, Is.EqualTo(TrapCode.MemoryOutOfBounds));
        Assert.That(grow(1), Is.EqualTo(-1), "a released memory cannot grow back");
        Assert.That(instance.GetFunction<int>("size")!(), Is.Zero);
        Assert.That(Assert.Throws<WasmTrapException>(() => load(0))!.Code, Is.EqualTo(TrapCode.MemoryOutOfBounds));
    }

    [Test]
    public void DisposingTwiceIsHarmlessAndTheStoreCreatesNothingNewAfterwards()
    {
        var engine = new Engine();
        var store = new Store(engine);
        var module = Module.FromBytes(engine, Wat.ToWasm(WithMemory));
        store.Dispose();
        store.Dispose();
        Assert.That(() => new Memory(store, 1), Throws.InstanceOf<ObjectDisposedException>());
        Assert.That(() => new Linker(engine).Instantiate(store, module), Throws.InstanceOf<ObjectDisposedException>());
    }

    [Test]
    public void ResetAfterDisposeThrowsObjectDisposedException()
    {
        var engine = new Engine(new EngineOptions { ResettableInstances = true });
        var store = new Store(engine);
        var instance = Wat.Instantiate(WithMemory, new Linker(engine), store);
        store.Dispose();
        Assert.That(() => instance.Reset(), Throws.InstanceOf<ObjectDisposedException>());
    }

    [Test]
    public void HostCreatedMemoriesAreReleasedWithTheirStore()
    {
        var store = new Store(new Engine());
        var memories = Enumerable.Range(0, 4).Select(_ => new Memory(store, 2, 10)).ToArray();
        store.Dispose();
        foreach (var memory in memories)
        {
            Assert.That(memory.Length, Is.Zero);
            Assert.That(() => memory.GetSpan(), Throws.InstanceOf<ObjectDisposedException>());
        }
    }

    [Test]
    public void MemoriesOfStoresNeverDisposedAreReleasedByTheFinalizer()
    {
        Assume.That(OperatingSystem.IsLinux(), "reads the address space size from /proc/self/status");
        const long Reserved = 50L * 1000 * 65536;
        Collect();
        long before = AddressSpaceBytes();
        CreateUndisposed(50, 1000);
        Assert.That(AddressSpaceBytes() - before, Is.GreaterThanOrEqualTo(Reserved), "each memory reserves its maximum");
        Collect();
        Assert.That(AddressSpaceBytes() - before, Is.LessThan(Reserved / 2), "the finalizer released the reservations");
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void CreateUndisposed(int count, uint maximumPages)
    {
        var engine = new Engine();
        for (int i = 0; i < count; i++) new Memory(new Store(engine), 0, maximumPages).Grow(1);
    }

    private static void Collect()
    {
        for (int i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
    }

    /// <summary>The process's virtual size (VmSize), in bytes.</summary>
    private static long AddressSpaceBytes()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmSize:", StringComparison.Ordinal));
        return long.Parse(line["VmSize:".Length..].Trim().Split(' ')[0]) * 1024;
    }
}
