using System.Text;
using WasmKit.Compilation;
using WasmKit.Tests.Support;

namespace WasmKit.Tests.Runtime;

/// <summary>
/// Function bodies too large for the JIT's optimiser are split into region methods. These tests force
/// splitting on tiny regions and check that every way control leaves a region (branches with values,
/// br_table, return with several results), loops with fuel and interruption, traps, memory.grow, calls
/// and recursion behave exactly as in the same module compiled whole.
/// </summary>
[TestFixture(CodeTiering.Tiered)]
[TestFixture(CodeTiering.Collectible)]
public class OutliningTests(CodeTiering tiering)
{
    /// <summary>Splits every body larger than 12 bytes, into regions as small as one instruction.</summary>
    private static readonly OutliningOptions Tiny = new(SplitBodyBytes: 12, ThresholdBytes: 12, MinimumRegionBytes: 1);

    /// <summary>Never splits (the threshold is above any body here).</summary>
    private static readonly OutliningOptions Never = new(SplitBodyBytes: int.MaxValue, ThresholdBytes: int.MaxValue, MinimumRegionBytes: 1);

    private const int WideCases = 12;

    private static readonly string Module = $$"""
        (module
          (memory (export "mem") 1)
          (func $double (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
          (func (export "classify") (param $x i32) (result i32)
            (block $out (result i32)
              (block $neg
                (block $zero
                  (br_if $zero (i32.eqz (local.get $x)))
                  (br_if $neg (i32.lt_s (local.get $x) (i32.const 0)))
                  (br $out (i32.add (i32.mul (local.get $x) (i32.const 10)) (i32.const 1))))
                (br $out (i32.const 100)))
              (i32.const -100)))
          (func (export "narrow") (param $x i32) (result i32)
            (local $r i32)
            (block $done
              (block $c2
                (block $c1
                  (block $c0
                    (br_table $c0 $c1 $c2 (local.get $x)))
                  (local.set $r (i32.const 10))
                  (br $done))
                (local.set $r (i32.const 20))
                (br $done))
              (local.set $r (i32.const 30)))
            (local.get $r))
          {{WideSwitch()}}
          (func (export "pair") (param $x i32) (result i32 i64)
            (block
              (br_if 0 (i32.eqz (local.get $x)))
              (return (i32.mul (local.get $x) (i32.const 3)) (i64.const 7)))
            (i32.const -1)
            (i64.const -7))
          (func (export "stacked") (param $x i32) (result i32)
            (i32.add (i32.const 1000)
              (block (result i32)
                (if (i32.eq (local.get $x) (i32.const 1)) (then (return (i32.const -1))))
                (br_if 0 (i32.const 5) (i32.eqz (local.get $x)))
                (drop)
                (i32.const 7))))
          (func (export "count") (param $n i32) (result i32)
            (local $i i32) (local $sum i32)
            (block $exit
              (loop $again
                (br_if $exit (i32.ge_s (local.get $i) (local.get $n)))
                (local.set $sum (i32.add (local.get $sum) (call $double (local.get $i))))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $again)))
            (local.get $sum))
          (func (export "divide") (param $a i32) (param $b i32) (result i32)
            (block (result i32)
              (block (result i32)
                (i32.div_s (local.get $a) (local.get $b)))))
          (func (export "load") (param $address i32) (result i32)
            (block (result i32)
              (nop)
              (i32.load (local.get $address))))
          (func $inner (export "boom") (param $x i32)
            (block
              (block
                (br_if 1 (local.get $x))
                (unreachable))))
          (func (export "outer") (param $x i32)
            (block
              (call $inner (local.get $x))))
          (func (export "grow_then_store") (result i32)
            (block
              (nop) (nop) (nop) (nop) (nop) (nop) (nop) (nop) (nop) (nop) (nop) (nop)
              (drop (memory.grow (i32.const 1))))
            (i32.store (i32.const 65536) (i32.const 77))
            (i32.load (i32.const 65536)))
          (func $depth (export "depth") (param $n i32) (result i32)
            (if (result i32) (i32.eqz (local.get $n))
              (then (i32.const 0))
              (else
                (block (result i32)
                  (i32.add (i32.const 1) (call $depth (i32.sub (local.get $n) (i32.const 1)))))))))
        """;

    /// <summary>
    /// A switch over <see cref="WideCases"/> cases and a default, as C compilers lay it out: each case between the
    /// ends of two nested blocks; even cases break, odd ones fall through into the next. Its br_table stays in
    /// the function; its cases become regions, several to a region when they fit.
    /// </summary>
    private static string WideSwitch()
    {
        var text = new StringBuilder("(func (export \"wide\") (param $x i32) (result i32) (local $r i32) (block $done (block $default ");
        for (int c = WideCases - 1; c >= 0; c--) text.Append($"(block $c{c} ");
        text.Append("(br_table");
        for (int c = 0; c < WideCases; c++) text.Append($" $c{c}");
        text.Append(" $default (local.get $x)))");
        for (int c = 0; c < WideCases; c++)
            text.Append($" (local.set $r (i32.add (local.get $r) (i32.const {(c + 1) * 10}))){(c % 2 == 0 ? " (br $done)" : "")})");
        text.Append(" (local.set $r (i32.const -1))) (local.get $r))");
        return text.ToString();
    }

    /// <summary>What <see cref="WideSwitch"/> returns for <paramref name="x"/>.</summary>
    private static int WideSwitchResult(int x)
    {
        if (x is < 0 or >= WideCases) return -1;
        int result = 0;
        for (int c = x; c < WideCases; c++)
        {
            result += (c + 1) * 10;
            if (c % 2 == 0) return result;
        }
        return -1; // the last case falls through into the default
    }

    private (Instance Instance, Store Store) Create(OutliningOptions outlining, bool consumeFuel = false, bool interruptible = false, StoreLimits? limits = null)
    {
        var engine = new Engine(new EngineOptions { CodeTiering = tiering, ConsumeFuel = consumeFuel, Interruptible = interruptible, Outlining = outlining });
        var store = limits is null ? new Store(engine) : new Store(engine, limits);
        return (Wat.Instantiate(Module, new Linker(engine), store), store);
    }

    private static object? Call(Instance instance, string name, params object?[] arguments) => instance.GetFunction(name)!.Invoke(arguments);

    [TestCase("classify", new object[] { 0 })]
    [TestCase("classify", new object[] { -5 })]
    [TestCase("classify", new object[] { 7 })]
    [TestCase("stacked", new object[] { 0 })]
    [TestCase("stacked", new object[] { 1 })]
    [TestCase("stacked", new object[] { 2 })]
    [TestCase("count", new object[] { 50 })]
    [TestCase("depth", new object[] { 200 })]
    [TestCase("divide", new object[] { 17, -5 })]
    public void BranchesOutOfRegionsCarryTheirValues(string name, object[] arguments)
    {
        var (split, _) = Create(Tiny);
        var (whole, _) = Create(Never);
        Assert.That(Call(split, name, arguments), Is.EqualTo(Call(whole, name, arguments)));
    }

    [Test]
    public void BranchTablesInsideAndAroundRegionsPickTheRightCase()
    {
        var (split, _) = Create(Tiny);
        for (int x = -1; x <= 4; x++)
            Assert.That(Call(split, "narrow", x), Is.EqualTo(x switch { 0 => 10, 1 => 20, _ => 30 }), $"narrow({x})");
        for (int x = -1; x <= WideCases + 1; x++)
            Assert.That(Call(split, "wide", x), Is.EqualTo(WideSwitchResult(x)), $"wide({x})");
    }

    [TestCase(24)]
    [TestCase(40)]
    [TestCase(80)]
    [TestCase(200)]
    public void RunsOfSwitchCasesAreEnteredAtTheRightCase(int threshold)
    {
        // Regions of this size hold several cases each, entered at whichever case the br_table picks.
        var (split, _) = Create(new OutliningOptions(SplitBodyBytes: 12, ThresholdBytes: threshold, MinimumRegionBytes: 1));
        for (int x = -1; x <= WideCases + 1; x++)
            Assert.That(Call(split, "wide", x), Is.EqualTo(WideSwitchResult(x)), $"wide({x})");
        for (int x = -1; x <= 4; x++)
            Assert.That(Call(split, "narrow", x), Is.EqualTo(x switch { 0 => 10, 1 => 20, _ => 30 }), $"narrow({x})");
    }

    [Test]
    public void ReturnFromInsideARegionDeliversEveryResult()
    {
        var (split, _) = Create(Tiny);
        Assert.That(Call(split, "pair", 5), Is.EqualTo(new object[] { 15, 7L }));
        Assert.That(Call(split, "pair", 0), Is.EqualTo(new object[] { -1, -7L }));
        Assert.That(Call(split, "stacked", 1), Is.EqualTo(-1));
        Assert.That(Call(split, "stacked", 0), Is.EqualTo(1005));
    }

    [Test]
    public void ALoopInARegionConsumesTheSameFuelAndRunsOut()
    {
        var (split, splitStore) = Create(Tiny, consumeFuel: true);
        var (whole, wholeStore) = Create(Never, consumeFuel: true);
        splitStore.Fuel = wholeStore.Fuel = 10_000;
        Assert.That(Call(split, "count", 20), Is.EqualTo(Call(whole, "count", 20)));
        Assert.That(splitStore.Fuel, Is.EqualTo(wholeStore.Fuel), "a region's entry is not a call: it costs no fuel");

        splitStore.Fuel = 30;
        var trap = Assert.Throws<WasmTrapException>(() => Call(split, "count", 1000))!;
        Assert.That(trap.Code, Is.EqualTo(TrapCode.OutOfFuel));
    }

    [Test]
    public void ALoopInARegionIsInterrupted()
    {
        var (split, store) = Create(Tiny, interruptible: true);
        store.Interrupt();
        var trap = Assert.Throws<WasmTrapException>(() => Call(split, "count", int.MaxValue))!;
        Assert.That(trap.Code, Is.EqualTo(TrapCode.Interrupted));
        Assert.That(Call(split, "count", 4), Is.EqualTo(12));
    }

    [Test]
    public void TrapsInsideARegionKeepTheirCode()
    {
        var (split, _) = Create(Tiny);
        Assert.That(Assert.Throws<WasmTrapException>(() => Call(split, "divide", 1, 0))!.Code, Is.EqualTo(TrapCode.IntegerDivideByZero));
        Assert.That(Assert.Throws<WasmTrapException>(() => Call(split, "divide", int.MinValue, -1))!.Code, Is.EqualTo(TrapCode.IntegerOverflow));
        Assert.That(Assert.Throws<WasmTrapException>(() => Call(split, "load", 65535))!.Code, Is.EqualTo(TrapCode.MemoryOutOfBounds));
        Assert.That(Assert.Throws<WasmTrapException>(() => Call(split, "boom", 0))!.Code, Is.EqualTo(TrapCode.Unreachable));
        Assert.That(Call(split, "boom", 1), Is.Null);
    }

    [Test]
    public void ATrapsBacktraceListsEachFunctionOnceAsWithoutRegions()
    {
        var (split, _) = Create(Tiny);
        var (whole, _) = Create(Never);
        var splitTrap = Assert.Throws<WasmTrapException>(() => Call(split, "outer", 0))!;
        var wholeTrap = Assert.Throws<WasmTrapException>(() => Call(whole, "outer", 0))!;
        // Which frames the JIT inlined may differ; what matters is that regions add no entries of their own.
        Assert.That(splitTrap.WasmBacktrace, Is.Not.Empty.And.Unique);
        Assert.That(splitTrap.WasmBacktrace[^1], Is.EqualTo(wholeTrap.WasmBacktrace[^1]));
    }

    [Test]
    public void MemoryGrownInARegionIsUsableInItsCaller()
    {
        // Regions of 12 bytes, none under 20: the grow's block is a region, the store and load after it are not.
        var (split, _) = Create(new OutliningOptions(SplitBodyBytes: 12, ThresholdBytes: 12, MinimumRegionBytes: 20));
        Assert.That(Call(split, "grow_then_store"), Is.EqualTo(77));
        var (tiny, _) = Create(Tiny);
        Assert.That(Call(tiny, "grow_then_store"), Is.EqualTo(77));
    }

    [Test]
    public void RecursionThroughARegionExhaustsTheStackWithATrap()
    {
        var (split, _) = Create(Tiny, limits: new StoreLimits { MaxStackBytes = 64 * 1024 });
        var trap = Assert.Throws<WasmTrapException>(() => Call(split, "depth", 1_000_000))!;
        Assert.That(trap.Code, Is.EqualTo(TrapCode.CallStackExhausted));
        Assert.That(Call(split, "depth", 10), Is.EqualTo(10));
    }

    [Test]
    public void DeeplyNestedBlocksAreSplitToABoundedDepthAndStillRun()
    {
        const int depth = 3000;
        var text = new StringBuilder("(module (func (export \"deep\") (param $x i32) (result i32) (block $outer (result i32) ");
        for (int i = 0; i < depth; i++) text.Append("(block ");
        text.Append("(br_if $outer (i32.const 5) (local.get $x)) (drop)");
        for (int i = 0; i < depth; i++) text.Append(" (nop))");
        text.Append(" (i32.const 9))))");
        var engine = new Engine(new EngineOptions { CodeTiering = tiering, Outlining = Tiny });
        var instance = Wat.Instantiate(text.ToString(), new Linker(engine), new Store(engine));
        Assert.That(Call(instance, "deep", 1), Is.EqualTo(5));
        Assert.That(Call(instance, "deep", 0), Is.EqualTo(9));
    }

    [Test]
    public void RecursionThroughARegionOfALargeFrameExhaustsTheStackWithATrap()
    {
        // 600 locals: the function is entered through the large-frame guard, and so are its regions.
        string locals = string.Concat(Enumerable.Repeat(" i64", 600));
        string text = $$"""
            (module
              (func $deep (export "deep") (param $n i32) (result i32) (local{{locals}})
                (local.set 599 (i64.extend_i32_u (local.get $n)))
                (if (result i32) (i32.eqz (local.get $n))
                  (then (i32.wrap_i64 (local.get 599)))
                  (else
                    (block (result i32)
                      (i32.add (i32.const 1) (call $deep (i32.sub (local.get $n) (i32.const 1)))))))))
            """;
        var engine = new Engine(new EngineOptions { CodeTiering = tiering, Outlining = Tiny });
        var store = new Store(engine, new StoreLimits { MaxStackBytes = 256 * 1024 });
        var instance = Wat.Instantiate(text, new Linker(engine), store);
        Assert.That(Call(instance, "deep", 20), Is.EqualTo(20));
        var trap = Assert.Throws<WasmTrapException>(() => Call(instance, "deep", 1_000_000))!;
        Assert.That(trap.Code, Is.EqualTo(TrapCode.CallStackExhausted));
    }
}
