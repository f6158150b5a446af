namespace WasmKit.BenchGate.Tests;

public class MarkdownReportTests
{
    private static readonly Gate Typed = new("typed call", "CallBenchmarks.WasmTyped", "CallBenchmarks.CSharpDelegate", 2.6, 2.5);
    private static readonly Gate Pool = new("pool | reset", "UdfPoolBenchmarks.RentResetReturn", "UdfPoolBenchmarks.ObjectPoolPlainObject", 5, null);

    [Test]
    public void OneRowPerGateWithRatiosMedianThresholdAndResult()
    {
        var results = new[] { new GateResult(Typed, [2.5, 2.0, 3.0], 2.5, GateVerdict.Pass, null) };

        string markdown = MarkdownReport.Render(results, 3, ["Some CPU, X64, .NET 10"]);

        Assert.That(markdown, Does.Contain("| Gate | Benchmark | Baseline | Ratio per launch | Median | Threshold | Result |"));
        Assert.That(markdown, Does.Contain("| typed call | `CallBenchmarks.WasmTyped` | `CallBenchmarks.CSharpDelegate` | 2.50, 2.00, 3.00 | 2.50 | 2.60 | pass |"));
        Assert.That(markdown, Does.Contain("Host: Some CPU, X64, .NET 10"));
        Assert.That(markdown, Does.Contain("median over 3 report file(s)"));
        Assert.That(markdown.TrimEnd(), Does.EndWith("**PASS**: all 1 gates within their thresholds."));
    }

    [Test]
    public void FailedGatesAreMarkedExplainedAndNamedInTheVerdict()
    {
        var results = new[]
        {
            new GateResult(Typed, [3.0], 3.0, GateVerdict.Exceeded, null),
            new GateResult(Pool, [], null, GateVerdict.Missing, "no report contains UdfPoolBenchmarks.RentResetReturn"),
        };

        string markdown = MarkdownReport.Render(results, 1, []);

        Assert.That(markdown, Does.Contain("| 3.00 | 3.00 | 2.60 | **exceeded** |"));
        Assert.That(markdown, Does.Contain("| – | – | 5.00 | **missing** |"));
        Assert.That(markdown, Does.Contain("- pool \\| reset: no report contains UdfPoolBenchmarks.RentResetReturn"));
        Assert.That(markdown.TrimEnd(), Does.EndWith("**FAIL**: 2 of 2 gates failed: typed call (**exceeded**), pool \\| reset (**missing**)."));
    }

    [Test]
    public void APipeInANameDoesNotAddAColumn()
    {
        var results = new[] { new GateResult(Pool, [4.0], 4.0, GateVerdict.Pass, null) };

        string row = MarkdownReport.Render(results, 1, []).Split('\n').Single(line => line.StartsWith("| pool", StringComparison.Ordinal));

        Assert.That(row.Replace("\\|", "", StringComparison.Ordinal).Count(c => c == '|'), Is.EqualTo(8));
    }
}
