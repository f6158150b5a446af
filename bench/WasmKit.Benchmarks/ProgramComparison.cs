using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace WasmKit.Benchmarks;

/// <summary>
/// Times the CPU-bound WASI programs of fixtures/programs under WasmKit (in each <see cref="CodeTiering"/>),
/// Wasmtime and Node's V8, and prints four Markdown tables: whole process, load, first run, steady state:
/// <c>dotnet run -c Release --project bench/WasmKit.Benchmarks -- programs [--runs N] [--large] [--runtimes A,B,...] [NAME...]</c>
/// (<c>--large</c>: only the large real programs, those whose spec says <c>"large": true</c>; <c>--runtimes</c>: the columns,
/// names as <see cref="ProgramComparisonChild"/> takes them plus <c>v8</c>, e.g. <c>tiered,collectible-ahead,collectible-background,wasmtime</c>;
/// Wasmtime is always added, as the ratios are against it).
/// Each program and runtime gets a fresh process (<see cref="ProgramComparisonChild"/> for .NET, time-node.mjs for V8), so
/// the first run pays every JIT or compiler cost as a new host would. In that process: compile ("load"),
/// then the first instantiate + <c>_start</c> ("first run"), then N more with fresh instances ("steady", the
/// median). Whole process is the child's wall time from spawn to exit with one run. These programs run for
/// a second or so, far too long for BenchmarkDotNet's iteration scheme, so this is a plain harness; every
/// run's stdout and exit code are checked against fixtures/programs/expected.
/// </summary>
internal static class ProgramComparison
{
    /// <summary>The runtimes compared by default, as <see cref="ProgramComparisonChild"/> names them, then V8.</summary>
    private static readonly string[] DefaultDotnetRuntimes = ["automatic", "tiered", "collectible", "wasmtime"];

    public static int Run(string[] args)
    {
        int runs = 3;
        bool onlyLarge = false;
        string[] runtimes = [.. DefaultDotnetRuntimes, "v8"];
        var names = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--runs" && i + 1 < args.Length) runs = int.Parse(args[++i], CultureInfo.InvariantCulture);
            else if (args[i] == "--large") onlyLarge = true;
            else if (args[i] == "--runtimes" && i + 1 < args.Length) runtimes = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            else names.Add(args[i]);
        }
        string programs = Path.Combine(Fixtures.Root, "programs");
        var specs = Directory.GetFiles(Path.Combine(programs, "expected"), "*.json")
            .ToDictionary(f => Path.GetFileNameWithoutExtension(f), f => ReadSpecKind(f));
        if (names.Count == 0)
        {
            names = specs.Where(s => s.Value.IsCpu && (s.Value.IsLarge || !onlyLarge)).Select(s => s.Key).Order(StringComparer.Ordinal).ToList();
        }
        var large = names.Where(n => specs.TryGetValue(n, out var kind) && kind.IsLarge).ToList();

        // Ratios are against Wasmtime, so it is always measured.
        var columns = runtimes.Contains("wasmtime") ? runtimes : ["wasmtime", .. runtimes];
        var dotnetRuntimes = columns.Where(c => c != "v8").ToArray();
        var figures = new Dictionary<(string Program, string Runtime), ProgramFigures>();
        foreach (var name in names)
        {
            // Interleaved per program, so load drifting over the run hits every runtime alike.
            foreach (var runtime in dotnetRuntimes) figures[(name, runtime)] = RunDotnetChild(name, runtime, runs);
            if (columns.Contains("v8")) figures[(name, "v8")] = RunNode(programs, name, runs);
            Console.Error.WriteLine($"{name}: " + string.Join(", ", columns.Select(c => $"{c} {figures[(name, c)]}")));
        }

        PrintTable("Whole process (spawn to exit, compile + one run), ms", names, large, columns, figures, f => f.WholeProcessMs);
        PrintTable("Load (decode, validate, compile; V8 is not split out), ms", names, large, columns, figures, f => f.LoadMs);
        PrintTable("First run (instantiate + `_start`, after compile), ms", names, large, columns, figures, f => f.FirstRunMs);
        PrintTable($"Steady state (median of {runs} later runs, fresh instance each), ms", names, large, columns, figures, f => f.SteadyMs);
        return 0;
    }

    /// <summary>Reads what the runner needs from a spec: its category, and whether it is one of the large real programs.</summary>
    private static (bool IsCpu, bool IsLarge) ReadSpecKind(string specPath)
    {
        using var spec = JsonDocument.Parse(File.ReadAllText(specPath));
        var root = spec.RootElement;
        bool isLarge = root.TryGetProperty("large", out var large) && large.ValueKind == JsonValueKind.True;
        return (root.GetProperty("category").GetString() == "cpu", isLarge);
    }

    private static void PrintTable(string title, List<string> names, List<string> large, string[] columns, Dictionary<(string, string), ProgramFigures> figures, Func<ProgramFigures, double> pick)
    {
        Console.WriteLine();
        Console.WriteLine($"**{title}**; ratios against Wasmtime");
        Console.WriteLine();
        Console.WriteLine("| Program | " + string.Join(" | ", columns) + " | " + string.Join(" | ", columns.Where(c => c != "wasmtime").Select(c => c + " / wasmtime")) + " |");
        Console.WriteLine("|---|" + string.Concat(Enumerable.Repeat("---:|", columns.Length * 2 - 1)));
        foreach (var name in names)
        {
            double wasmtime = pick(figures[(name, "wasmtime")]);
            var cells = columns.Select(c => Format(pick(figures[(name, c)]), "F0"));
            var ratios = columns.Where(c => c != "wasmtime").Select(c => Format(pick(figures[(name, c)]) / wasmtime, "F2"));
            Console.WriteLine($"| {(large.Contains(name) ? name + " (large)" : name)} | {string.Join(" | ", cells)} | {string.Join(" | ", ratios)} |");
        }
        PrintGeometricMean("geometric mean", names, columns, figures, pick);
        // The issue's goals are stated for the large real programs: give them their own mean.
        if (large.Count > 0 && large.Count < names.Count) PrintGeometricMean("geometric mean, large programs", large, columns, figures, pick);
    }

    private static void PrintGeometricMean(string label, List<string> names, string[] columns, Dictionary<(string, string), ProgramFigures> figures, Func<ProgramFigures, double> pick)
    {
        var means = columns.Where(c => c != "wasmtime").Select(c =>
        {
            double logSum = names.Sum(n => Math.Log(pick(figures[(n, c)]) / pick(figures[(n, "wasmtime")])));
            return $"**{Format(Math.Exp(logSum / names.Count), "F2")}**";
        });
        Console.WriteLine($"| **{label}** |{string.Concat(Enumerable.Repeat(" |", columns.Length))} {string.Join(" | ", means)} |");
    }

    /// <summary>A figure for a table; a dash where the runtime does not report it.</summary>
    private static string Format(double value, string format) => double.IsNaN(value) ? "–" : value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>Runs one program in a child process of this benchmark executable and reads the figures it prints.</summary>
    private static ProgramFigures RunDotnetChild(string name, string runtime, int runs)
    {
        // Whole process: a child that compiles and runs once, nothing else.
        var whole = Stopwatch.StartNew();
        RunChild(["program-child", runtime, name, "0"]);
        whole.Stop();
        var (loadMs, firstMs, steadyMs) = ParseChildFigures(RunChild(["program-child", runtime, name, runs.ToString(CultureInfo.InvariantCulture)]));
        return new ProgramFigures(whole.Elapsed.TotalMilliseconds, loadMs, firstMs, steadyMs);
    }

    private static string RunChild(string[] arguments)
    {
        string host = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true };
        // Under `dotnet bench.dll` the process is dotnet and the program is this assembly.
        if (Path.GetFileNameWithoutExtension(host) == "dotnet") start.ArgumentList.Add(typeof(ProgramComparison).Assembly.Location);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var child = Process.Start(start) ?? throw new InvalidOperationException("the child did not start");
        var errors = child.StandardError.ReadToEndAsync();
        string output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        if (child.ExitCode != 0) throw new InvalidOperationException($"{string.Join(' ', arguments)} failed: {errors.Result}");
        return output;
    }

    private static (double LoadMs, double FirstMs, double SteadyMs) ParseChildFigures(string output)
    {
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        return (root.GetProperty("loadMs").GetDouble(), root.GetProperty("firstMs").GetDouble(), root.GetProperty("steadyMs").GetDouble());
    }

    private static ProgramFigures RunNode(string programs, string name, int runs)
    {
        var whole = Stopwatch.StartNew();
        RunNodeScript(programs, ["--runs", "1", "--no-warmup", name]);
        whole.Stop();
        using var json = JsonDocument.Parse(RunNodeScript(programs, ["--json", "--runs", runs.ToString(CultureInfo.InvariantCulture), name]));
        var row = json.RootElement.GetProperty("results")[0];
        return new ProgramFigures(whole.Elapsed.TotalMilliseconds, double.NaN, row.GetProperty("firstMs").GetDouble(), row.GetProperty("medianMs").GetDouble());
    }

    private static string RunNodeScript(string programs, string[] arguments)
    {
        var start = new ProcessStartInfo("node", [Path.Combine(programs, "time-node.mjs"), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var node = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var errors = node.StandardError.ReadToEndAsync();
        string output = node.StandardOutput.ReadToEnd();
        node.WaitForExit();
        if (node.ExitCode != 0) throw new InvalidOperationException($"time-node.mjs failed: {errors.Result}");
        return output;
    }

    /// <summary>One program's figures under one runtime, in milliseconds.</summary>
    private sealed record ProgramFigures(double WholeProcessMs, double LoadMs, double FirstRunMs, double SteadyMs)
    {
        public override string ToString() =>
            FormattableString.Invariant($"whole {WholeProcessMs:F0} load {LoadMs:F0} first {FirstRunMs:F0} steady {SteadyMs:F0}");
    }
}
