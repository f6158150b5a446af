using System.Diagnostics;
using System.Text.Json;

namespace WasmKit.Tests.Fuzzing;

/// <summary>
/// Runs 300 seeds of the differential fuzzer (scripts/fuzz.sh: binaryen's translate-to-fuzz
/// modules, run by binaryen's interpreter and by WasmKit, outputs compared). WasmKit must never
/// crash or hang, and every difference must fall in a category tools/WasmKit.Fuzz/README.md
/// explains. The seeds are fixed, so a failure reproduces; its files stay in artifacts/fuzz-test/.
/// </summary>
public class DifferentialFuzzTests
{
    private const int SeedCount = 300;
    private const int FirstSeed = 1;

    /// <summary>A guard against hangs only: the build and the run normally take well under a minute each.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(8);

    [Test]
    public void WasmKitAgreesWithBinaryenOnFuzzedModules() => RunCampaign("fuzz-test", oracle: null);

    /// <summary>
    /// Runs scripts/fuzz.sh over the fixed seeds against <paramref name="oracle"/> (binaryen's interpreter when
    /// null) and asserts no crash, no hang, no unexplained mismatch and that most seeds were compared.
    /// </summary>
    /// <param name="outputName">The folder under artifacts/ that keeps each seed's files.</param>
    /// <param name="oracle">The FUZZ_ORACLE value, or null for the default.</param>
    internal static void RunCampaign(string outputName, string? oracle)
    {
        foreach (var tool in new[] { "wasm-opt", "wasm-validate" })
        {
            if (!CanRun(tool)) Assert.Ignore($"{tool} is missing; scripts/install-tools.sh installs binaryen and wabt.");
        }

        string root = RepositoryRoot();
        string output = Path.Combine(root, "artifacts", outputName);
        if (Directory.Exists(output)) Directory.Delete(output, recursive: true);

        var environment = oracle is null ? null : new Dictionary<string, string> { ["FUZZ_ORACLE"] = oracle };
        var (exitCode, log) = Run("bash", [Path.Combine(root, "scripts", "fuzz.sh"), SeedCount.ToString(), FirstSeed.ToString(), output], root, environment);
        string summaryPath = Path.Combine(output, "summary.json");
        Assert.That(File.Exists(summaryPath), Is.True, $"fuzz.sh wrote no summary (exit {exitCode}):\n{log}");

        using var summary = JsonDocument.Parse(File.ReadAllText(summaryPath));
        int Count(string name) => summary.RootElement.GetProperty(name).GetInt32();
        string details = $"{log}\nSee {output}/seed-N/ for each seed's module and outputs.";

        Assert.Multiple(() =>
        {
            Assert.That(Count("generated"), Is.EqualTo(SeedCount), details);
            Assert.That(Count("crashes"), Is.Zero, "WasmKit crashed:\n" + details);
            Assert.That(Count("hangs"), Is.Zero, "WasmKit hung:\n" + details);
            Assert.That(Count("unexplainedMismatches"), Is.Zero, "unexplained mismatches:\n" + details);
            // Skipped seeds are ones binaryen could not generate or the oracle refused; if most were skipped the test would prove little.
            Assert.That(Count("compared"), Is.GreaterThanOrEqualTo(SeedCount * 9 / 10), "too few seeds compared:\n" + details);
        });
        Assert.That(exitCode, Is.Zero, details);
    }

    internal static bool CanRun(string tool)
    {
        try
        {
            return Run(tool, ["--version"], Environment.CurrentDirectory).ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    internal static (int ExitCode, string Output) Run(string program, string[] arguments, string workingDirectory,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(HangGuard))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{program} {string.Join(' ', arguments)} took over {HangGuard.TotalMinutes} minutes:\n{stdout.Result}{stderr.Result}");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WasmKit.sln"))) return dir.FullName;
        }
        Assert.Ignore("The repository (WasmKit.sln) is not above the test directory.");
        return "";
    }
}
