using WasmKit.Tests.Support;

namespace WasmKit.Tests.Runtime;

/// <summary>
/// Compiled functions keep memory 0's base and length in locals (the memory view). These tests change
/// the memory under a running function (a host call that grows it or disposes the store, a call through a
/// table, memory.grow) and check that the next access sees the change: it succeeds in new pages and traps
/// outside them, in both tierings and with tracked (resettable) stores.
/// </summary>
[TestFixture(CodeTiering.Tiered, false)]
[TestFixture(CodeTiering.Collectible, false)]
[TestFixture(CodeTiering.Tiered, true)]
public class MemoryViewTests(CodeTiering tiering, bool resettable)
{
    private const int SecondPage = 65536;

    private const string Module = """
        (module
          (import "env" "poke" (func $poke))
          (memory (export "mem") 1)
          (table 1 funcref)
          (elem (i32.const 0) $poke)
          (func (export "after_call") (param $addr i32) (result i32)
            (i32.store (i32.const 0) (i32.const 7))
            (call $poke)
            (i32.store (local.get $addr) (i32.const 42))
            (i32.add (i32.load (local.get $addr)) (i32.load (i32.const 0))))
          (func (export "after_indirect") (param $addr i32) (result i32)
            (i32.store (i32.const 0) (i32.const 7))
            (call_indirect (i32.const 0))
            (i32.store (local.get $addr) (i32.const 42))
            (i32.load (local.get $addr)))
          (func (export "after_grow") (param $addr i32) (result i32)
            (i32.store (i32.const 0) (i32.const 1))
            (drop (memory.grow (i32.const 1)))
            (i32.store (local.get $addr) (i32.const 5))
            (i32.load (local.get $addr)))
          (func (export "loop_calls") (param $n i32) (result i32)
            (local $sum i32)
            (block $done (loop $again
              (br_if $done (i32.eqz (local.get $n)))
              (local.set $sum (i32.add (local.get $sum) (i32.load8_u (i32.const 0))))
              (call $poke)
              (local.set $n (i32.sub (local.get $n) (i32.const 1)))
              (br $again)))
            (local.get $sum)))
        """;

    private Store _store = null!;
    private Instance _instance = null!;
    private Action _onPoke = () => { };

    [SetUp]
    public void SetUp()
    {
        var engine = new Engine(new EngineOptions { CodeTiering = tiering, ResettableInstances = resettable });
        var linker = new Linker(engine);
        linker.DefineFunction("env", "poke", FunctionType.Of([], []), (_, _, _) => _onPoke());
        _store = new Store(engine);
        _instance = Wat.Instantiate(Module, linker, _store);
        _onPoke = () => { };
    }

    [TearDown]
    public void TearDown() => _store.Dispose();

    private Memory Memory => _instance.GetMemory("mem")!;

    private int Call(string name, int argument) => _instance.GetFunction<int, int>(name)!(argument);

    [Test]
    public void APageTheHostGrowsDuringACallIsUsableAfterIt()
    {
        _onPoke = () => Memory.Grow(1);
        Assert.That(Call("after_call", SecondPage), Is.EqualTo(49));
    }

    [Test]
    public void APageTheHostGrowsDuringACallThroughATableIsUsableAfterIt()
    {
        _onPoke = () => Memory.Grow(1);
        Assert.That(Call("after_indirect", SecondPage), Is.EqualTo(42));
    }

    [Test]
    public void WithoutGrowthTheSameAccessTraps()
    {
        var trap = Assert.Throws<WasmTrapException>(() => Call("after_call", SecondPage))!;
        Assert.That(trap.Code, Is.EqualTo(TrapCode.MemoryOutOfBounds));
    }

    [Test]
    public void APageGrownByMemoryGrowIsUsableInTheSameFunction()
    {
        Assert.That(Call("after_grow", SecondPage), Is.EqualTo(5));
        Assert.That(Memory.PageCount, Is.EqualTo(2u));
    }

    [Test]
    public void AccessPastAMemoryGrowThatFailedTraps()
    {
        var trap = Assert.Throws<WasmTrapException>(() => Call("after_grow", 3 * SecondPage))!;
        Assert.That(trap.Code, Is.EqualTo(TrapCode.MemoryOutOfBounds));
    }

    [Test]
    public void AStoreDisposedByTheHostDuringACallMakesTheNextAccessTrap()
    {
        _onPoke = () => _store.Dispose();
        var trap = Assert.Throws<WasmTrapException>(() => Call("after_call", 4))!;
        Assert.That(trap.Code, Is.EqualTo(TrapCode.MemoryOutOfBounds));
    }

    [Test]
    public void AStoreDisposedInsideALoopStopsTheLoopAtItsNextAccess()
    {
        int pokes = 0;
        _onPoke = () => { if (++pokes == 3) _store.Dispose(); };
        var trap = Assert.Throws<WasmTrapException>(() => Call("loop_calls", 10))!;
        Assert.That(trap.Code, Is.EqualTo(TrapCode.MemoryOutOfBounds));
        Assert.That(pokes, Is.EqualTo(3));
    }
}
