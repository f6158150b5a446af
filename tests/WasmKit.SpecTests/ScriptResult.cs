namespace WasmKit.SpecTests;

/// <summary>What one script produced: assertion counts and the failures in script order.</summary>
internal sealed class ScriptResult(string file)
{
    public const int ReportedFailureLimit = 10;

    private readonly List<string> _failures = [];

    public string File { get; } = file;

    public int Passed { get; private set; }

    public int Failed { get; private set; }

    public int Skipped { get; private set; }

    /// <summary>Failure lines in script order, for assertions and for module/register/action commands.</summary>
    public IReadOnlyList<string> Failures => _failures;

    /// <summary>Set when the harness itself broke (conversion, unreadable JSON, timeout): the case fails regardless of the baseline.</summary>
    public string? HarnessError { get; set; }

    public void Pass() => Passed++;

    public void Skip() => Skipped++;

    public void Fail(int line, string description)
    {
        Failed++;
        _failures.Add($"line {line}: {description}");
    }

    /// <summary>
    /// Runs one assertion check of a binary command (text modules are skipped); the check returns null when
    /// it passed and the reason when it failed. A harness exception fails the assertion, never the run.
    /// </summary>
    public void Check(WastCommand command, Func<WastCommand, string?> check)
    {
        if (command.ModuleType == "text")
        {
            Skip();
            return;
        }
        string? failure;
        try
        {
            failure = check(command);
        }
        catch (UnsupportedCommandException e)
        {
            failure = "unsupported: " + e.Message;
        }
        catch (UnavailableTargetException e)
        {
            failure = e.Message;
        }
        catch (Exception e)
        {
            failure = "harness error: " + SpecScriptRunner.Describe(e);
        }
        if (failure is null) Pass();
        else Fail(command.Line, $"{command.Type} {SpecDescriptions.Subject(command)}: {failure}");
    }

    public string DescribeFailures()
    {
        var lines = _failures.Take(ReportedFailureLimit).ToList();
        if (_failures.Count > ReportedFailureLimit) lines.Add($"... and {_failures.Count - ReportedFailureLimit} more");
        return string.Join(Environment.NewLine, lines);
    }
}
