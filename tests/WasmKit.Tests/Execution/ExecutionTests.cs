using WasmKit.Tests.Support;

namespace WasmKit.Tests.Execution;

public class ExecutionTests
{
    [Test]
    public void AddsThroughTypedAndUntypedCalls()
    {
        var instance = Wat.Instantiate("""
            (module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))
            """);
        var add = instance.GetFunction<int, int, int>("add")!;
        Assert.That(add(2, 40), Is.EqualTo(42));
        Assert.That(instance.GetFunction("add")!.Invoke(-5, 3), Is.EqualTo(-2));
    }

    [Test]
    public void TypedLookupRejectsMismatchedSignature()
    {
        var instance = Wat.Instantiate("""
            (module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))
            """);
        Assert.That(() => instance.GetFunction<long, long, long>("add"), Throws.ArgumentException);
        Assert.That(instance.GetFunction<int, int, int>("missing"), Is.Null);
    }

    [Test]
    public void LoopsBranchesAndMultiValueBlocks()
    {
        var instance = Wat.Instantiate("""
            (module
              (func $sum (export "sum") (param $n i32) (result i32) (local $acc i32)
                (block $done
                  (loop $again
                    (br_if $done (i32.eqz (local.get $n)))
                    (local.set $acc (i32.add (local.get $acc) (local.get $n)))
                    (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                    (br $again)))
                (local.get $acc))
              (func (export "swap") (param i32 i32) (result i32 i32)
                (local.get 1) (local.get 0))
              (func (export "pick") (param i32) (result i32)
                (i32.const 100)
                (block $a (result i32)
                  (block $b (result i32)
                    (block $c (result i32)
                      (i32.const 7) (i32.const 1) (i32.const 2)
                      (br_table $a $b $c (local.get 0)))
                    (i32.const 10) (i32.add))
                  (i32.const 20) (i32.add))
                (i32.add))
              (func (export "divmod") (param i32 i32) (result i32 i32)
                (local.get 0) (local.get 1)
                (block (param i32 i32) (result i32 i32)
                  (call $divmod_inner)))
              (func $divmod_inner (param i32 i32) (result i32 i32)
                (i32.div_u (local.get 0) (local.get 1))
                (i32.rem_u (local.get 0) (local.get 1))))
            """);
        Assert.That(instance.GetFunction<int, int>("sum")!(100), Is.EqualTo(5050));
        Assert.That(instance.GetFunction("swap")!.Invoke(1, 2), Is.EqualTo(new object[] { 2, 1 }));
        Assert.That(instance.GetFunction<int, int>("pick")!(0), Is.EqualTo(102));
        Assert.That(instance.GetFunction<int, int>("pick")!(1), Is.EqualTo(122));
        Assert.That(instance.GetFunction<int, int>("pick")!(2), Is.EqualTo(132));
        Assert.That(instance.GetFunction<int, int>("pick")!(9), Is.EqualTo(132));
        Assert.That(instance.GetFunction("divmod")!.Invoke(17, 5), Is.EqualTo(new object[] { 3, 2 }));
    }

    [Test]
    public void MemoryGlobalsAndIndirectCalls()
    {
        var instance = Wat.Instantiate("""
            (module
              (memory (export "memory") 1 2)
              (data (i32.const 16) "hello")
              (global $counter (export "counter") (mut i64) (i64.const 5))
              (table 2 funcref)
              (elem (i32.const 0) $double $negate)
              (type $unary (func (param i32) (result i32)))
              (func $double (type $unary) (i32.mul (local.get 0) (i32.const 2)))
              (func $negate (type $unary) (i32.sub (i32.const 0) (local.get 0)))
              (func (export "apply") (param i32 i32) (result i32)
                (call_indirect (type $unary) (local.get 1) (local.get 0)))
              (func (export "bump") (result i64)
                (global.set $counter (i64.add (global.get $counter) (i64.const 1)))
                (global.get $counter))
              (func (export "load16") (param i32) (result i32) (i32.load16_u offset=1 (local.get 0)))
              (func (export "grow") (result i32) (memory.grow (i32.const 1))))
            """);
        var apply = instance.GetFunction<int, int, int>("apply")!;
        Assert.That(apply(0, 21), Is.EqualTo(42));
        Assert.That(apply(1, 21), Is.EqualTo(-21));
        Assert.That(instance.GetFunction<long>("bump")!(), Is.EqualTo(6L));
        Assert.That(instance.GetGlobal("counter")!.Value, Is.EqualTo(6L));
        Assert.That(instance.GetFunction<int, int>("load16")!(16), Is.EqualTo('e' | ('l' << 8)));
        var memory = instance.GetMemory("memory")!;
        Assert.That(memory.GetSpan()[16], Is.EqualTo((byte)'h'));
        Assert.That(instance.GetFunction<int>("grow")!(), Is.EqualTo(1));
        Assert.That(memory.PageCount, Is.EqualTo(2));
        Assert.That(instance.GetFunction<int>("grow")!(), Is.EqualTo(-1));
    }

    [Test]
    public void HostFunctionsAreCalledWithArguments()
    {
        var engine = new Engine();
        var linker = new Linker(engine);
        var seen = new List<object?>();
        linker.DefineFunction("env", "twice", FunctionType.Of([ValueKind.Int64], [ValueKind.Int64]), (args, results) =>
        {
            seen.Add(args[0]);
            results[0] = (long)args[0]! * 2;
        });
        var instance = Wat.Instantiate("""
            (module
              (import "env" "twice" (func $twice (param i64) (result i64)))
              (func (export "run") (param i64) (result i64) (call $twice (i64.add (local.get 0) (i64.const 1)))))
            """, linker);
        Assert.That(instance.GetFunction<long, long>("run")!(20), Is.EqualTo(42L));
        Assert.That(seen, Is.EqualTo(new object[] { 21L }));
    }

    [Test]
    public void HostExceptionsReachTheCallerAndTheInstanceStaysUsable()
    {
        var engine = new Engine();
        var linker = new Linker(engine);
        bool fail = true;
        linker.DefineFunction("env", "check", FunctionType.Of([], []), (_, _) =>
        {
            if (fail) throw new InvalidOperationException("host says no");
        });
        var instance = Wat.Instantiate("""
            (module (import "env" "check" (func $check)) (func (export "run") (result i32) (call $check) (i32.const 1)))
            """, linker);
        var run = instance.GetFunction<int>("run")!;
        Assert.That(() => run(), Throws.InvalidOperationException.With.Message.EqualTo("host says no"));
        fail = false;
        Assert.That(run(), Is.EqualTo(1));
    }
}
