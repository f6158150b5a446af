using WasmKit.Tests.Support;
using WasmKit.Udf;
using static WasmKit.Tests.Udf.UdfTestModules;

namespace WasmKit.Tests.Udf;

[TestFixtureSource(typeof(BackendFixtures), nameof(BackendFixtures.All))]
public class UdfBatchTests(BackendFixture fixture)
{
    private UdfRegistry _registry = null!;

    [SetUp]
    public void SetUp()
    {
        _registry = fixture.CreateRegistry();
        var module = Load(_registry);
        _registry.Register(Metadata("price_below", "price_below", [UdfType.Bool], new UdfParameter("limit", UdfType.F64)), module);
        _registry.Register(Metadata("weighted", "weighted", [UdfType.F64], new UdfParameter("weight", UdfType.F64, false, 1.0)), module);
        _registry.Register(Metadata("add", "add", [UdfType.I32], new UdfParameter("a", UdfType.I32), new UdfParameter("b", UdfType.I32)), module);
        _registry.Register(Metadata("crash", "crash", [UdfType.I32]), module);
    }

    [TearDown]
    public void TearDown() => _registry.Dispose();

    [Test]
    public void FilterKeepsMatchingDocumentsInOrder()
    {
        var documents = Products(200);
        var kept = _registry.Filter("price_below", null, documents, new Dictionary<string, object?> { ["limit"] = 500.0 });
        Assert.That(kept.Select(d => d.GetProperty("id").GetString()), Is.EqualTo(Enumerable.Range(0, 50).Select(i => $"p{i}")));
    }

    [Test]
    public void FilterKeepsIdentifiersAndScores()
    {
        var documents = Products(10).Select((d, i) => new UdfDocument(d, $"doc{i}", i)).ToArray();
        var kept = _registry.Filter("price_below", "1.0.0", documents, new Dictionary<string, object?> { ["limit"] = 25.0 });
        Assert.That(kept.Select(d => d.Id), Is.EqualTo(new[] { "doc0", "doc1", "doc2" }));
        Assert.That(kept[2].Score, Is.EqualTo(2));
    }

    [Test]
    public void ScoreReturnsOneNumberPerDocument()
    {
        var documents = Products(20);
        var scores = _registry.Score("weighted", null, documents, new Dictionary<string, object?> { ["weight"] = 2.0 });
        Assert.That(scores, Is.EqualTo(Enumerable.Range(0, 20).Select(i => (i % 5) * 2.0)));
        var defaults = _registry.Score("weighted", null, documents.Select(d => new UdfDocument(d)).ToArray());
        Assert.That(defaults, Is.EqualTo(Enumerable.Range(0, 20).Select(i => (double)(i % 5))));
        // Integer results widen to f64 scores.
        Assert.That(_registry.Score("add", null, documents.Take(2).ToArray(), new Dictionary<string, object?> { ["a"] = 1, ["b"] = 2 }), Is.EqualTo(new[] { 3.0, 3.0 }));
    }

    [Test]
    public void EmptyBatches()
    {
        Assert.That(_registry.Filter("price_below", null, Array.Empty<System.Text.Json.JsonElement>(), new Dictionary<string, object?> { ["limit"] = 1.0 }), Is.Empty);
        Assert.That(_registry.Score("weighted", null, Array.Empty<System.Text.Json.JsonElement>()), Is.Empty);
    }

    [Test]
    public void BatchesNeedTheRightResultType()
    {
        var documents = Products(3);
        Assert.Throws<UdfArgumentException>(() => _registry.Filter("weighted", null, documents));
        Assert.Throws<UdfArgumentException>(() => _registry.Score("price_below", null, documents, new Dictionary<string, object?> { ["limit"] = 1.0 }));
        Assert.Throws<UdfArgumentException>(() => _registry.Filter("price_below", null, documents));
    }

    [Test]
    public void AFailureNamesTheDocument()
    {
        var error = Assert.Throws<UdfExecutionException>(() => _registry.Score("crash", null, Products(3)))!;
        Assert.That(error.DocumentIndex, Is.EqualTo(0));
        Assert.That(error.Message, Does.Contain("crash@1.0.0").And.Contain("document 0"));
    }

    [Test]
    public void TypedHandleBatches()
    {
        var documents = Products(30);
        var below = _registry.GetFunction<bool>("price_below", null, new Dictionary<string, object?> { ["limit"] = 100.0 });
        Assert.That(below.Filter(documents), Is.EqualTo(Enumerable.Range(0, 10)));
        Assert.That(below.Evaluate(documents).Count(b => b), Is.EqualTo(10));
        Assert.That(below.Evaluate(documents.Select(d => new UdfDocument(d)).ToArray()).Count(b => b), Is.EqualTo(10));
        var weighted = _registry.GetFunction<double>("weighted");
        Assert.That(weighted.Evaluate(documents).Sum(), Is.EqualTo(documents.Sum(d => d.GetProperty("rating").GetDouble())));
        Assert.Throws<InvalidOperationException>(() => weighted.Filter(documents));
    }

    [Test]
    public void OneBatchCountsOneCallPerDocument()
    {
        _registry.Filter("price_below", null, Products(40), new Dictionary<string, object?> { ["limit"] = 100.0 });
        Assert.That(_registry.GetStatistics("price_below").Calls, Is.EqualTo(40));
    }
}
