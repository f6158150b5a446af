using WasmKit.Wasi;

namespace WasmKit.Tests.Wasi;

public class WasiArgumentsTests
{
    [Test]
    public void ArgsSizesCountEveryArgumentWithItsTerminator()
    {
        using var wasi = new WasiHarness(new WasiConfiguration().WithArguments("prog", "a b", "é"));
        Assert.That(wasi.Call("args_sizes_get", 100, 104), Is.Zero);
        Assert.That(wasi.ReadInt32(100), Is.EqualTo(3));
        Assert.That(wasi.ReadInt32(104), Is.EqualTo(5 + 4 + 3));
    }

    [Test]
    public void ArgsGetWritesPointersAndNulTerminatedStrings()
    {
        using var wasi = new WasiHarness(new WasiConfiguration().WithArguments("prog", "a b", "é"));
        Assert.That(wasi.Call("args_get", 100, 200), Is.Zero);
        var pointers = Enumerable.Range(0, 3).Select(i => wasi.ReadInt32(100 + 4 * i)).ToArray();
        Assert.That(pointers, Is.EqualTo(new[] { 200, 205, 209 }));
        Assert.That(pointers.Select(p => wasi.Memory.ReadNullTerminatedString(p)), Is.EqualTo(new[] { "prog", "a b", "é" }));
        Assert.That(wasi.ReadByte(211), Is.Zero);
    }

    [Test]
    public void NoArgumentsOrVariablesByDefault()
    {
        using var wasi = new WasiHarness();
        Assert.That(wasi.Call("args_sizes_get", 100, 104), Is.Zero);
        Assert.That((wasi.ReadInt32(100), wasi.ReadInt32(104)), Is.EqualTo((0, 0)));
        Assert.That(wasi.Call("environ_sizes_get", 100, 104), Is.Zero);
        Assert.That((wasi.ReadInt32(100), wasi.ReadInt32(104)), Is.EqualTo((0, 0)));
    }

    [Test]
    public void EnvironmentIsListedInInsertionOrderAsNameEqualsValue()
    {
        var config = new WasiConfiguration()
            .WithEnvironmentVariable("ZED", "last letter")
            .WithEnvironmentVariable("ALPHA", "x=y")
            .WithEnvironmentVariable("EMPTY", "");
        using var wasi = new WasiHarness(config);
        Assert.That(wasi.Call("environ_sizes_get", 100, 104), Is.Zero);
        Assert.That(wasi.ReadInt32(100), Is.EqualTo(3));
        Assert.That(wasi.ReadInt32(104), Is.EqualTo("ZED=last letter".Length + "ALPHA=x=y".Length + "EMPTY=".Length + 3));
        Assert.That(wasi.Call("environ_get", 100, 200), Is.Zero);
        var values = Enumerable.Range(0, 3).Select(i => wasi.Memory.ReadNullTerminatedString(wasi.ReadInt32(100 + 4 * i)));
        Assert.That(values, Is.EqualTo(new[] { "ZED=last letter", "ALPHA=x=y", "EMPTY=" }));
    }

    [Test]
    public void HostEnvironmentIsNotVisible()
    {
        Assert.That(Environment.GetEnvironmentVariable("PATH"), Is.Not.Null);
        using var wasi = new WasiHarness(new WasiConfiguration().WithEnvironmentVariable("ONLY", "this"));
        Assert.That(wasi.Call("environ_sizes_get", 100, 104), Is.Zero);
        Assert.That(wasi.ReadInt32(100), Is.EqualTo(1));
    }

    [Test]
    public void BadPointersGiveEfault()
    {
        using var wasi = new WasiHarness(new WasiConfiguration().WithArguments("prog", "arg"));
        int end = (int)wasi.Memory.Length;
        Assert.That(wasi.Call("args_sizes_get", end - 2, 100), Is.EqualTo(Errno.Fault));
        Assert.That(wasi.Call("args_get", 100, end - 3), Is.EqualTo(Errno.Fault));
        Assert.That(wasi.Call("args_get", -4, 200), Is.EqualTo(Errno.Fault));
        Assert.That(wasi.Call("environ_get", end, end), Is.Zero, "nothing to write: no variables");
    }

    [Test]
    public void ConfigurationRejectsWhatCCannotSee()
    {
        Assert.Throws<ArgumentException>(() => new WasiContext(new WasiConfiguration().WithArguments("a\0b")));
        Assert.Throws<ArgumentException>(() => new WasiConfiguration().WithEnvironmentVariable("A=B", "c"));
        Assert.Throws<ArgumentException>(() => new WasiConfiguration().WithEnvironmentVariable("", "c"));
    }
}
