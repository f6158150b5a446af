using System.Text;
using WasmKit.Plugins;

namespace WasmKit.Tests.Plugins;

/// <summary>The host's item: indexed once, serialized filtered from raw slices, changed by taps.</summary>
public sealed class TapItemTests
{
    private static string Filtered(TapItem item, params string[]? fields)
    {
        var names = fields?.Select(Encoding.UTF8.GetBytes).ToArray();
        var bytes = new byte[item.SerializedLength(names)];
        item.Serialize(bytes, names);
        return Encoding.UTF8.GetString(bytes);
    }

    [Test]
    public void FilteredSerializationWritesOnlyTheGrantedFieldsThatExist()
    {
        var item = TapItem.Parse("""{ "a" : 1, "b":{"x":[1,2,{"y":"}"}]}, "c":"t\"x", "d": null }""");
        Assert.That(item.FieldCount, Is.EqualTo(4));
        Assert.That(Filtered(item, "c", "a", "missing"), Is.EqualTo("""{"c":"t\"x","a":1}"""));
        Assert.That(Filtered(item, "b"), Is.EqualTo("""{"b":{"x":[1,2,{"y":"}"}]}}"""));
        Assert.That(Filtered(item, "missing"), Is.EqualTo("{}"));
        Assert.That(Filtered(item, null), Is.EqualTo("""{"a":1,"b":{"x":[1,2,{"y":"}"}]},"c":"t\"x","d":null}"""));
    }

    [Test]
    public void EscapedNamesMatchTheirDecodedSpelling()
    {
        var item = TapItem.Parse("""{"\u0074itle":"x"}""");
        Assert.That(item.TryGetRawValue("title", out var raw) && Encoding.UTF8.GetString(raw.Span) == "\"x\"", Is.True);
        Assert.That(Filtered(item, "title"), Is.EqualTo("""{"\u0074itle":"x"}"""));
    }

    [Test]
    public void ChangesReplaceOrAddFields()
    {
        var item = TapItem.Parse("""{"a":1,"b":2}""");
        item.SetRawValue("b"u8, "\"two\""u8.ToArray());
        item.SetRawValue("c"u8, "[3]"u8.ToArray());
        Assert.That(item.IsModified, Is.True);
        Assert.That(item.ToString(), Is.EqualTo("""{"a":1,"b":"two","c":[3]}"""));
        Assert.That(Filtered(item, "c", "b"), Is.EqualTo("""{"c":[3],"b":"two"}"""));
    }

    [TestCase("[1]", "must be a JSON object")]
    [TestCase("{\"a\":1} {}", "after a single JSON value")]
    [TestCase("{\"a\":1,\"a\":2}", "the field 'a' twice")]
    [TestCase("{\"a\":", "not well-formed")]
    public void MalformedItemsAreRefused(string json, string problem)
    {
        Assert.That(() => TapItem.Parse(json), Throws.ArgumentException.With.Message.Contains(problem));
    }
}
