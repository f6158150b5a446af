using WasmKit.Tests.Support;
using System.Text.Json;
using WasmKit.Components;
using WasmKit.Tests.Components;
using WasmKit.Udf;

namespace WasmKit.Tests.Udf;

/// <summary>The registry with the real fixture components of fixtures/udf/ and their manifests.</summary>
[TestFixtureSource(typeof(BackendFixtures), nameof(BackendFixtures.All))]
public class UdfComponentTests(BackendFixture fixture)
{
    private UdfRegistry _registry = null!;
    private ComponentLoader _loader = null!;
    private JsonElement[] _documents = null!;

    [SetUp]
    public void SetUp()
    {
        _registry = fixture.CreateRegistry();
        _loader = new ComponentLoader(_registry.Backend);
        using var json = UdfFixtures.Documents();
        _documents = json.RootElement.EnumerateArray().Select(e => e.Clone()).ToArray();
    }

    [TearDown]
    public void TearDown() => _registry.Dispose();

    private LoadedComponent Load(string name) => _loader.LoadFile(UdfFixtures.Path(name + ".wasm"));

    [Test]
    public void RegistersEveryUdfOfAManifest()
    {
        var registered = _registry.Register(Load("string_distance"));
        Assert.That(registered.Select(m => m.Name), Is.EqualTo(new[] { "string_distance", "levenshtein", "normalize" }));
        var metadata = _registry.Get("string_distance", "1.0.0")!;
        Assert.That(metadata.Category, Is.EqualTo("text"));
        Assert.That(metadata.Tags, Is.EqualTo(new[] { "fuzzy", "text" }));
        Assert.That(metadata.Author, Is.EqualTo("WasmKit team"));
        Assert.That(metadata.Parameters[2], Is.EqualTo(new UdfParameter("max_distance", UdfType.I32, false, 3)));
        Assert.That(metadata.Returns, Is.EqualTo(new[] { UdfType.Bool }));
    }

    [Test]
    public void RegisteringAComponentIsAllOrNothing()
    {
        var component = Load("string_distance");
        _registry.Register(new UdfMetadata { Name = "normalize", Version = "1.0.0", Parameters = [new UdfParameter("text", UdfType.String)], Returns = [UdfType.String] }, component);
        Assert.Throws<UdfValidationException>(() => _registry.Register(component));
        Assert.That(_registry.List().Select(m => m.Name), Is.EqualTo(new[] { "normalize" }));
    }

    [Test]
    public void StringUdfsOverDocuments()
    {
        _registry.Register(Load("string_distance"));
        var args = new Dictionary<string, object?> { ["field"] = "product_name", ["target"] = "iPhone 15" };
        var kept = _registry.Filter("string_distance", null, _documents, args);
        Assert.That(kept, Is.Not.Empty);
        foreach (var document in _documents)
        {
            string name = document.GetProperty("product_name").GetString()!;
            bool expected = Levenshtein(name, "iPhone 15") <= 3;
            Assert.That(kept.Any(k => k.GetProperty("id").GetString() == document.GetProperty("id").GetString()), Is.EqualTo(expected), name);
        }
        var empty = JsonDocument.Parse("{}").RootElement;
        Assert.That(_registry.Call("levenshtein", null, empty, new Dictionary<string, object?> { ["a"] = "kitten", ["b"] = "sitting" }).AsInt32(), Is.EqualTo(3));
        Assert.That(_registry.Call("normalize", null, empty, new Dictionary<string, object?> { ["text"] = "  Hello   WORLD " }).AsString(), Is.EqualTo("hello world"));
    }

    [Test]
    public void NumericFilterAndScore()
    {
        _registry.Register(Load("json_filter"));
        _registry.Register(Load("custom_score"));
        var cheap = _registry.Filter("path_compare", "1.0.0", _documents, new Dictionary<string, object?> { ["path"] = "price", ["op"] = "<", ["value"] = 1000.0 });
        Assert.That(cheap.Select(d => d.GetProperty("id").GetString()),
            Is.EqualTo(_documents.Where(d => d.GetProperty("price").GetDouble() < 1000).Select(d => d.GetProperty("id").GetString())));
        var scores = _registry.Score("custom_score", null, _documents);
        Assert.That(scores, Has.Length.EqualTo(_documents.Length));
        Assert.That(scores.Distinct().Count(), Is.GreaterThan(1));
    }

    [Test]
    public void ManifestLimitsApply()
    {
        var component = Load("custom_score");
        Assert.That(component.Manifest!.Limits.ToUdfLimits(), Is.EqualTo(new UdfLimits { MemoryPages = 4, Fuel = 1_000_000, Timeout = TimeSpan.FromMilliseconds(100) }));
    }

    [Test]
    public void ManifestDefaultsConvertToTheirTypes()
    {
        var udf = new ManifestUdf
        {
            Name = "f", Export = "f", Version = "1.0.0", Returns = ["f64"],
            Parameters =
            [
                Parameter("a", "i64", "7"), Parameter("b", "f32", "0.1"), Parameter("c", "bool", "true"),
                Parameter("d", "string", "\"x\""), Parameter("e", "f64", "2"), Parameter("g", "I32", null, required: true),
            ],
        };
        var metadata = udf.ToUdfMetadata();
        Assert.That(metadata.Parameters.Select(p => p.DefaultValue), Is.EqualTo(new object?[] { 7L, 0.1f, true, "x", 2.0, null }));
        Assert.That(metadata.Parameters[5].Type, Is.EqualTo(UdfType.I32));
        Assert.That(metadata.Description, Is.EqualTo(""));
    }

    [TestCase("i32", "2.5", "parameters[0].default")]
    [TestCase("i32", "\"2\"", "parameters[0].default")]
    [TestCase("bool", "1", "parameters[0].default")]
    [TestCase("string", "3", "parameters[0].default")]
    [TestCase("decimal", "3", "parameters[0].type")]
    public void BadManifestEntries(string type, string defaultJson, string field)
    {
        var udf = new ManifestUdf { Name = "f", Export = "f", Version = "1.0.0", Parameters = [Parameter("p", type, defaultJson)] };
        var error = Assert.Throws<UdfValidationException>(() => udf.ToUdfMetadata())!;
        Assert.That((error.UdfName, error.Field), Is.EqualTo(("f", field)));
    }

    [Test]
    public void UnknownReturnType()
    {
        var udf = new ManifestUdf { Name = "f", Export = "f", Version = "1.0.0", Returns = ["text"] };
        Assert.That(Assert.Throws<UdfValidationException>(() => udf.ToUdfMetadata())!.Field, Is.EqualTo("returns[0]"));
    }

    private static ManifestParameter Parameter(string name, string type, string? defaultJson, bool required = false) => new()
    {
        Name = name,
        Type = type,
        Required = required,
        Default = defaultJson is null ? null : JsonDocument.Parse(defaultJson).RootElement.Clone(),
    };

    private static int Levenshtein(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (int i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            previous = current;
        }
        return previous[b.Length];
    }
}
