using WasmKit.Tests.Support;

namespace WasmKit.Tests.Runtime;

/// <summary>Growing tables: amortised constant cost per element, charged to fuel, fresh values in regrown slots.</summary>
public class TableGrowthTests
{
    private const string Grower = """
        (module
          (table $t (export "table") 1 funcref)
          (elem declare func $f)
          (func $f)
          (func (export "grow_times") (param $times i32) (result i32)
            (block $done (loop $again
              (br_if $done (i32.eqz (local.get $times)))
              (drop (table.grow $t (ref.null func) (i32.const 1)))
              (local.set $times (i32.sub (local.get $times) (i32.const 1)))
              (br $again)))
            (table.size $t))
          (func (export "grow_with_f") (param i32) (result i32) (table.grow $t (ref.func $f) (local.get 0)))
          (func (export "is_null") (param i32) (result i32) (ref.is_null (table.get $t (local.get 0))))
          (func (export "call") (param i32) (call_indirect $t (local.get 0))))
        """;

    [Test]
    public void AHundredThousandOneElementGrowsCompleteAndAreChargedToFuel()
    {
        var engine = new Engine(new EngineOptions { ConsumeFuel = true });
        var store = new Store(engine);
        var instance = Wat.Instantiate(Grower, new Linker(engine), store);
        store.Fuel = 10_000_000;
        var growTimes = instance.GetFunction<int, int>("grow_times")!;
        var run = Task.Run(() => growTimes(100_000));
        Assert.That(run.Wait(TimeSpan.FromSeconds(60)), Is.True, "safety timeout: the grow loop must finish");
        Assert.That(run.Result, Is.EqualTo(100_001));
        long consumed = 10_000_000 - store.Fuel;
        // One unit per loop iteration and one per grow.
        Assert.That(consumed, Is.GreaterThanOrEqualTo(2 * 100_000));
        Assert.That(instance.GetTable("table")!.Size, Is.EqualTo(100_001u));
    }

    [Test]
    public void GrowthKeepsElementsAndFillsNewSlots()
    {
        var instance = Wat.Instantiate(Grower);
        var table = instance.GetTable("table")!;
        var growWithF = instance.GetFunction<int, int>("grow_with_f")!;
        var isNull = instance.GetFunction<int, int>("is_null")!;
        Assert.That(growWithF(3), Is.EqualTo(1));
        Assert.That(table.Grow(2, null), Is.EqualTo(4));
        Assert.That(table.Size, Is.EqualTo(6u));
        Assert.That(new[] { isNull(0), isNull(1), isNull(2), isNull(3), isNull(4), isNull(5) }, Is.EqualTo(new[] { 1, 0, 0, 0, 1, 1 }));
        Assert.That(Assert.Throws<WasmTrapException>(() => isNull(6))!.Code, Is.EqualTo(TrapCode.TableOutOfBounds));
        Assert.That(Assert.Throws<WasmTrapException>(() => instance.GetAction<int>("call")!(6))!.Code, Is.EqualTo(TrapCode.TableOutOfBounds));
        Assert.That(() => table.GetElement(6), Throws.InstanceOf<ArgumentOutOfRangeException>());
        instance.GetAction<int>("call")!(1);
    }

    [Test]
    public void SlotsGivenBackByAResetHoldTheNewInitialValueWhenGrownAgain()
    {
        var engine = new Engine(new EngineOptions { ResettableInstances = true });
        var instance = Wat.Instantiate(Grower, new Linker(engine), new Store(engine));
        var table = instance.GetTable("table")!;
        Assert.That(instance.GetFunction<int, int>("grow_with_f")!(4), Is.EqualTo(1));
        instance.Reset();
        Assert.That(table.Size, Is.EqualTo(1u));
        Assert.That(() => instance.GetFunction<int, int>("is_null")!(1), Throws.InstanceOf<WasmTrapException>());
        Assert.That(table.Grow(4, null), Is.EqualTo(1));
        for (uint i = 1; i < 5; i++) Assert.That(table.GetElement(i), Is.Null, $"slot {i}");
    }

    [Test]
    public void GrowingPastTheStoreLimitReturnsMinusOne()
    {
        var store = new Store(new Engine(), new StoreLimits { MaxTableElements = 100 });
        var table = new Table(store, new TableType(ValueKind.ExternRef, new Limits(10, null)));
        Assert.That(table.Grow(91, null), Is.EqualTo(-1));
        Assert.That(table.Grow(90, "x"), Is.EqualTo(10));
        Assert.That(table.Size, Is.EqualTo(100u));
        Assert.That(table.GetElement(99), Is.EqualTo("x"));
        Assert.That(table.Grow(1, null), Is.EqualTo(-1));
    }
}
