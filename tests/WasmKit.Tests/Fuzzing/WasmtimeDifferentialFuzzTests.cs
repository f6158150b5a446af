using System.Text.Json;

namespace WasmKit.Tests.Fuzzing;

/// <summary>
/// The differential fuzzer with Wasmtime as the oracle (scripts/fuzz.sh with FUZZ_ORACLE=wasmtime): binaryen's
/// translate-to-fuzz modules with the seed's random arguments, run by Wasmtime and by WasmKit, compared by the
/// spec's rules (NaN bits only where the spec leaves them open, traps by kind). 300 fixed seeds; a failure keeps
/// its files in artifacts/fuzz-test-wasmtime/.
/// </summary>
public class WasmtimeDifferentialFuzzTests
{
    private const int SeedCount = 300;
    private const int FirstSeed = 1;

    [Test]
    public void WasmKitAgreesWithWasmtimeOnFuzzedModules()
    {
        foreach (var tool in new[] { "wasm-opt", "wasm-validate" })
        {
            if (!DifferentialFuzzTests.CanRun(tool)) Assert.Ignore($"{tool} is missing; scripts/install-tools.sh installs binaryen and wabt.");
        }

        string root = DifferentialFuzzTests.RepositoryRoot();
        string output = Path.Combine(root, "artifacts", "fuzz-test-wasmtime");
        if (Directory.Exists(output)) Directory.Delete(output, recursive: true);

        var (exitCode, log) = DifferentialFuzzTests.Run("bash",
            [Path.Combine(root, "scripts", "fuzz.sh"), SeedCount.ToString(), FirstSeed.ToString(), output], root,
            new Dictionary<string, string> { ["FUZZ_ORACLE"] = "wasmtime" });
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
            // Skipped seeds are ones binaryen could not generate or Wasmtime refused; most must be compared.
            Assert.That(Count("compared"), Is.GreaterThanOrEqualTo(SeedCount * 9 / 10), "too few seeds compared:\n" + details);
        });
        Assert.That(exitCode, Is.Zero, details);
    }
}
