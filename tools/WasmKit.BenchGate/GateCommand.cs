namespace WasmKit.BenchGate;

/// <summary>
/// The command line. <c>--gates FILE --reports DIR</c> checks the reports and prints the table (also appended to
/// the file named by <c>GITHUB_STEP_SUMMARY</c> when set); <c>--gates FILE --print-filters</c> prints the
/// BenchmarkDotNet filters for the gated benchmarks, one per line.
/// Exit codes: 0 every gate passed, 1 a gate exceeded its threshold or is missing, 2 bad arguments or input.
/// </summary>
public static class GateCommand
{
    /// <summary>Every gate passed (or the filters were printed).</summary>
    public const int Success = 0;

    /// <summary>At least one gate exceeded its threshold or could not be checked.</summary>
    public const int GateFailed = 1;

    /// <summary>The arguments, the gate file or the reports could not be used.</summary>
    public const int InputError = 2;

    /// <summary>The environment variable GitHub Actions sets to the job summary file.</summary>
    public const string StepSummaryVariable = "GITHUB_STEP_SUMMARY";

    private const string Usage =
        "usage: WasmKit.BenchGate --gates bench/gates.json --reports DIR\n" +
        "       WasmKit.BenchGate --gates bench/gates.json --print-filters";

    /// <summary>Runs the command; <paramref name="environment"/> looks up environment variables.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error, Func<string, string?> environment)
    {
        string? gatesPath = null, reportsPath = null;
        bool printFilters = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--gates" when i + 1 < args.Length: gatesPath = args[++i]; break;
                case "--reports" when i + 1 < args.Length: reportsPath = args[++i]; break;
                case "--print-filters": printFilters = true; break;
                default:
                    error.WriteLine($"bench-gate: unknown or incomplete argument '{args[i]}'");
                    error.WriteLine(Usage);
                    return InputError;
            }
        }
        if (gatesPath is null || (reportsPath is null) == !printFilters)
        {
            error.WriteLine(Usage);
            return InputError;
        }

        try
        {
            var gates = GateFile.Load(gatesPath);
            if (printFilters)
            {
                foreach (string filter in GateFile.Filters(gates)) output.WriteLine(filter);
                return Success;
            }

            var runs = ReportReader.ReadDirectory(reportsPath!);
            if (runs.Count == 0)
            {
                error.WriteLine($"bench-gate: no BenchmarkDotNet JSON reports (*-report*.json) under {reportsPath}");
                return InputError;
            }
            var results = GateEvaluator.Evaluate(gates, runs);
            string report = MarkdownReport.Render(results, runs.Count, runs.Select(run => run.Host).OfType<string>());
            output.Write(report);
            if (environment(StepSummaryVariable) is string summaryPath && !string.IsNullOrWhiteSpace(summaryPath))
                File.AppendAllText(summaryPath, report);
            return results.All(result => result.Passed) ? Success : GateFailed;
        }
        catch (GateInputException e)
        {
            error.WriteLine($"bench-gate: {e.Message}");
            return InputError;
        }
        catch (IOException e)
        {
            error.WriteLine($"bench-gate: {e.Message}");
            return InputError;
        }
    }
}
