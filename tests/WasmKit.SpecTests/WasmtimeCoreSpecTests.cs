namespace WasmKit.SpecTests;

/// <summary>
/// The same core scripts through Wasmtime (<see cref="WasmtimeScriptRunner"/>): a cross-check of the harness and
/// its value rules, SIMD included. Every script must run without a failure and keep its minimum in
/// spectest-baseline-wasmtime.json.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class WasmtimeCoreSpecTests
{
    public static IEnumerable<TestCaseData> Scripts()
    {
        IEnumerable<string> files = SpecSuiteLocator.SuiteDirectory is string suite
            ? Directory.EnumerateFiles(Path.Combine(suite, "core"), "*.wast").Select(Path.GetFileName).OfType<string>()
            : SpecBaseline.Wasmtime.Files;
        foreach (string file in files.Order(StringComparer.Ordinal))
            yield return new TestCaseData(file).SetName("wasmtime " + file);
    }

    [TestCaseSource(nameof(Scripts))]
    public void Script(string file)
    {
        if (SpecSuiteLocator.SuiteDirectory is not string suite)
        {
            if (SpecSuiteLocator.IsContinuousIntegration) Assert.Fail(SpecSuiteLocator.SuiteMissingInCi);
            Assert.Ignore(SpecSuiteLocator.SuiteMissingLocally);
            return;
        }

        var result = SpecScriptExecution.Run(Path.Combine(suite, "core", file),
            (directory, scriptResult, log) => new WasmtimeScriptRunner(directory, scriptResult, log));
        WasmtimeSpecSummary.Record(result);

        var baseline = SpecBaseline.Wasmtime;
        string minimum = baseline.MinimumPassed(file) is int min ? $"at least {min} passed" : "not listed";
        string counts = $"{file} (wasmtime): {result.Passed} passed, {result.Failed} failed, {result.Skipped} skipped (baseline: {minimum}, no failure)";
        TestContext.Out.WriteLine(counts);
        if (result.Failures.Count > 0) TestContext.Out.WriteLine(result.DescribeFailures());

        if (result.HarnessError is string error)
            Assert.Fail($"{counts}{Environment.NewLine}{error}");
        if (baseline.Violation(result) is string violation)
            Assert.Fail($"{counts}: {violation}.{Environment.NewLine}{result.DescribeFailures()}");
    }
}
