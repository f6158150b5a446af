namespace WasmKit.SpecTests;

/// <summary>
/// One test case per script in the spec suite's core/ folder, once per <see cref="CodeTiering"/>: generated
/// code must behave the same whether the JIT tiers it or compiles it once, fully optimised, and whether
/// function bodies are split into region methods or not (the last two fixtures split almost everything).
/// </summary>
[TestFixture(CodeTiering.Automatic, false)]
[TestFixture(CodeTiering.Tiered, false)]
[TestFixture(CodeTiering.Collectible, false)]
[TestFixture(CodeTiering.Tiered, true)]
[TestFixture(CodeTiering.Collectible, true)]
[Parallelizable(ParallelScope.Children)]
public sealed class CoreSpecTests(CodeTiering tiering, bool forceOutlining)
{
    /// <summary>Splits every body larger than a few bytes, into regions as small as one instruction.</summary>
    private static readonly Compilation.OutliningOptions ForcedOutlining = new(SplitBodyBytes: 12, ThresholdBytes: 12, MinimumRegionBytes: 1);

    public static IEnumerable<TestCaseData> Scripts()
    {
        // Without the suite, the baseline still names every script, so each case can say how to get it.
        IEnumerable<string> files = SpecSuiteLocator.SuiteDirectory is string suite
            ? Directory.EnumerateFiles(Path.Combine(suite, "core"), "*.wast").Select(Path.GetFileName).OfType<string>()
            : SpecBaseline.Current.Files;
        foreach (string file in files.Order(StringComparer.Ordinal))
            yield return new TestCaseData(file).SetName(file);
    }

    [TestCaseSource(nameof(Scripts))]
    public void Script(string file)
    {
        if (SpecSuiteLocator.SuiteDirectory is not string suite)
        {
            // A green run that tested nothing must not pass for conformance in CI.
            if (SpecSuiteLocator.IsContinuousIntegration) Assert.Fail(SpecSuiteLocator.SuiteMissingInCi);
            Assert.Ignore(SpecSuiteLocator.SuiteMissingLocally);
            return;
        }

        var options = new EngineOptions { CodeTiering = tiering };
        if (forceOutlining) options = options with { Outlining = ForcedOutlining };
        var result = SpecScriptExecution.Run(Path.Combine(suite, "core", file), options);
        // The summary reports the default engine's conformance; the other variants are held to the same baseline below.
        if (options == new EngineOptions()) SpecSummary.Record(result);

        var baseline = SpecBaseline.Current;
        string minimum = baseline.MinimumPassed(file) is int min ? $"at least {min} passed" : "not listed";
        string rule = baseline.MayFail(file) ? "" : ", no failure";
        string counts = $"{file}: {result.Passed} passed, {result.Failed} failed, {result.Skipped} skipped (baseline: {minimum}{rule})";
        TestContext.Out.WriteLine(counts);
        if (result.Failures.Count > 0) TestContext.Out.WriteLine(result.DescribeFailures());

        if (result.HarnessError is string error)
            Assert.Fail($"{counts}{Environment.NewLine}{error}");
        if (baseline.Violation(result) is string violation)
            Assert.Fail($"{counts}: {violation}.{Environment.NewLine}{result.DescribeFailures()}");
    }
}
