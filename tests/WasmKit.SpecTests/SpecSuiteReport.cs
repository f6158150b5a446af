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
