using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

namespace WasmKit.Benchmarks;

/// <summary>
/// dotnet run -c Release --project bench/WasmKit.Benchmarks -- --filter '*'
/// Without a --job option every benchmark runs a modest job (1 launch, 3 warm-up and 10 measured
/// iterations) so the suite fits in a few minutes on 2 cores. Any BenchmarkDotNet job option
/// replaces it: --job dry (smoke test, one invocation each), --job short, --job default, ...
/// `-- programs [--runs N]` instead times the WASI programs under WasmKit and V8 (see ProgramComparison).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "programs") return ProgramComparison.Run(args[1..]);
        if (args.Length > 0 && args[0] == "program-child") return ProgramComparisonChild.Run(args[1..]);
        bool jobChosen = args.Any(a => a is "--job" or "-j" || a.StartsWith("--job=", StringComparison.Ordinal));
        IConfig config = DefaultConfig.Instance;
        if (!jobChosen)
        {
            config = config.AddJob(Job.Default
                .WithLaunchCount(1)
                .WithWarmupCount(3)
                .WithIterationCount(10)
                .WithId("Modest"));
        }
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
        // A benchmark that failed to build or run leaves a hole in the reports: say so in the exit code
        // so scripts (scripts/bench-gate.sh) stop instead of reading partial results.
        bool failed = summaries.Any(summary => summary.HasCriticalValidationErrors || summary.Reports.Any(report => !report.Success));
        if (failed) Console.Error.WriteLine("BenchmarkDotNet reported failures (see the log above); exit code 1.");
        return failed ? 1 : 0;
    }
}
