// Scripts run at most two at a time: the CI machine has two cores.
[assembly: LevelOfParallelism(2)]

namespace WasmKit.SpecTests;

/// <summary>After all scripts ran: prints the per-file table and total, writes the JSON summary, optionally the baseline.</summary>
[SetUpFixture]
public sealed class SpecSuiteReport
{
    [OneTimeTearDown]
    public void ReportSummary()
    {
        ReportWasmKit();
        ReportWasmtime();
    }

    private static void ReportWasmtime()
    {
        var results = WasmtimeSpecSummary.Snapshot();
        if (SpecSuiteLocator.SuiteDirectory is null || results.Count == 0) return;
        TestContext.Progress.Write(SpecSummary.Table(results));
        TestContext.Progress.WriteLine(WasmtimeSpecSummary.TotalLine(results));
        string summaryPath = Path.Combine(SpecSuiteLocator.ArtifactsDirectory, WasmtimeSpecSummary.FileName);
        SpecSummary.WriteJson(summaryPath, results);
        TestContext.Progress.WriteLine($"spectest (wasmtime) summary written to {summaryPath}");
        if (SpecBaseline.IsUpdating)
        {
            string baselinePath = SpecSuiteLocator.WasmtimeBaselineSourcePath;
            SpecBaseline.Write(baselinePath, SpecBaseline.Wasmtime, results.Where(r => r.HarnessError is null).Select(r => (r.File, r.Passed)));
            TestContext.Progress.WriteLine($"spectest (wasmtime) baseline updated: {baselinePath}");
        }
    }

    private static void ReportWasmKit()
    {
        var results = SpecSummary.Snapshot();
        if (SpecSuiteLocator.SuiteDirectory is null)
        {
            TestContext.Progress.WriteLine("spectest: NOT RUN - " + SpecSuiteLocator.SuiteMissingLocally);
            return;
        }
        if (results.Count > 0) TestContext.Progress.Write(SpecSummary.Table(results));
        TestContext.Progress.WriteLine(SpecSummary.TotalLine(results));
        if (results.Count == 0) return;

        string summaryPath = Path.Combine(SpecSuiteLocator.ArtifactsDirectory, SpecSummary.FileName);
        SpecSummary.WriteJson(summaryPath, results);
        TestContext.Progress.WriteLine($"spectest summary written to {summaryPath}");

        if (SpecBaseline.IsUpdating)
        {
            string baselinePath = SpecSuiteLocator.BaselineSourcePath;
            SpecBaseline.Write(baselinePath, SpecBaseline.Current, results.Where(r => r.HarnessError is null).Select(r => (r.File, r.Passed)));
            TestContext.Progress.WriteLine($"spectest baseline updated: {baselinePath}");
        }
    }
}
