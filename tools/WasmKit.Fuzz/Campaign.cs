using System.Text;
using System.Text.Json;

namespace WasmKit.Fuzz;

/// <summary>
/// Runs seeds through the differential pipeline: random bytes → wasm-opt -ttf → exports wrapped to
/// take random arguments → binaryen's interpreter and WasmKit → normalized comparison; when the
/// outputs differ, both engines run the module again with arithmetic NaNs made canonical, which
/// must then agree bit for bit. Appends one <see cref="SeedResult"/> per seed
/// to results.jsonl and keeps every non-matching seed's files in seed-N/. Writes the seed it is
/// about to run to a progress file first, so scripts/fuzz.sh can record a process crash and resume.
/// </summary>
/// <param name="binaryen">Generates the modules (and is the oracle unless <paramref name="oracle"/> says otherwise).</param>
/// <param name="outputDirectory">Where results.jsonl and the seed-N/ folders go.</param>
/// <param name="wasmKitTimeout">How long one module may run in WasmKit (and in Wasmtime) before it counts as a hang.</param>
/// <param name="oracle">The engine WasmKit is compared with.</param>
public sealed class Campaign(Binaryen binaryen, string outputDirectory, TimeSpan wasmKitTimeout, FuzzOracle oracle = FuzzOracle.Binaryen)
{
    /// <summary>The results file in the output directory.</summary>
    public const string ResultsFileName = "results.jsonl";

    /// <summary>The file holding the seed in progress.</summary>
    public const string ProgressFileName = "progress";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        // Keeps the lines readable (`, <, >); the file is never embedded in HTML.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Where binaryen's and WasmKit's work for the seed in progress goes.</summary>
    private string WorkDirectory => Path.Combine(outputDirectory, "work");

    /// <summary>
    /// Runs <paramref name="count"/> seeds from <paramref name="start"/>. Returns false when WasmKit
    /// hung: its thread cannot be stopped, so the process should exit (fuzz.sh resumes after it).
    /// </summary>
    public bool Run(long start, long count, TextWriter log)
    {
        Directory.CreateDirectory(outputDirectory);
        using var results = new StreamWriter(Path.Combine(outputDirectory, ResultsFileName), append: true, Encoding.UTF8);
        for (long seed = start; seed < start + count; seed++)
        {
            File.WriteAllText(Path.Combine(outputDirectory, ProgressFileName), seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var result = RunSeed(seed);
            Append(results, result);
            if (result.Outcome != Outcomes.Match)
                log.WriteLine($"seed {seed}: {result.Outcome} {result.Category} {result.Detail}");
            if (result.Outcome == Outcomes.Hang) return false;
        }
        File.Delete(Path.Combine(outputDirectory, ProgressFileName));
        return true;
    }

    /// <summary>Appends a result line (also used by fuzz.sh to record a crashed process).</summary>
    public static void Append(TextWriter results, SeedResult result)
    {
        results.WriteLine(JsonSerializer.Serialize(result, JsonOptions));
        results.Flush();
    }

    /// <summary>Reads a results file; a seed run twice counts once, by its last line.</summary>
    public static IReadOnlyList<SeedResult> ReadResults(string outputDirectory)
    {
        var path = Path.Combine(outputDirectory, ResultsFileName);
        var bySeed = new SortedDictionary<long, SeedResult>();
        if (!File.Exists(path)) return [];
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            var result = JsonSerializer.Deserialize<SeedResult>(line, JsonOptions);
            if (result is not null) bySeed[result.Seed] = result;
        }
        return [.. bySeed.Values];
    }

    private SeedResult RunSeed(long seed)
    {
        string work = WorkDirectory;
        if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
        Directory.CreateDirectory(work);
        string input = Path.Combine(work, "input.dat");
        string module = Path.Combine(work, "module.wasm");
        File.WriteAllBytes(input, SeedBytes.Create(seed));

        // binaryen 108 writes an invalid module for most inputs when reference types are on; then
        // the same bytes are translated again without them.
        bool referenceTypes = true;
        var translated = binaryen.TranslateToFuzz(input, module, referenceTypes);
        if (translated.ExitCode == 0 && binaryen.Validate(module).ExitCode != 0)
        {
            referenceTypes = false;
            translated = binaryen.TranslateToFuzz(input, module, referenceTypes);
        }
        if (translated.ExitCode != 0 || !File.Exists(module))
            return Keep(seed, new SeedResult(seed, Outcomes.BinaryenFailure, "translate-to-fuzz", FirstLine(translated.Stderr)));
        var validation = binaryen.Validate(module);
        if (validation.ExitCode != 0)
            return Keep(seed, new SeedResult(seed, Outcomes.BinaryenFailure, "invalid-module", FirstLine(validation.Stderr)));

        // binaryen calls exports with zeros only; wrappers pass arguments drawn from the seed instead.
        File.Move(module, Path.Combine(WorkDirectory, "module.ttf.wasm"));
        File.WriteAllBytes(module, ExportArguments.Wrap(File.ReadAllBytes(Path.Combine(WorkDirectory, "module.ttf.wasm")), seed));
        var result = Compare(seed, module);
        return result.Outcome == Outcomes.Match ? result with { ReferenceTypes = referenceTypes } : Keep(seed, result with { ReferenceTypes = referenceTypes });
    }

    private SeedResult Compare(long seed, string module)
    {
        string work = WorkDirectory;

        var expected = RunOracle(module, OracleName + ".txt", out var binaryenFailure);
        if (expected is null)
            return new SeedResult(seed, Outcomes.BinaryenFailure, binaryenFailure!, "");

        var actual = RunWasmKit(module, "wasmkit.txt", out var wasmKitFailure);
        if (actual is null) return wasmKitFailure! with { Seed = seed };

        var comparison = CompareOutputs(expected, actual);
        if (comparison.Kind == ComparisonKind.Match) return new SeedResult(seed, Outcomes.Match, "", "");

        // Arithmetic must give a quiet NaN whatever its inputs; a signalling one is wrong whatever binaryen printed.
        if (comparison.SignallingNaNFromWasmKit)
            return Mismatch(seed, MismatchCategories.UnexplainedPrefix + MismatchCategories.SignallingNaN, comparison);

        // With every arithmetic NaN made canonical, nothing is left to chance: the outputs must be identical.
        string canonicalModule = Path.Combine(work, "module.canonical.wasm");
        File.WriteAllBytes(canonicalModule, NaNCanonicalizer.Canonicalize(File.ReadAllBytes(module)));
        var canonicalExpected = RunOracle(canonicalModule, OracleName + ".canonical.txt", out var canonicalFailure);
        if (canonicalExpected is null) return new SeedResult(seed, Outcomes.BinaryenFailure, "canonical-" + canonicalFailure, "");
        var canonicalActual = RunWasmKit(canonicalModule, "wasmkit.canonical.txt", out var canonicalCrash);
        if (canonicalActual is null) return canonicalCrash! with { Seed = seed };
        var exact = CompareOutputs(canonicalExpected, canonicalActual);
        if (exact.Kind != ComparisonKind.Match)
            return Mismatch(seed, MismatchCategories.UnexplainedPrefix + exact.Shape, exact);

        return Mismatch(seed, comparison.Kind == ComparisonKind.NaNBitsOnly ? MismatchCategories.NaNBits : MismatchCategories.NaNBitsPropagated, comparison);
    }

    private string OracleName => oracle == FuzzOracle.Wasmtime ? "wasmtime" : "binaryen";

    // Wasmtime cannot name the function a funcref points to; both sides then print non-null funcrefs alike.
    private OutputComparison CompareOutputs(string expected, string actual) => oracle == FuzzOracle.Wasmtime
        ? OutputComparison.Compare(WasmtimeFuzzExecRunner.ForgetFunctionNames(expected), WasmtimeFuzzExecRunner.ForgetFunctionNames(actual))
        : OutputComparison.Compare(expected, actual);

    private string? RunOracle(string module, string outputName, out string? failure) =>
        oracle == FuzzOracle.Wasmtime ? RunWasmtime(module, outputName, out failure) : RunBinaryen(module, outputName, out failure);

    // Skipped like a binaryen failure when Wasmtime rejects the module, throws something other than a trap or runs too long.
    private string? RunWasmtime(string module, string outputName, out string? failure)
    {
        byte[] wasm = File.ReadAllBytes(module);
        FuzzExecResult? result = null;
        Exception? unsupported = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = WasmtimeFuzzExecRunner.Run(wasm);
            }
            catch (UnsupportedModuleException ex)
            {
                unsupported = ex;
            }
        }, maxStackSize: 16 * 1024 * 1024)
        { IsBackground = true, Name = "wasmtime-fuzz" };
        thread.Start();
        string path = Path.Combine(WorkDirectory, outputName);
        if (!thread.Join(wasmKitTimeout))
        {
            File.WriteAllText(path, $"--- wasmtime did not finish after {wasmKitTimeout.TotalSeconds} s\n");
            failure = "wasmtime-timeout";
            return null;
        }
        if (unsupported is not null)
        {
            File.WriteAllText(path, $"--- unsupported: {unsupported.Message}\n");
            failure = "wasmtime-unsupported";
            return null;
        }
        File.WriteAllText(path, result!.Output + (result.Crash is null ? "" : $"--- error\n{result.Crash}\n"));
        failure = result.Crash is null ? null : "wasmtime-" + result.Crash.GetType().Name;
        return failure is null ? result.Output : null;
    }

    private string? RunBinaryen(string module, string outputName, out string? failure)
    {
        var run = binaryen.FuzzExec(module);
        File.WriteAllText(Path.Combine(WorkDirectory, outputName), run.Stdout + (run.Stderr.Length > 0 ? "\n--- stderr\n" + run.Stderr : ""));
        failure = run.TimedOut ? "fuzz-exec-timeout"
            : run.ExitCode != 0 ? $"fuzz-exec-exit-{run.ExitCode}"
            // An interpreter limit, not behaviour: binaryen itself does not compare such runs.
            : run.Stdout.Contains("[host limit", StringComparison.Ordinal) ? "host-limit"
            : null;
        return failure is null ? run.Stdout : null;
    }

    private string? RunWasmKit(string module, string outputName, out SeedResult? failure)
    {
        byte[] wasm = File.ReadAllBytes(module);
        FuzzExecResult? result = null;
        Exception? unsupported = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = FuzzExecRunner.Run(wasm);
            }
            catch (UnsupportedModuleException ex)
            {
                unsupported = ex;
            }
        }, maxStackSize: 16 * 1024 * 1024)
        { IsBackground = true, Name = "wasmkit-fuzz" };
        thread.Start();
        string path = Path.Combine(WorkDirectory, outputName);
        if (!thread.Join(wasmKitTimeout))
        {
            File.WriteAllText(path, $"--- hang: not finished after {wasmKitTimeout.TotalSeconds} s\n");
            failure = new SeedResult(0, Outcomes.Hang, "timeout", $"not finished after {wasmKitTimeout.TotalSeconds} s");
            return null;
        }
        if (unsupported is not null)
        {
            File.WriteAllText(path, $"--- unsupported: {unsupported.Message}\n");
            failure = new SeedResult(0, Outcomes.Unsupported, "import", unsupported.Message);
            return null;
        }
        File.WriteAllText(path, result!.Output + (result.Crash is null ? "" : $"--- crash\n{result.Crash}\n"));
        if (result.Crash is { } crash)
        {
            failure = new SeedResult(0, Outcomes.Crash, crash.GetType().Name, FirstLine(crash.Message));
            return null;
        }
        failure = null;
        return result.Output;
    }

    private SeedResult Mismatch(long seed, string category, OutputComparison comparison) =>
        new(seed, Outcomes.Mismatch, category, $"line {comparison.LineNumber}: {OracleName} `{comparison.Expected}` wasmkit `{comparison.Actual}`");

    /// <summary>Moves the seed's files to seed-N/ for inspection.</summary>
    private SeedResult Keep(long seed, SeedResult result)
    {
        string target = Path.Combine(outputDirectory, $"seed-{seed}");
        if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
        if (result.Outcome == Outcomes.Hang)
        {
            // The hung thread still reads nothing from work/, but copy rather than move to be safe.
            Directory.CreateDirectory(target);
            foreach (var file in Directory.GetFiles(WorkDirectory)) File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }
        else
        {
            Directory.Move(WorkDirectory, target);
        }
        File.WriteAllText(Path.Combine(target, "verdict.txt"), $"{result.Outcome} {result.Category}\n{result.Detail}\n");
        return result;
    }

    private static string FirstLine(string text)
    {
        string trimmed = text.Trim();
        int newline = trimmed.IndexOf('\n');
        return newline < 0 ? trimmed : trimmed[..newline];
    }
}
