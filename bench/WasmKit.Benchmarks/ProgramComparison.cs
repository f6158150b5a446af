using System.Diagnostics;
using System.Text.Json;
using WasmKit.Wasi;

namespace WasmKit.Benchmarks;

/// <summary>
/// Runs the CPU-bound WASI programs of fixtures/programs under WasmKit and under Node's V8 in one
/// go and prints each program's time ratio and the geometric mean, as a Markdown table:
/// <c>dotnet run -c Release --project bench/WasmKit.Benchmarks -- programs [--runs N] [NAME...]</c>.
/// These programs run for a second or so each, far too long for BenchmarkDotNet's iteration scheme,
/// so this is a plain harness: each program is compiled once, run once to warm up (the JIT compiles
/// on first call, as V8's tiers do), then run N times with a fresh instance; the median wins. Every
/// run's stdout and exit code are checked against fixtures/programs/expected.
/// </summary>
internal static class ProgramComparison
{
    public static int Run(string[] args)
    {
        int runs = 5;
        var names = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--runs" && i + 1 < args.Length) runs = int.Parse(args[++i]);
            else names.Add(args[i]);
        }
        string programs = Path.Combine(Fixtures.Root, "programs");
        if (names.Count == 0)
        {
            names = Directory.GetFiles(Path.Combine(programs, "expected"), "*.json")
                .Where(f => JsonDocument.Parse(File.ReadAllText(f)).RootElement.GetProperty("category").GetString() == "cpu")
                .Select(f => Path.GetFileNameWithoutExtension(f)).Order().ToList();
        }

        var wasmKit = names.ToDictionary(n => n, n => TimeUnderWasmKit(programs, n, runs));
        var v8 = TimeUnderNode(programs, names, runs);

        Console.WriteLine($"| Program | WasmKit median (ms) | V8 median (ms) | WasmKit / V8 | WasmKit CPU (ms) | V8 CPU (ms) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        double logSum = 0;
        double cpuLogSum = 0;
        foreach (var name in names)
        {
            var (ms, cpu) = wasmKit[name];
            var (nodeMs, nodeCpu) = v8[name];
            logSum += Math.Log(ms / nodeMs);
            cpuLogSum += Math.Log(cpu / nodeCpu);
            Console.WriteLine($"| {name} | {ms:F0} | {nodeMs:F0} | {ms / nodeMs:F2} | {cpu:F0} | {nodeCpu:F0} |");
        }
        Console.WriteLine($"| **geometric mean** | | | **{Math.Exp(logSum / names.Count):F2}** | | CPU ratio {Math.Exp(cpuLogSum / names.Count):F2} |");
        return 0;
    }

    private static (double Milliseconds, double CpuMilliseconds) TimeUnderWasmKit(string programs, string name, int runs)
    {
        using var spec = JsonDocument.Parse(File.ReadAllText(Path.Combine(programs, "expected", name + ".json")));
        var root = spec.RootElement;
        string expected = root.GetProperty("stdout").GetString()!;
        var engine = new Engine();
        var module = Module.FromFile(engine, Path.Combine(programs, "wasm", name + ".wasm"));
        var wall = new List<double>();
        var cpu = new List<double>();
        var process = Process.GetCurrentProcess();
        for (int i = -1; i < runs; i++)
        {
            var configuration = new WasiConfiguration();
            foreach (var argument in root.GetProperty("args").EnumerateArray()) configuration.Arguments.Add(argument.GetString()!);
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var result = WasiProgram.Run(engine, module, configuration);
            clock.Stop();
            process.Refresh();
            if (result.ExitCode != root.GetProperty("exitCode").GetInt32() || result.Stdout != expected)
                throw new InvalidOperationException($"{name}: unexpected output under WasmKit (exit code {result.ExitCode}).");
            if (i < 0) continue; // the warm-up run
            wall.Add(clock.Elapsed.TotalMilliseconds);
            cpu.Add((process.TotalProcessorTime - cpuBefore).TotalMilliseconds);
        }
        Console.Error.WriteLine($"WasmKit {name}: {string.Join(", ", wall.Select(w => w.ToString("F0")))} ms");
        return (Median(wall), Median(cpu));
    }

    private static Dictionary<string, (double Milliseconds, double CpuMilliseconds)> TimeUnderNode(string programs, List<string> names, int runs)
    {
        var start = new ProcessStartInfo("node", [Path.Combine(programs, "time-node.mjs"), "--json", "--runs", runs.ToString(), .. names])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var node = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        string output = node.StandardOutput.ReadToEnd();
        node.WaitForExit();
        if (node.ExitCode != 0) throw new InvalidOperationException($"time-node.mjs failed: {node.StandardError.ReadToEnd()}");
        using var json = JsonDocument.Parse(output);
        return json.RootElement.GetProperty("results").EnumerateArray().ToDictionary(
            r => r.GetProperty("name").GetString()!,
            r => (r.GetProperty("medianMs").GetDouble(), r.GetProperty("medianCpuMs").GetDouble()));
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
