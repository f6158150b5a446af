using WasmKit.Udf;

namespace WasmKit.Tests.Udf;

public class UdfVersionTests
{
    [TestCase("1.0.0")]
    [TestCase("0.0.1")]
    [TestCase("10.20.30")]
    [TestCase("1.0.0-alpha")]
    [TestCase("1.0.0-alpha.1")]
    [TestCase("1.0.0-0.3.7")]
    [TestCase("1.0.0+20130313144700")]
    [TestCase("1.0.0-beta+exp.sha.5114f85")]
    public void ParsesWellFormedVersions(string text)
    {
        Assert.That(UdfVersion.TryParse(text, out var version), Is.True);
        Assert.That(version!.ToString(), Is.EqualTo(text));
    }

    [TestCase("")]
    [TestCase("1")]
    [TestCase("1.0")]
    [TestCase("1.0.0.0")]
    [TestCase("01.0.0")]
    [TestCase("1.0.0-")]
    [TestCase("1.0.0-01")]
    [TestCase("1.0.0+")]
    [TestCase("1.0.0-a..b")]
    [TestCase("a.b.c")]
    [TestCase("-1.0.0")]
    [TestCase("1.0.0-al$pha")]
    public void RejectsMalformedVersions(string text)
    {
        Assert.That(UdfVersion.TryParse(text, out _), Is.False);
        Assert.Throws<FormatException>(() => UdfVersion.Parse(text));
    }

    [Test]
    public void OrdersBySemverPrecedence()
    {
        string[] ascending =
        [
            "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11",
            "1.0.0-rc.1", "1.0.0", "1.2.0", "1.10.0", "2.0.0",
        ];
        var shuffled = ascending.Reverse().Select(UdfVersion.Parse).ToList();
        shuffled.Sort();
        Assert.That(shuffled.Select(v => v.ToString()), Is.EqualTo(ascending));
    }

    [Test]
    public void BuildMetadataTakesNoPartInEquality()
    {
        Assert.That(UdfVersion.Parse("1.0.0+a"), Is.EqualTo(UdfVersion.Parse("1.0.0+b")));
        Assert.That(UdfVersion.Parse("1.0.0+a").GetHashCode(), Is.EqualTo(UdfVersion.Parse("1.0.0").GetHashCode()));
        Assert.That(UdfVersion.Parse("1.0.0") < UdfVersion.Parse("1.0.1"), Is.True);
        Assert.That(UdfVersion.Parse("2.0.0-rc.1") > UdfVersion.Parse("1.9.9"), Is.True);
    }
}
