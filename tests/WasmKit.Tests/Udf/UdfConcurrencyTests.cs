using WasmKit.Tests.Support;
using WasmKit.Udf;
using static WasmKit.Tests.Udf.UdfTestModules;

namespace WasmKit.Tests.Udf;

[TestFixtureSource(typeof(BackendFixtures), nameof(BackendFixtures.All))]
public class UdfConcurrencyTests(BackendFixture fixture)
{
    // Caps of 1 (no per-core cache), 2 (one cache slot) and 4: the cache must hand instances back
    // to the pool when renters would otherwise wait at the cap.
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(4)]
    public async Task SixtyFourTasksGetTheirOwnResults(int cap)
    {
        using var registry = fixture.CreateRegistry(new UdfRegistryOptions { MaximumInstancesPerModule = cap });
        var module = Load(registry);
        registry.Register(Metadata("add", "add", [UdfType.I32], new UdfParameter("a", UdfType.I32), new UdfParameter("b", UdfType.I32)), module);
        registry.Register(Metadata("echo", "echo", [UdfType.String], new UdfParameter("text", UdfType.String)), module);
        registry.Register(Metadata("price_below", "price_below", [UdfType.Bool], new UdfParameter("limit", UdfType.F64)), module);
        var documents = Products(50);
        const int Rounds = 40;
        int failures = 0;

        var tasks = Enumerable.Range(0, 64).Select(task => Task.Run(() =>
        {
            var add = registry.GetFunction<int>("add", null, new Dictionary<string, object?> { ["a"] = task, ["b"] = 1000 });
            for (int round = 0; round < Rounds; round++)
            {
                var empty = Document("{}");
                bool ok = registry.Call("add", "1.0.0", empty, new Dictionary<string, object?> { ["a"] = task, ["b"] = round }).AsInt32() == task + round;
                ok &= registry.Call("echo", null, empty, new Dictionary<string, object?> { ["text"] = $"task {task} round {round}" }).AsString() == $"task {task} round {round}";
                ok &= add.Invoke(empty) == task + 1000;
                var limit = (task % 10 + 1) * 50.0;
                ok &= registry.Filter("price_below", null, documents, new Dictionary<string, object?> { ["limit"] = limit }).Count == (int)Math.Ceiling(limit / 10);
                if (!ok) Interlocked.Increment(ref failures);
            }
        })).ToArray();

        // Registration changes while calls run must not disturb them.
        for (int i = 0; i < 20; i++)
        {
            registry.Register(Metadata("churn", "add", [UdfType.I32], new UdfParameter("a", UdfType.I32), new UdfParameter("b", UdfType.I32)) with { Version = $"1.0.{i}" }, module);
            if (i % 2 == 0) registry.Unregister("churn", $"1.0.{i}");
        }
        await Task.WhenAll(tasks);

        Assert.That(failures, Is.Zero);
        Assert.That(registry.GetStatistics("add").Calls, Is.EqualTo(64 * Rounds * 2));
        Assert.That(registry.GetStatistics("add").Errors, Is.Zero);
        Assert.That(registry.GetStatistics("echo").Calls, Is.EqualTo(64 * Rounds));
        Assert.That(registry.GetStatistics("price_below").Calls, Is.EqualTo(64 * Rounds * documents.Length));
        Assert.That(registry.GetVersions("churn"), Has.Count.EqualTo(10));
    }
}
