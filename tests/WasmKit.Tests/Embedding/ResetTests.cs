using WasmKit.Tests.Support;

namespace WasmKit.Tests.Embedding;

public class ResetTests
{
    private const string Stateful = """
        (module
          (memory (export "memory") 1 4)
          (global $calls (mut i32) (i32.const 0))
          (table $t 2 funcref)
          (data (i32.const 0) "seed")
          (data $spare "more")
          (elem declare func $f)
          (func $f)
          (func (export "scribble") (param $at i32) (result i32)
            (i32.store (local.get $at) (i32.const 0x12345678))
            (memory.fill (i32.const 1000) (i32.const 7) (i32.const 10))
            (table.set $t (i32.const 1) (ref.func $f))
            (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
            (drop (memory.grow (i32.const 1)))
            (data.drop $spare)
            (global.get $calls))
          (func (export "peek") (param $at i32) (result i32) (i32.load (local.get $at)))
          (func (export "pages") (result i32) (memory.size))
          (func (export "slot") (result i32) (ref.is_null (table.get $t (i32.const 1))))
          (func (export "reinit") (memory.init $spare (i32.const 0) (i32.const 0) (i32.const 4))))
        """;

    [Test]
    public void ResetRestoresMemoryGlobalsTablesAndSegments()
    {
        var engine = new Engine(new EngineOptions { ResettableInstances = true });
        var instance = Wat.Instantiate(Stateful, new Linker(engine), new Store(engine));
        var scribble = instance.GetFunction<int, int>("scribble")!;
        var peek = instance.GetFunction<int, int>("peek")!;
        int seed = peek(0);

        Assert.That(scribble(5000), Is.EqualTo(1));
        Assert.That(peek(5000), Is.EqualTo(0x12345678));
        Assert.That(instance.GetFunction<int>("pages")!(), Is.EqualTo(2));
        Assert.That(instance.GetFunction<int>("slot")!(), Is.EqualTo(0));
        Assert.That(() => instance.GetAction("reinit")!(), Throws.TypeOf<WasmTrapException>(), "data segment dropped");

        instance.Reset();
        Assert.That(peek(5000), Is.Zero);
        Assert.That(peek(1000), Is.Zero);
        Assert.That(peek(0), Is.EqualTo(seed));
        Assert.That(instance.GetFunction<int>("pages")!(), Is.EqualTo(1));
        Assert.That(instance.GetFunction<int>("slot")!(), Is.EqualTo(1));
        Assert.That(scribble(64), Is.EqualTo(1), "the global counts from its initial value again");
        instance.Reset();
        Assert.That(() => instance.GetAction("reinit")!(), Throws.Nothing, "the data segment is live again");
    }

    [Test]
    public void HostWritesAreRolledBackToo()
    {
        var engine = new Engine(new EngineOptions { ResettableInstances = true });
        var instance = Wat.Instantiate(Stateful, new Linker(engine), new Store(engine));
        var memory = instance.GetMemory("memory")!;
        memory.Write(40_000, 99);
        memory.GetSpan(50_000, 4).Fill(1);
        instance.Reset();
        Assert.That(memory.Read<int>(40_000), Is.Zero);
        Assert.That(memory.Read<int>(50_000), Is.Zero);
    }

    [Test]
    public void ResetNeedsAResettableEngine()
    {
        var instance = Wat.Instantiate(Stateful);
        Assert.That(instance.CanReset, Is.False);
        Assert.That(() => instance.Reset(), Throws.InvalidOperationException);
    }
}
