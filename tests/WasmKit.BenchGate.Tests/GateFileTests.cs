namespace WasmKit.BenchGate.Tests;

public class GateFileTests
{
    [Test]
    public void LoadsNameBenchmarkBaselineThresholdAndReference()
    {
        var gate = RecordedReports.TypedCall;

        Assert.That(gate, Is.EqualTo(new Gate("typed call", "CallBenchmarks.WasmTyped", "CallBenchmarks.CSharpDelegate", 2.6, 2.5)));
        Assert.That(RecordedReports.Pool.Reference, Is.Null);
    }

    [TestCase("{}", "\"gates\" array")]
    [TestCase("{\"gates\": []}", "no gates")]
    [TestCase("{\"gates\": [{\"name\": \"a\", \"benchmark\": \"C.B\", \"baseline\": \"C.A\", \"threshold\": 0}]}", "positive number")]
    [TestCase("{\"gates\": [{\"name\": \"a\", \"benchmark\": \"C.B\", \"threshold\": 2}]}", "\"baseline\"")]
    [TestCase("{\"gates\": [{\"name\": \"a\", \"benchmark\": \"C.B\", \"baseline\": \"C.B\", \"threshold\": 2}]}", "the same")]
    [TestCase("{\"gates\": [{\"name\": \"a\", \"benchmark\": \"C.B\", \"baseline\": \"C.A\", \"threshold\": 2}, {\"name\": \"a\", \"benchmark\": \"C.D\", \"baseline\": \"C.A\", \"threshold\": 2}]}", "used twice")]
    public void AnIncompleteGateFileIsRejectedWithTheReason(string json, string reason)
    {
        var error = Assert.Throws<GateInputException>(() => GateFile.Parse(json, "gates.json"));

        Assert.That(error!.Message, Does.StartWith("gates.json").And.Contain(reason));
    }

    [Test]
    public void FiltersSelectEachBenchmarkAndBaselineOnceWithTheirClass()
    {
        var gates = new[]
        {
            new Gate("a", "CallBenchmarks.WasmTyped", "CallBenchmarks.CSharpDelegate", 3, null),
            new Gate("b", "CallBenchmarks.WasmUntyped", "CallBenchmarks.CSharpDelegate", 30, null),
        };

        Assert.That(GateFile.Filters(gates), Is.EqualTo(new[]
        {
            "*.CallBenchmarks.CSharpDelegate", "*.CallBenchmarks.WasmTyped", "*.CallBenchmarks.WasmUntyped",
        }));
    }

    [Test]
    public void TheRepositoryGateFileLoadsAndEachThresholdLeavesHeadroomAboveItsReference()
    {
        string? root = AppContext.BaseDirectory;
        while (root is not null && !File.Exists(Path.Combine(root, "WasmKit.sln"))) root = Path.GetDirectoryName(root);
        Assert.That(root, Is.Not.Null, "the tests run inside the checkout");

        var gates = GateFile.Load(Path.Combine(root!, "bench", "gates.json"));

        Assert.That(gates, Has.Count.GreaterThanOrEqualTo(8));
        Assert.Multiple(() =>
        {
            foreach (var gate in gates)
            {
                Assert.That(gate.Reference, Is.Not.Null, gate.Name);
                Assert.That(gate.Threshold, Is.GreaterThanOrEqualTo(1.5 * gate.Reference!.Value), gate.Name);
                Assert.That(gate.Benchmark.Split('.')[0], Is.EqualTo(gate.Baseline.Split('.')[0]), $"{gate.Name}: benchmark and baseline share a class, so they share a run");
            }
        });
    }
}
