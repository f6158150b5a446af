using System.Text.Json;
using WasmKit.Udf;

namespace WasmKit.Tests.Documents;

public class FieldPathTests
{
    private static readonly JsonElement Root = JsonDocument.Parse("""
        { "a": { "b": [ { "c": 1 }, { "c": 2, "d": [10, 20, [30, 31]] } ] },
          "n": null, "s": "x", "top": [ "t0", "t1" ], "we.ird": 5, "esc\"aped": 6 }
        """).RootElement;

    [TestCase("a.b[1].c", "2")]
    [TestCase("a.b[0].c", "1")]
    [TestCase("a.b[1].d[2][1]", "31")]
    [TestCase("top[1]", "\"t1\"")]
    [TestCase("s", "\"x\"")]
    [TestCase("esc\"aped", "6")]
    public void ResolvesNestedAndArrayPaths(string path, string expected)
    {
        Assert.That(FieldPath.Resolve(Root, path, out var value), Is.EqualTo(DocumentStatus.Ok));
        Assert.That(value.GetRawText(), Is.EqualTo(expected));
    }

    [Test]
    public void ResolvesARootArray()
    {
        var array = JsonDocument.Parse("[ {\"x\": 7} ]").RootElement;
        Assert.That(FieldPath.Resolve(array, "[0].x", out var value), Is.EqualTo(DocumentStatus.Ok));
        Assert.That(value.GetInt32(), Is.EqualTo(7));
    }

    [TestCase("missing")]
    [TestCase("a.missing")]
    [TestCase("a.b[2]")]
    [TestCase("a.b[1].d[9]")]
    [TestCase("n")]
    [TestCase("s.deeper")]
    [TestCase("a[0]")]
    [TestCase("top.x")]
    [TestCase("we.ird")]
    public void MissingValuesAndNullAreNotFound(string path) =>
        Assert.That(FieldPath.Resolve(Root, path, out _), Is.EqualTo(DocumentStatus.NotFound));

    [TestCase("")]
    [TestCase(".a")]
    [TestCase("a.")]
    [TestCase("a..b")]
    [TestCase("a[")]
    [TestCase("a[]")]
    [TestCase("a[x]")]
    [TestCase("a[1")]
    [TestCase("a[-1]")]
    [TestCase("a[1]b")]
    [TestCase("a]")]
    [TestCase("a.[0]")]
    [TestCase("a[99999999999]")]
    [TestCase("missing..x")]
    public void MalformedPathsAreBadPath(string path) =>
        Assert.That(FieldPath.Resolve(Root, path, out _), Is.EqualTo(DocumentStatus.BadPath));

    [Test]
    public void ResolvingAllocatesNothing()
    {
        byte[] path = "a.b[1].d[2][1]"u8.ToArray();
        // A whole warm-up round: only the steady state is measured.
        for (int i = 0; i < 1000; i++) FieldPath.Resolve(Root, path, out _);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) FieldPath.Resolve(Root, path, out _);
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }
}
