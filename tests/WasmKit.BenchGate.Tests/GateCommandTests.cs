namespace WasmKit.BenchGate.Tests;

public class GateCommandTests
{
    private string _temporary = null!;

    [SetUp]
    public void CreateTemporaryFolder() => _temporary = Directory.CreateTempSubdirectory("bench-gate-tests-").FullName;

    [TearDown]
    public void DeleteTemporaryFolder() => Directory.Delete(_temporary, recursive: true);

    private static (int ExitCode, string Output, string Error) Run(Func<string, string?> environment, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exitCode = GateCommand.Run(args, output, error, environment);
        return (exitCode, output.ToString(), error.ToString());
    }

    private static string? NoEnvironment(string name) => null;

    [Test]
    public void PassingGatesExitZeroAndPrintTheTable()
    {
        var (exitCode, output, _) = Run(NoEnvironment, "--gates", RecordedReports.GatesFile, "--reports", RecordedReports.Folder("three-launches"));

        Assert.That(exitCode, Is.EqualTo(GateCommand.Success));
        Assert.That(output, Does.Contain("| typed call |").And.Contain("**PASS**"));
    }

    [Test]
    public void AFailedGateExitsOne()
    {
        var (exitCode, output, _) = Run(NoEnvironment, "--gates", RecordedReports.GatesFile, "--reports", RecordedReports.Folder("missing-baseline"));

        Assert.That(exitCode, Is.EqualTo(GateCommand.GateFailed));
        Assert.That(output, Does.Contain("**FAIL**"));
    }

    [Test]
    public void TheTableIsAppendedToTheJobSummaryWhenGitHubNamesOne()
    {
        string summary = Path.Combine(_temporary, "summary.md");
        File.WriteAllText(summary, "earlier step\n");

        var (exitCode, output, _) = Run(
            name => name == GateCommand.StepSummaryVariable ? summary : null,
            "--gates", RecordedReports.GatesFile, "--reports", RecordedReports.Folder("three-launches"));

        Assert.That(exitCode, Is.EqualTo(GateCommand.Success));
        Assert.That(File.ReadAllText(summary), Is.EqualTo("earlier step\n" + output));
    }

    [Test]
    public void NoReportsIsAnInputError()
    {
        var (exitCode, _, error) = Run(NoEnvironment, "--gates", RecordedReports.GatesFile, "--reports", _temporary);

        Assert.That(exitCode, Is.EqualTo(GateCommand.InputError));
        Assert.That(error, Does.Contain("no BenchmarkDotNet JSON reports"));
    }

    [TestCase]
    [TestCase("--gates")]
    [TestCase("--reports", "x")]
    [TestCase("--gates", "g.json", "--bogus")]
    public void BadArgumentsAreAnInputError(params string[] args)
    {
        var (exitCode, _, error) = Run(NoEnvironment, args);

        Assert.That(exitCode, Is.EqualTo(GateCommand.InputError));
        Assert.That(error, Does.Contain("usage"));
    }

    [Test]
    public void PrintFiltersListsTheGatedBenchmarksForBenchmarkDotNet()
    {
        var (exitCode, output, _) = Run(NoEnvironment, "--gates", RecordedReports.GatesFile, "--print-filters");

        Assert.That(exitCode, Is.EqualTo(GateCommand.Success));
        Assert.That(output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), Is.EqualTo(new[]
        {
            "*.CallBenchmarks.CSharpDelegate", "*.CallBenchmarks.WasmTyped",
            "*.UdfPoolBenchmarks.ObjectPoolPlainObject", "*.UdfPoolBenchmarks.RentResetReturn",
        }));
    }
}
