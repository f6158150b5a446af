using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using WasmKit.Wasi;
using Wt = global::Wasmtime;

namespace WasmKit.Benchmarks;

/// <summary>
/// The child process of <see cref="ProgramComparison"/>: <c>program-child RUNTIME NAME RUNS</c> compiles one
/// program of fixtures/programs under RUNTIME (<c>automatic</c>, <c>tiered</c>, <c>collectible</c>: the managed engine's
/// <see cref="CodeTiering"/>, each optionally with <c>-ahead</c> or <c>-background</c>, its <see cref="MachineCodeCompilation"/>;
/// <c>wasmtime</c>: Wasmtime's own API and WASI), runs it once, then RUNS more
/// times with a fresh instance each, checks every run's output, and prints its figures as JSON.
/// </summary>
internal static class ProgramComparisonChild
{
    public static int Run(string[] args)
    {
        string runtime = args[0];
        string name = args[1];
        int runs = int.Parse(args[2], CultureInfo.InvariantCulture);
        string programs = Path.Combine(Fixtures.Root, "programs");
        using var spec = JsonDocument.Parse(File.ReadAllText(Path.Combine(programs, "expected", name + ".json")));
        var root = spec.RootElement;
        var arguments = root.GetProperty("args").EnumerateArray().Select(a => a.GetString()!).ToArray();
        string expected = root.GetProperty("stdout").GetString()!;
        int expectedExit = root.GetProperty("exitCode").GetInt32();
        byte[] bytes = File.ReadAllBytes(Path.Combine(programs, "wasm", name + ".wasm"));

        var load = Stopwatch.StartNew();
        Func<(int ExitCode, string Stdout)> runOnce = runtime == "wasmtime"
            ? WasmtimeProgram(bytes, arguments)
            : ManagedProgram(bytes, arguments, ParseManagedRuntime(runtime));
        load.Stop();
        var times = new List<double>();
        for (int i = 0; i <= runs; i++)
        {
            var clock = Stopwatch.StartNew();
            var (exitCode, stdout) = runOnce();
            clock.Stop();
            if (exitCode != expectedExit || stdout != expected)
                throw new InvalidOperationException($"{name}: unexpected output under {runtime} (exit code {exitCode}).");
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        var later = times.Skip(1).Order().ToList();
        double steady = later.Count == 0 ? double.NaN : later.Count % 2 == 1 ? later[later.Count / 2] : (later[later.Count / 2 - 1] + later[later.Count / 2]) / 2;
        Console.WriteLine(FormattableString.Invariant($"{{\"loadMs\": {load.Elapsed.TotalMilliseconds:F2}, \"firstMs\": {times[0]:F2}, \"steadyMs\": {(double.IsNaN(steady) ? 0 : steady):F2}}}"));
        return 0;
    }

    /// <summary>
    /// The managed engine's options for a runtime name: a <see cref="CodeTiering"/> (<c>automatic</c>, <c>tiered</c>, <c>collectible</c>),
    /// optionally followed by a <see cref="MachineCodeCompilation"/> other than the default (<c>-ahead</c>, <c>-background</c>).
    /// </summary>
    private static EngineOptions ParseManagedRuntime(string runtime)
    {
        var parts = runtime.Split('-');
        var tiering = parts[0] switch
        {
            "automatic" => CodeTiering.Automatic,
            "tiered" => CodeTiering.Tiered,
            "collectible" => CodeTiering.Collectible,
            _ => throw new ArgumentException($"unknown runtime {runtime}"),
        };
        var machineCode = parts.Length == 1 ? MachineCodeCompilation.OnFirstCall : parts.Length == 2 ? parts[1] switch
        {
            "ahead" => MachineCodeCompilation.Ahead,
            "background" => MachineCodeCompilation.Background,
            _ => throw new ArgumentException($"unknown runtime {runtime}"),
        } : throw new ArgumentException($"unknown runtime {runtime}");
        return new EngineOptions { CodeTiering = tiering, MachineCode = machineCode };
    }

    private static Func<(int, string)> ManagedProgram(byte[] bytes, string[] arguments, EngineOptions options)
    {
        var engine = new Engine(options);
        var module = Module.FromBytes(engine, bytes);
        return () =>
        {
            var configuration = new WasiConfiguration();
            foreach (var argument in arguments) configuration.Arguments.Add(argument);
            var result = WasiProgram.Run(engine, module, configuration);
            return (result.ExitCode, result.Stdout ?? "");
        };
    }

    private static Func<(int, string)> WasmtimeProgram(byte[] bytes, string[] arguments)
    {
        // Engine, module and linker live until this child process exits, a moment after the last run.
        var engine = new Wt.Engine();
        var module = Wt.Module.FromBytes(engine, "program", bytes);
        var linker = new Wt.Linker(engine);
        linker.DefineWasi();
        return () =>
        {
            var output = new MemoryStream();
            using var store = new Wt.Store(engine);
            store.SetWasiConfiguration(new Wt.WasiConfiguration().WithArgs(arguments).WithStandardOutputCallback(bytes => output.Write(bytes)));
            var instance = linker.Instantiate(store, module);
            int exitCode = 0;
            try
            {
                instance.GetAction("_start")!();
            }
            catch (Wt.WasmtimeException error) when (error.ExitCode is int code)
            {
                exitCode = code;
            }
            return (exitCode, Encoding.UTF8.GetString(output.ToArray()));
        };
    }
}
