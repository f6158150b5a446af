using System.Text.Json;
using WasmKit.Tests.Components;
using WasmKit.Udf;

namespace WasmKit.Tests.Documents;

/// <summary>The fixtures/udf modules, run against documents through the "wasmkit" host functions.</summary>
public class FixtureUdfTests
{
    private static (Instance Instance, DocumentContext Context) Load(string file, StoreLimits? limits = null)
    {
        var engine = new Engine();
        var linker = new Linker(engine);
        DocumentHostFunctions.Define(linker);
        var context = new DocumentContext();
        var store = new Store(engine, limits) { Data = context };
        return (linker.Instantiate(store, Module.FromFile(engine, UdfFixtures.Path(file))), context);
    }

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    [Test]
    public void StringDistanceKeepsCloseNames()
    {
        var (instance, context) = Load("string_distance.wasm");
        var call = instance.GetFunction<int, int, int, int, int, int>("string_distance")!;
        int Check(string json, string field, string target, int max)
        {
            context.SetDocument(Json(json));
            var (f, fl) = UdfFixtures.WriteString(instance, field);
            var (t, tl) = UdfFixtures.WriteString(instance, target);
            return call(f, fl, t, tl, max);
        }
        Assert.That(Check("""{"product_name":"iPhone 15"}""", "product_name", "iPhone 15", 0), Is.EqualTo(1));
        Assert.That(Check("""{"product_name":"iPhone 14"}""", "product_name", "iPhone 15", 1), Is.EqualTo(1));
        Assert.That(Check("""{"product_name":"iPhone 15 Pro"}""", "product_name", "iPhone 15", 3), Is.EqualTo(0));
        Assert.That(Check("""{"product_name":"iPhone 15 Pro"}""", "product_name", "iPhone 15", 4), Is.EqualTo(1));
        Assert.That(Check("""{"a":{"names":["x","caf\u00e9"]}}""", "a.names[1]", "cafe", 1), Is.EqualTo(1), "one code point, not two bytes");
        Assert.That(Check("""{"product_name":5}""", "product_name", "5", 3), Is.EqualTo(0), "wrong type");
        Assert.That(Check("""{}""", "product_name", "x", 3), Is.EqualTo(0), "missing");
        string longName = new string('a', 600);
        Assert.That(Check($$"""{"d":"{{longName}}b"}""", "d", longName, 1), Is.EqualTo(1), "longer than the guest's stack buffer");
    }

    [Test]
    public void LevenshteinAndNormalize()
    {
        var (instance, _) = Load("string_distance.wasm");
        var (a, al) = UdfFixtures.WriteString(instance, "kitten");
        var (b, bl) = UdfFixtures.WriteString(instance, "sitting");
        Assert.That(instance.GetFunction<int, int, int, int, int>("levenshtein")!(a, al, b, bl), Is.EqualTo(3));
        var (t, tl) = UdfFixtures.WriteString(instance, "  Hello   WORLD \t");
        long packed = instance.GetFunction<int, int, long>("normalize")!(t, tl);
        Assert.That(UdfFixtures.ReadString(instance, packed), Is.EqualTo("hello world"));
    }

    [Test]
    public void JsonFilterComparesPaths()
    {
        var (instance, context) = Load("json_filter.wasm");
        context.SetDocument(Json("""{"price": 799, "specs": {"dims": [{"mm": 147.6}], "wireless": true, "colors": ["red", "blue"]}, "brand": "Apple"}"""));
        var compare = instance.GetFunction<int, int, int, int, double, int>("path_compare")!;
        int Compare(string path, string op, double value)
        {
            var (p, pl) = UdfFixtures.WriteString(instance, path);
            var (o, ol) = UdfFixtures.WriteString(instance, op);
            return compare(p, pl, o, ol, value);
        }
        Assert.That(Compare("price", "<", 800), Is.EqualTo(1));
        Assert.That(Compare("price", "<=", 799), Is.EqualTo(1));
        Assert.That(Compare("price", ">", 799), Is.EqualTo(0));
        Assert.That(Compare("price", ">=", 799), Is.EqualTo(1));
        Assert.That(Compare("price", "==", 799), Is.EqualTo(1));
        Assert.That(Compare("price", "!=", 799), Is.EqualTo(0));
        Assert.That(Compare("specs.dims[0].mm", ">", 100), Is.EqualTo(1));
        Assert.That(Compare("price", "<>", 1), Is.EqualTo(0), "unknown op");
        Assert.That(Compare("brand", "==", 0), Is.EqualTo(0), "not a number");
        Assert.That(Compare("missing", "<", 1e9), Is.EqualTo(0));

        var equals = instance.GetFunction<int, int, int, int, int>("path_equals")!;
        var contains = instance.GetFunction<int, int, int, int, int>("array_contains")!;
        int Call(Func<int, int, int, int, int> f, string path, string expected)
        {
            var (p, pl) = UdfFixtures.WriteString(instance, path);
            var (e, el) = UdfFixtures.WriteString(instance, expected);
            return f(p, pl, e, el);
        }
        Assert.That(Call(equals, "brand", "Apple"), Is.EqualTo(1));
        Assert.That(Call(equals, "brand", "apple"), Is.EqualTo(0));
        Assert.That(Call(equals, "specs.wireless", "true"), Is.EqualTo(1));
        Assert.That(Call(equals, "specs.colors[1]", "blue"), Is.EqualTo(1));
        Assert.That(Call(contains, "specs.colors", "blue"), Is.EqualTo(1));
        Assert.That(Call(contains, "specs.colors", "green"), Is.EqualTo(0));
        Assert.That(Call(contains, "brand", "Apple"), Is.EqualTo(0), "not an array");
    }

    [Test]
    public void CustomScoreFromAssemblyScript()
    {
        var (instance, context) = Load("custom_score.wasm");
        var score = instance.GetFunction<double, double>("custom_score")!;
        context.SetDocument(Json("""{"rating": 4.5, "price": 500, "in_stock": true}"""), "p1", 2.0);
        Assert.That(score(1.5), Is.EqualTo(2.0 * 1.5 + 4.5 / 5 + 0.25 - 500 / 10000.0).Within(1e-12));
        context.SetDocument(Json("""{}"""), "p2", 1.0);
        Assert.That(score(1.0), Is.EqualTo(1.0).Within(1e-12), "missing fields count as zero");
    }

    [Test]
    public void ManyCallsInOneInstanceDoNotUseUpMemory()
    {
        // Two pages is all the fixtures start with; the calls must not need the heap to grow.
        var limits = new StoreLimits { MaxMemoryPages = 2 };
        using var documents = UdfFixtures.Documents();
        var all = documents.RootElement.EnumerateArray().ToArray();

        var (distance, distanceContext) = Load("string_distance.wasm", limits);
        var stringDistance = distance.GetFunction<int, int, int, int, int, int>("string_distance")!;
        var normalize = distance.GetFunction<int, int, long>("normalize")!;
        var (f, fl) = UdfFixtures.WriteString(distance, "product_name");
        var (t, tl) = UdfFixtures.WriteString(distance, "iPhone 15");
        var (filter, filterContext) = Load("json_filter.wasm", limits);
        var contains = filter.GetFunction<int, int, int, int, int>("array_contains")!;
        var (p, pl) = UdfFixtures.WriteString(filter, "specs.colors");
        var (c, cl) = UdfFixtures.WriteString(filter, "black");
        var (score, scoreContext) = Load("custom_score.wasm", limits);
        var customScore = score.GetFunction<double, double>("custom_score")!;
        int matches = 0;
        for (int round = 0; round < 200; round++)
        {
            foreach (var document in all)
            {
                distanceContext.SetDocument(document);
                filterContext.SetDocument(document);
                scoreContext.SetDocument(document, null, 1);
                matches += stringDistance(f, fl, t, tl, 2);
                matches += contains(p, pl, c, cl);
                Assert.That(customScore(1), Is.Not.NaN);
                if (round == 0) Assert.That(UdfFixtures.ReadString(distance, normalize(t, tl)), Is.EqualTo("iphone 15"));
            }
        }
        Assert.That(matches, Is.Positive);
        Assert.That(distance.GetMemory("memory")!.PageCount, Is.EqualTo(2));
        Assert.That(filter.GetMemory("memory")!.PageCount, Is.EqualTo(2));
        Assert.That(score.GetMemory("memory")!.PageCount, Is.EqualTo(2));
    }

    [Test]
    public void TheSampleDocumentsAreUsable()
    {
        using var documents = UdfFixtures.Documents();
        var all = documents.RootElement.EnumerateArray().ToArray();
        Assert.That(all, Has.Length.InRange(40, 60));
        var context = new DocumentContext();
        foreach (var document in all)
        {
            context.SetDocument(document, document.GetProperty("id").GetString());
            Assert.That(context.TryGetField("specs.dims[2].mm", out _), Is.EqualTo(DocumentStatus.Ok));
            Assert.That(context.TryGetField("tags[0]", out _), Is.EqualTo(DocumentStatus.Ok));
            Assert.That(context.TryGetField("price", out var price), Is.EqualTo(DocumentStatus.Ok));
            Assert.That(price.GetDouble(), Is.Positive);
        }
    }
}
