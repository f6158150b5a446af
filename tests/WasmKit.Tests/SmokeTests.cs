namespace WasmKit.Tests;

public class SmokeTests
{
    [Test]
    public void FunctionTypesCompareByValue()
    {
        var a = FunctionType.Of([ValueKind.Int32], [ValueKind.Int64]);
        var b = FunctionType.Of([ValueKind.Int32], [ValueKind.Int64]);
        Assert.That(a, Is.EqualTo(b));
        Assert.That(a.ToString(), Is.EqualTo("(func (param i32) (result i64))"));
    }
}
