namespace WasmKit.BenchGate.Tests;

public class GateEvaluatorTests
{
    private static GateResult EvaluateRecorded(Gate gate, string folder) =>
        GateEvaluator.Evaluate([gate], ReportReader.ReadDirectory(RecordedReports.Folder(folder))).Single();

    [Test]
    public void EachRatioIsTheBenchmarkMeanOverItsBaselineMeanInTheSameReport()
    {
        var result = EvaluateRecorded(RecordedReports.TypedCall, "three-launches");

        // 5/2, 4/2, 6/2: the pool reports of the same launches hold neither benchmark and are skipped.
        Assert.That(result.Ratios, Is.EqualTo(new[] { 2.5, 2.0, 3.0 }));
    }

    [Test]
    public void TheVerdictRestsOnTheMedianOverLaunches()
    {
        var typedCall = EvaluateRecorded(RecordedReports.TypedCall, "three-launches");
        var pool = EvaluateRecorded(RecordedReports.Pool, "three-launches");

        // One launch at 3.0 exceeds the 2.6 threshold, the median 2.5 does not.
        Assert.That(typedCall.Median, Is.EqualTo(2.5));
        Assert.That(typedCall.Verdict, Is.EqualTo(GateVerdict.Pass));
        Assert.That(pool.Ratios, Is.EqualTo(new[] { 4.0, 5.0, 4.5 }));
        Assert.That(pool.Median, Is.EqualTo(4.5));
        Assert.That(pool.Verdict, Is.EqualTo(GateVerdict.Pass));
    }

    [Test]
    public void AMedianAboveTheThresholdFails()
    {
        var strict = RecordedReports.TypedCall with { Threshold = 2.4 };

        var result = EvaluateRecorded(strict, "three-launches");

        Assert.That(result.Verdict, Is.EqualTo(GateVerdict.Exceeded));
        Assert.That(result.Passed, Is.False);
        Assert.That(result.Median, Is.EqualTo(2.5));
    }

    [Test]
    public void AMedianEqualToTheThresholdPasses()
    {
        var exact = RecordedReports.TypedCall with { Threshold = 2.5 };

        Assert.That(EvaluateRecorded(exact, "three-launches").Verdict, Is.EqualTo(GateVerdict.Pass));
    }

    [Test]
    public void AGateNoReportMentionsIsMissing()
    {
        var elsewhere = new Gate("compute", "ComputeBenchmarks.FibWasm", "ComputeBenchmarks.FibCSharp", 4, null);

        var result = EvaluateRecorded(elsewhere, "three-launches");

        Assert.That(result.Verdict, Is.EqualTo(GateVerdict.Missing));
        Assert.That(result.Problem, Does.Contain("ComputeBenchmarks.FibWasm"));
        Assert.That(result.Median, Is.Null);
    }

    [Test]
    public void AMissingBaselineFailsTheGate()
    {
        var result = EvaluateRecorded(RecordedReports.TypedCall, "missing-baseline");

        Assert.That(result.Verdict, Is.EqualTo(GateVerdict.Missing));
        Assert.That(result.Problem, Does.Contain("baseline CallBenchmarks.CSharpDelegate is missing"));
    }

    [Test]
    public void AMissingBenchmarkFailsTheGate()
    {
        var other = RecordedReports.TypedCall with { Benchmark = "CallBenchmarks.WasmTypedRenamed" };

        var result = EvaluateRecorded(other, "three-launches");

        Assert.That(result.Verdict, Is.EqualTo(GateVerdict.Missing));
        Assert.That(result.Problem, Does.Contain("CallBenchmarks.WasmTypedRenamed is missing in launch-1"));
    }

    [Test]
    public void ABenchmarkThatFailedToRunFailsTheGate()
    {
        var result = EvaluateRecorded(RecordedReports.TypedCall, "failed-benchmark");

        Assert.That(result.Verdict, Is.EqualTo(GateVerdict.Missing));
        Assert.That(result.Problem, Does.Contain("has no result (failed)"));
    }

    [Test]
    public void AGoodLaunchDoesNotHideAFailedOne()
    {
        var good = ReportReader.ReadDirectory(RecordedReports.Folder("three-launches"));
        var failed = ReportReader.ReadDirectory(RecordedReports.Folder("failed-benchmark"));

        var result = GateEvaluator.Evaluate([RecordedReports.TypedCall], [.. good, .. failed]).Single();

        Assert.That(result.Verdict, Is.EqualTo(GateVerdict.Missing));
    }
}
