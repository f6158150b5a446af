using System.Text;
using System.Text.Json;
using WasmKit.Udf;

namespace WasmKit.Tests.Documents;

public class IndexedDocumentTests
{
    [Test]
    public void EveryPathAnswersAsTheJsonElementDoes()
    {
        using var json = Components.UdfFixtures.Documents();
        int compared = 0;
        foreach (var element in json.RootElement.EnumerateArray())
        {
            var indexed = IndexedDocument.Create(element);
            foreach (var path in AllPaths(element, "").Concat(["nope", "specs.nope", "tags[99]", "specs.dims[0].nope", "price.x", "tags.x"]))
            {
                AssertSame(element, indexed, path);
                compared++;
            }
        }
        Assert.That(compared, Is.GreaterThan(1000));
    }

    [Test]
    public void LoneSurrogatesParseAndReadAsReplacementCharacters()
    {
        var document = IndexedDocument.Parse("""{"s": "a\ud800b", "pair": "\ud83d\ude00", "bad\udc00": 1, "n": 2}""");
        Assert.That(document.TryGetString("s", out var value), Is.EqualTo(DocumentStatus.Ok));
        Assert.That(value, Is.EqualTo("a\uFFFDb"));
        Assert.That(document.TryGetString("pair", out value), Is.EqualTo(DocumentStatus.Ok));
        Assert.That(value, Is.EqualTo("\U0001F600"));
        Assert.That(document.Contains("n"), Is.EqualTo(DocumentStatus.Ok));
        Assert.That(document.Contains("bad\uFFFD"), Is.EqualTo(DocumentStatus.Ok));
    }

    [TestCase("")]
    [TestCase("{")]
    [TestCase("{\"a\": }")]
    [TestCase("{} {}")]
    [TestCase("[1, 2")]
    [TestCase("\"\\ud800")]
    public void MalformedJsonIsAJsonException(string json)
    {
        Assert.That(() => IndexedDocument.Parse(json), Throws.InstanceOf<JsonException>());
        Assert.That(() => IndexedDocument.Parse(Encoding.UTF8.GetBytes(json)), Throws.InstanceOf<JsonException>());
    }

    [TestCase("""{"a": 1, "a": {"x": 2}}""", "a.x")]
    [TestCase("""{"a": {"x": 2}, "a": 1}""", "a.x")]
    [TestCase("""{"a": {"x": 2}, "a": 1}""", "a")]
    [TestCase("""{"a": 1, "a": null}""", "a")]
    [TestCase("""{"a.b": 1, "a": {"b": 2}}""", "a.b")]
    [TestCase("""{"a[0]": 1}""", "a[0]")]
    [TestCase("""{"": 1}""", "")]
    [TestCase("""{"n": null}""", "n")]
    [TestCase("""{"n": null}""", "n.x")]
    [TestCase("""{"t": [10, 20, 30]}""", "t[01]")]
    [TestCase("""{"t": [10, 20, 30]}""", "t[0001]")]
    [TestCase("""{"t": [10, 20, 30]}""", "t[3]")]
    [TestCase("""{"t": [10, 20, 30]}""", "t[99999999999]")]
    [TestCase("""{"t": [10, 20, 30]}""", "t[]")]
    [TestCase("""{"t": [10, 20, 30]}""", "t.")]
    [TestCase("""{"t": [10, 20, 30]}""", "t..x")]
    [TestCase("""{"t": [10, 20, 30]}""", "t]")]
    [TestCase("""[{"a": 5}, 6]""", "[0].a")]
    [TestCase("""[{"a": 5}, 6]""", "[1]")]
    [TestCase("""[{"a": 5}, 6]""", "a")]
    [TestCase("""{"caf\u00e9": "cr\u00e8me \"br\u00fbl\u00e9e\""}""", "café")]
    [TestCase("""{"big": 9007199254740993, "huge": 1e400, "frac": 2.5, "neg": -7}""", "big")]
    [TestCase("""{"big": 9007199254740993, "huge": 1e400, "frac": 2.5, "neg": -7}""", "huge")]
    [TestCase("""{"big": 9007199254740993, "huge": 1e400, "frac": 2.5, "neg": -7}""", "frac")]
    [TestCase("""{"big": 9007199254740993, "huge": 1e400, "frac": 2.5, "neg": -7}""", "neg")]
    [TestCase("42", "[0]")]
    [TestCase("""{"abc": 1, "abcd": 2, "abcdefg": 3, "abcdefgh": 4, "abcdefghijklmnop": 5, "abcdefghijklmnopq": 6}""", "abcd")]
    [TestCase("""{"abc": 1, "abcd": 2, "abcdefg": 3, "abcdefgh": 4, "abcdefghijklmnop": 5, "abcdefghijklmnopq": 6}""", "abcdefg")]
    [TestCase("""{"abc": 1, "abcd": 2, "abcdefg": 3, "abcdefgh": 4, "abcdefghijklmnop": 5, "abcdefghijklmnopq": 6}""", "abcdefgh")]
    [TestCase("""{"abc": 1, "abcd": 2, "abcdefg": 3, "abcdefgh": 4, "abcdefghijklmnop": 5, "abcdefghijklmnopq": 6}""", "abcdefghijklmnop")]
    [TestCase("""{"abc": 1, "abcd": 2, "abcdefg": 3, "abcdefgh": 4, "abcdefghijklmnop": 5, "abcdefghijklmnopq": 6}""", "abcdefghijklmnopq")]
    [TestCase("""{"abc": 1, "abcd": 2, "abcdefg": 3, "abcdefgh": 4, "abcdefghijklmnop": 5, "abcdefghijklmnopq": 6}""", "abcdefghijklmno")]
    [TestCase("""{"abcd": null, "efgh": "12", "ijkl": 2.5, "mnop": true, "list": [7, 8]}""", "abcd")]
    [TestCase("""{"abcd": null, "efgh": "12", "ijkl": 2.5, "mnop": true, "list": [7, 8]}""", "efgh")]
    [TestCase("""{"abcd": null, "efgh": "12", "ijkl": 2.5, "mnop": true, "list": [7, 8]}""", "ijkl")]
    [TestCase("""{"abcd": null, "efgh": "12", "ijkl": 2.5, "mnop": true, "list": [7, 8]}""", "mnop")]
    [TestCase("""{"abcd": null, "efgh": "12", "ijkl": 2.5, "mnop": true, "list": [7, 8]}""", "list[1]")]
    [TestCase("""{"abcd": null, "efgh": "12", "ijkl": 2.5, "mnop": true, "list": [7, 8]}""", "list[01]")]
    [TestCase("""{"abcd": null, "efgh": "12", "ijkl": 2.5, "mnop": true, "list": [7, 8]}""", "list")]
    public void EdgeCasesAnswerAsTheJsonElementDoes(string json, string path)
    {
        var element = JsonDocument.Parse(json).RootElement;
        AssertSame(element, IndexedDocument.Parse(json), path);
        AssertSame(element, IndexedDocument.Parse(Encoding.UTF8.GetBytes(json)), path);
    }

    [Test]
    public void TypedReadsForTheHost()
    {
        var document = IndexedDocument.Parse("""{"name": "a\"b", "n": 3, "x": 1.5, "ok": true, "list": [1, 2], "nothing": null}""");
        Assert.Multiple(() =>
        {
            Assert.That(document.TryGetString("name", out var name), Is.EqualTo(DocumentStatus.Ok));
            Assert.That(name, Is.EqualTo("a\"b"));
            Assert.That(document.TryGetInt64("n", out long n), Is.EqualTo(DocumentStatus.Ok));
            Assert.That(n, Is.EqualTo(3));
            Assert.That(document.TryGetInt64("x", out _), Is.EqualTo(DocumentStatus.WrongType));
            Assert.That(document.TryGetDouble("x", out double x), Is.EqualTo(DocumentStatus.Ok));
            Assert.That(x, Is.EqualTo(1.5));
            Assert.That(document.TryGetBoolean("ok", out bool ok), Is.EqualTo(DocumentStatus.Ok));
            Assert.That(ok, Is.True);
            Assert.That(document.TryGetArrayLength("list", out int length), Is.EqualTo(DocumentStatus.Ok));
            Assert.That(length, Is.EqualTo(2));
            Assert.That(document.Contains("nothing"), Is.EqualTo(DocumentStatus.NotFound));
            Assert.That(document.Contains("list[1]"), Is.EqualTo(DocumentStatus.Ok));
            Assert.That(document.Contains("list[[1]"), Is.EqualTo(DocumentStatus.BadPath));
            Assert.That(document.FieldCount, Is.EqualTo(8));
            Assert.That(document.Root.GetProperty("n").GetInt32(), Is.EqualTo(3));
        });
    }

    [Test]
    public void AUdfDocumentSetsTheIndexWhenItHasOneElseTheElement()
    {
        var context = new DocumentContext();
        var indexed = IndexedDocument.Parse("{\"a\": 1}");
        context.SetDocument(new UdfDocument(indexed) with { Id = "d1", Score = 2.5 });
        Assert.That((context.Indexed, context.DocumentId, context.Score, context.HasDocument), Is.EqualTo((indexed, "d1", 2.5, true)));

        using var json = JsonDocument.Parse("{\"b\": 2}");
        context.SetDocument(new UdfDocument(json.RootElement, "d2"));
        Assert.That((context.Indexed, context.DocumentId, context.Document.GetProperty("b").GetInt32()), Is.EqualTo(((IndexedDocument?)null, "d2", 2)));
        Assert.That(() => context.SetDocument(new UdfDocument(default(JsonElement))), Throws.ArgumentException);
    }

    [Test]
    public void BadInputIsAnArgumentOrJsonException()
    {
        Assert.That(() => IndexedDocument.Create(default), Throws.ArgumentException);
        Assert.That(() => IndexedDocument.Parse((string)null!), Throws.ArgumentNullException);
        Assert.That(() => IndexedDocument.Parse("{\"a\": "), Throws.InstanceOf<JsonException>());
        Assert.That(() => new DocumentContext().SetDocument((IndexedDocument)null!), Throws.ArgumentNullException);
    }

    [Test]
    public void TheIndexOutlivesItsSourceDocument()
    {
        IndexedDocument indexed;
        using (var json = JsonDocument.Parse("""{"a": {"b": "kept"}}""")) indexed = IndexedDocument.Create(json.RootElement);
        Assert.That(indexed.TryGetString("a.b", out var value), Is.EqualTo(DocumentStatus.Ok));
        Assert.That(value, Is.EqualTo("kept"));
        Assert.That(indexed.Root.GetProperty("a").GetProperty("b").GetString(), Is.EqualTo("kept"));
    }

    /// <summary>The guest-visible answer of each getter, by FieldPath on the element and by the index.</summary>
    private static void AssertSame(JsonElement element, IndexedDocument indexed, string path)
    {
        var bytes = Encoding.UTF8.GetBytes(path);
        var expected = FieldPath.Resolve(element, bytes, out var value);
        var actual = indexed.Find(bytes, out int index);
        Assert.That(actual, Is.EqualTo(expected), $"status of '{path}'");
        AssertQuickReadsAgree(element, indexed, path, bytes);
        if (expected != DocumentStatus.Ok) return;
        var found = new DocumentValue(indexed, index);
        Assert.That(found.Kind, Is.EqualTo(value.ValueKind), $"kind of '{path}'");
        bool isInt = value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long integer);
        Assert.That(found.TryGetInt64(out long indexedInteger), Is.EqualTo(isInt), $"int64 of '{path}'");
        if (isInt) Assert.That(indexedInteger, Is.EqualTo(value.GetInt64()));
        bool isDouble = value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out double number);
        Assert.That(found.TryGetDouble(out double indexedNumber), Is.EqualTo(isDouble), $"float64 of '{path}'");
        if (isDouble) Assert.That(indexedNumber, Is.EqualTo(value.GetDouble()));
        if (value.ValueKind == JsonValueKind.String)
        {
            Assert.That(found.TryGetIndexedString(out var utf8), Is.True);
            Assert.That(Encoding.UTF8.GetString(utf8), Is.EqualTo(value.GetString()), $"string of '{path}'");
        }
        if (value.ValueKind == JsonValueKind.Array) Assert.That(found.ArrayLength, Is.EqualTo(value.GetArrayLength()));
    }

    /// <summary>
    /// The host functions' quick reads may decline (the general path answers then), but what they
    /// answer must be what FieldPath finds; and a short canonical path to a number must not decline.
    /// </summary>
    private static void AssertQuickReadsAgree(JsonElement element, IndexedDocument indexed, string path, byte[] bytes)
    {
        var status = FieldPath.Resolve(element, bytes, out var value);
        bool isNumber = status == DocumentStatus.Ok && value.ValueKind == JsonValueKind.Number;
        long integer = 0;
        double number = 0;
        bool isInt = isNumber && value.TryGetInt64(out integer);
        bool isDouble = isNumber && value.TryGetDouble(out number);
        var copy = (byte[])bytes.Clone();
        long quickInteger = 0;
        double quickNumber = 0;
        bool quickInt = bytes.Length > 0 && indexed.TryGetNumberQuick(ref copy[0], bytes.Length, out quickInteger);
        bool quickDouble = bytes.Length > 0 && indexed.TryGetNumberQuick(ref copy[0], bytes.Length, out quickNumber);
        if (quickInt) Assert.That(isInt && quickInteger == integer, $"quick int64 of '{path}'");
        if (quickDouble) Assert.That(isDouble && quickNumber.Equals(number), $"quick float64 of '{path}'");
        bool canonical = bytes.Length is >= 4 and <= 16 && path == Canonical(path);
        if (canonical && isInt) Assert.That(quickInt, $"quick int64 declined '{path}'");
        if (canonical && isDouble) Assert.That(quickDouble, $"quick float64 declined '{path}'");
    }

    /// <summary>The path as the index stores it (array indexes without leading zeros).</summary>
    private static string Canonical(string path) =>
        System.Text.RegularExpressions.Regex.Replace(path, @"\[0*(\d)", "[$1");

    internal static IEnumerable<string> AllPaths(JsonElement element, string prefix)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                string path = prefix.Length == 0 ? property.Name : prefix + "." + property.Name;
                yield return path;
                foreach (var inner in AllPaths(property.Value, path)) yield return inner;
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            int i = 0;
            foreach (var item in element.EnumerateArray())
            {
                string path = $"{prefix}[{i++}]";
                yield return path;
                foreach (var inner in AllPaths(item, path)) yield return inner;
            }
        }
    }
}
