using WasmKit.Tests.Support;

namespace WasmKit.Tests.Execution;

public class TrapTests
{
    private const string Module = """
        (module
          (memory 1)
          (table 1 funcref)
          (func $boom (export "unreachable") unreachable)
          (func $outer (export "nested") (call $boom))
          (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
          (func (export "rem") (param i32 i32) (result i32) (i32.rem_s (local.get 0) (local.get 1)))
          (func (export "load") (param i32) (result i32) (i32.load offset=4 (local.get 0)))
          (func (export "indirect") (call_indirect (i32.const 0)))
          (func (export "trunc") (param f64) (result i32) (i32.trunc_f64_s (local.get 0))))
        """;

    private static Instance Instance() => Wat.Instantiate(Module);

    [TestCase("unreachable", TrapCode.Unreachable)]
    [TestCase("indirect", TrapCode.UninitializedElement)]
    public void TrapsCarryTheirCode(string export, TrapCode code)
    {
        var exception = Assert.Throws<WasmTrapException>(() => Instance().GetFunction(export)!.Invoke());
        Assert.That(exception!.Code, Is.EqualTo(code));
    }

    [Test]
    public void ArithmeticTraps()
    {
        var instance = Instance();
        var div = instance.GetFunction<int, int, int>("div")!;
        var rem = instance.GetFunction<int, int, int>("rem")!;
        Assert.That(Assert.Throws<WasmTrapException>(() => div(1, 0))!.Code, Is.EqualTo(TrapCode.IntegerDivideByZero));
        Assert.That(Assert.Throws<WasmTrapException>(() => div(int.MinValue, -1))!.Code, Is.EqualTo(TrapCode.IntegerOverflow));
        Assert.That(rem(int.MinValue, -1), Is.EqualTo(0));
        var trunc = instance.GetFunction<double, int>("trunc")!;
        Assert.That(Assert.Throws<WasmTrapException>(() => trunc(double.NaN))!.Code, Is.EqualTo(TrapCode.BadConversionToInteger));
        Assert.That(Assert.Throws<WasmTrapException>(() => trunc(3e9))!.Code, Is.EqualTo(TrapCode.IntegerOverflow));
    }

    [Test]
    public void OutOfBoundsAccessTrapsWithoutWrapAround()
    {
        var load = Instance().GetFunction<int, int>("load")!;
        Assert.That(load(65532 - 4), Is.EqualTo(0));
        Assert.That(Assert.Throws<WasmTrapException>(() => load(65533 - 4))!.Code, Is.EqualTo(TrapCode.MemoryOutOfBounds));
        Assert.That(Assert.Throws<WasmTrapException>(() => load(-1))!.Code, Is.EqualTo(TrapCode.MemoryOutOfBounds));
    }

    [Test]
    public void BacktraceNamesTheWasmFrames()
    {
        var exception = Assert.Throws<WasmTrapException>(() => Instance().GetFunction("nested")!.Invoke());
        Assert.That(exception!.WasmBacktrace, Is.EqualTo(new[] { "boom", "outer" }));
    }
}
