using WasmKit.Tests.Support;

namespace WasmKit.Tests.Runtime;

/// <summary>
/// Small leaf functions (no calls) are compiled without a stack check of their own. Recursion through
/// functions that call them must still end in a trap, and fuel and interruption still apply at their entry.
/// </summary>
[TestFixture(CodeTiering.Tiered)]
[TestFixture(CodeTiering.Collectible)]
public class LeafFunctionTests(CodeTiering tiering)
{
    private const string Module = """
        (module
          (func $leaf (export "leaf") (param i32) (result i32)
            (i32.add (i32.mul (local.get 0) (i32.const 3)) (i32.const 1)))
          (func $spin (export "spin") (param $n i32) (result i32)
            (loop $again
              (local.set $n (i32.sub (local.get $n) (i32.const 1)))
              (br_if $again (i32.gt_s (local.get $n) (i32.const 0))))
            (local.get $n))
          (func $deep (export "deep") (param i32) (result i32)
            (call $deep (call $leaf (local.get 0))))
          (func (export "answer") (result i32) (i32.const 42)))
        """;

    private (Instance Instance, Store Store) Create(bool consumeFuel = false, bool interruptible = false, StoreLimits? limits = null)
    {
        var engine = new Engine(new EngineOptions { CodeTiering = tiering, ConsumeFuel = consumeFuel, Interruptible = interruptible });
        var store = limits is null ? new Store(engine) : new Store(engine, limits);
        return (Wat.Instantiate(Module, new Linker(engine), store), store);
    }

    [Test]
    public void RecursionThroughACallerOfALeafStillExhaustsTheStackWithATrap()
    {
        var (instance, _) = Create(limits: new StoreLimits { MaxStackBytes = 64 * 1024 });
        var trap = Assert.Throws<WasmTrapException>(() => instance.GetFunction<int, int>("deep")!(0))!;
        Assert.That(trap.Code, Is.EqualTo(TrapCode.CallStackExhausted));
        Assert.That(instance.GetFunction<int>("answer")!(), Is.EqualTo(42));
        Assert.That(instance.GetFunction<int, int>("leaf")!(2), Is.EqualTo(7));
    }

    [Test]
    public void ALeafIsChargedFuelOnEveryCall()
    {
        var (instance, store) = Create(consumeFuel: true);
        var leaf = instance.GetFunction<int, int>("leaf")!;
        store.Fuel = 3;
        leaf(1);
        leaf(1);
        leaf(1);
        Assert.That(Assert.Throws<WasmTrapException>(() => leaf(1))!.Code, Is.EqualTo(TrapCode.OutOfFuel));
    }

    [Test]
    public void ALeafLoopIsInterrupted()
    {
        var (instance, store) = Create(interruptible: true);
        store.Interrupt();
        Assert.That(Assert.Throws<WasmTrapException>(() => instance.GetFunction<int, int>("spin")!(1000))!.Code, Is.EqualTo(TrapCode.Interrupted));
        Assert.That(instance.GetFunction<int, int>("spin")!(1000), Is.EqualTo(0));
    }
}
