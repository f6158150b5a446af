using System.Diagnostics;
using System.Text;
using WasmKit.BinaryFormat;

namespace WasmKit.Tests.BinaryFormat;

/// <summary>
/// Feeds deterministic mutants of real modules (the embedded samples, the repository's fixtures and the spec suite's
/// modules when the suite is found) to the decoder: each must decode or raise <see cref="WasmFormatException"/>.
/// Mutants that also validate are instantiated (function imports satisfied by stubs that return zeros; mutants
/// importing anything else are skipped) and every exported function is called with zeros, under fuel and a memory
/// and table cap: they may trap or be rejected with WasmKit's own exceptions, never crash, hang or exhaust memory.
/// </summary>
public class DecoderRobustnessTests
{
    /// <summary>Random edits of the seeds, after every truncation of the embedded samples.</summary>
    private const int RandomMutantCount = 8000;

    /// <summary>Fixed, so a failure reproduces.</summary>
    private const int RandomSeed = 0x5EED;

    /// <summary>A guard against hangs only: the run normally takes a small fraction of it.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    private static readonly string[] SpecScripts =
    [
        "binary", "elem", "data", "br_table", "custom", "call_indirect", "memory_grow", "table_grow", "bulk",
        "memory_copy", "memory_fill", "loop", "float_exprs", "select", "ref_func", "global", "start",
    ];

    /// <summary>Fuel for each export call: enough to do some work, little enough that a loop ends quickly.</summary>
    private const long FuelPerCall = 20_000;

    /// <summary>At most this many validated mutants are run, which keeps the test to a few seconds.</summary>
    private const int MaximumRunMutants = 600;

    /// <summary>1 MiB per memory and 10,000 table elements: a mutant asking for more must be refused cleanly.</summary>
    private static readonly StoreLimits MutantLimits = new() { MaxMemoryPages = 16, MaxTableElements = 10_000, MaxStackBytes = 256 * 1024 };

    private sealed record Mutant(string Description, byte[] Bytes);

    [Test]
    public void MalformedBinariesNeverCrash()
    {
        var seeds = Seeds();
        int truncations = SampleModules.All.Sum(sample => sample.Bytes.Length);
        using var engine = new Engine(new EngineOptions { ConsumeFuel = true, CacheModules = false });
        var validSeeds = seeds.Where(seed => IsValid(engine, seed.Bytes)).ToList();
        var mutants = Mutants(seeds, validSeeds).Take(truncations + RandomMutantCount).ToList();
        TestContext.Out.WriteLine($"{seeds.Count} seeds ({validSeeds.Count} valid), {truncations} truncations, {RandomMutantCount} random mutants");

        var run = Task.Run(() => FirstFailure(engine, mutants));

        Assert.That(run.Wait(HangGuard), Is.True, $"the {mutants.Count} mutants took over {HangGuard.TotalSeconds} s: one hangs");
        Assert.That(run.Result, Is.Null);
    }

    private static string? FirstFailure(Engine engine, List<Mutant> mutants)
    {
        int rejected = 0;
        int ran = 0;
        foreach (var mutant in mutants)
        {
            try
            {
                ModuleDecoder.Decode(mutant.Bytes);
            }
            catch (WasmFormatException)
            {
                rejected++;
                continue;
            }
            catch (Exception e)
            {
                return Describe(mutant, "ModuleDecoder.Decode", e);
            }

            Module module;
            try
            {
                module = Module.FromBytes(engine, mutant.Bytes);
            }
            catch (Exception e) when (e is WasmFormatException or WasmValidationException)
            {
                continue;
            }
            catch (Exception e)
            {
                return Describe(mutant, "Module.FromBytes", e);
            }

            if (ran >= MaximumRunMutants) continue;
            try
            {
                if (Run(engine, module)) ran++;
            }
            catch (Exception e)
            {
                return Describe(mutant, "instantiating or calling", e);
            }
        }
        TestContext.Out.WriteLine($"{mutants.Count - rejected} mutants decoded, {rejected} rejected as malformed, {ran} instantiated and run");
        return null;
    }

    /// <summary>
    /// Instantiates a validated mutant and calls each exported function with zeros; WasmKit's own exceptions are
    /// expected outcomes, anything else escapes. Returns false when the mutant imports something a stub cannot give.
    /// </summary>
    private static bool Run(Engine engine, Module module)
    {
        if (module.Imports.Any(import => import.Kind != ExternalKind.Function)) return false;
        var store = new Store(engine, MutantLimits) { Fuel = FuelPerCall };
        var linker = new Linker(engine) { AllowShadowing = true };
        foreach (var import in module.Imports)
        {
            var type = (FunctionType)import.Type;
            linker.DefineFunction(import.ModuleName, import.Name, type, (_, _, results) =>
            {
                for (int i = 0; i < results.Length; i++) results[i] = Zero(type.Results[i]);
            });
        }

        Instance instance;
        try
        {
            instance = linker.Instantiate(store, module);
        }
        catch (WasmException)
        {
            return true;
        }
        foreach (var export in module.Exports.Where(e => e.Kind == ExternalKind.Function))
        {
            var function = instance.GetFunction(export.Name)!;
            var arguments = function.Type.Parameters.Select(Zero).ToArray();
            var results = new object?[function.Type.Results.Length];
            store.Fuel = FuelPerCall;
            try
            {
                function.Invoke(arguments, results);
            }
            catch (WasmException)
            {
            }
        }
        return true;
    }

    private static object? Zero(ValueKind kind) => kind switch
    {
        ValueKind.Int32 => 0,
        ValueKind.Int64 => 0L,
        ValueKind.Float32 => 0f,
        ValueKind.Float64 => 0d,
        _ => null,
    };

    private static string Describe(Mutant mutant, string stage, Exception e) =>
        $"{stage} crashed on mutant '{mutant.Description}' ({Convert.ToHexString(mutant.Bytes)}): {e}";

    private static bool IsValid(Engine engine, byte[] bytes)
    {
        try
        {
            Module.Validate(engine, bytes);
            return true;
        }
        catch (WasmException)
        {
            return false;
        }
    }

    /// <summary>
    /// Every truncation of the embedded samples, then random edits: half are one edit of a valid seed (which often
    /// still validates, so the mutant gets run), half one to three edits of any seed.
    /// </summary>
    private static IEnumerable<Mutant> Mutants(IReadOnlyList<(string Name, byte[] Bytes)> seeds, IReadOnlyList<(string Name, byte[] Bytes)> validSeeds)
    {
        foreach (var (name, bytes) in SampleModules.All)
        {
            for (int length = 0; length < bytes.Length; length++)
                yield return new Mutant($"{name} cut to {length} bytes", bytes[..length]);
        }

        var random = new Random(RandomSeed);
        while (true)
        {
            bool fromValid = validSeeds.Count > 0 && random.Next(2) == 0;
            var (name, seed) = fromValid ? validSeeds[random.Next(validSeeds.Count)] : seeds[random.Next(seeds.Count)];
            var bytes = new List<byte>(seed);
            var description = new StringBuilder(name);
            int edits = fromValid ? 1 : random.Next(1, 4);
            for (int i = 0; i < edits; i++)
            {
                switch (random.Next(3))
                {
                    case 0 when bytes.Count > 0:
                    {
                        int at = random.Next(bytes.Count);
                        bytes[at] ^= (byte)random.Next(1, 256);
                        description.Append($", byte 0x{at:x} changed to 0x{bytes[at]:x2}");
                        break;
                    }
                    case 1:
                    {
                        int at = random.Next(bytes.Count + 1);
                        byte value = (byte)random.Next(256);
                        bytes.Insert(at, value);
                        description.Append($", 0x{value:x2} inserted at 0x{at:x}");
                        break;
                    }
                    case 2 when bytes.Count > 0:
                    {
                        int at = random.Next(bytes.Count);
                        bytes.RemoveAt(at);
                        description.Append($", byte 0x{at:x} deleted");
                        break;
                    }
                }
            }
            yield return new Mutant(description.ToString(), [.. bytes]);
        }
    }

    /// <summary>The embedded samples, plus the repository's fixtures and some spec modules when they are at hand.</summary>
    private static List<(string Name, byte[] Bytes)> Seeds()
    {
        var seeds = SampleModules.All.ToList();
        foreach (var path in FixtureFiles()) seeds.Add((Path.GetFileName(path), File.ReadAllBytes(path)));
        seeds.AddRange(SpecModules());
        return seeds;
    }

    private static IEnumerable<string> FixtureFiles()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "WasmKit.sln"))) continue;
            return new[] { "fixtures", Path.Combine("tests", "fixtures") }
                .Select(sub => Path.Combine(dir.FullName, sub))
                .Where(Directory.Exists)
                .SelectMany(d => Directory.GetFiles(d, "*.wasm", SearchOption.AllDirectories))
                .Order(StringComparer.Ordinal)
                .ToList();
        }
        return [];
    }

    /// <summary>
    /// Modules of some spec scripts, converted in a temporary directory when wast2json and the suite exist. The suite is
    /// looked for where the spec harness looks: beside the checkout (../shared/spectest), then WASMKIT_SPECTEST_DIR.
    /// </summary>
    private static List<(string Name, byte[] Bytes)> SpecModules()
    {
        string? suite = FindSpecSuite();
        string? tool = FindOnPath("wast2json");
        if (suite is null || tool is null)
        {
            TestContext.Out.WriteLine("the spec suite or wast2json was not found: the mutants come from the samples and fixtures only");
            return [];
        }

        var output = Directory.CreateTempSubdirectory("wasmkit-decoder-");
        try
        {
            foreach (var script in SpecScripts)
            {
                string wast = Path.Combine(suite, "core", script + ".wast");
                if (!File.Exists(wast)) continue;
                using var process = Process.Start(new ProcessStartInfo(tool, ["--enable-all", wast, "-o", Path.Combine(output.FullName, script + ".json")])
                {
                    RedirectStandardError = true,
                    RedirectStandardOutput = true,
                });
                if (process is null) continue;
                process.StandardOutput.ReadToEnd();
                process.StandardError.ReadToEnd();
                process.WaitForExit();
            }
            return output.GetFiles("*.wasm")
                .OrderBy(f => f.Name, StringComparer.Ordinal)
                .Select(f => (f.Name, File.ReadAllBytes(f.FullName)))
                .ToList();
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    private static string? FindSpecSuite()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "WasmKit.sln"))) continue;
            string sibling = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "spectest"));
            if (Directory.Exists(Path.Combine(sibling, "core"))) return sibling;
            break;
        }
        string? fromVariable = Environment.GetEnvironmentVariable("WASMKIT_SPECTEST_DIR");
        return !string.IsNullOrWhiteSpace(fromVariable) && Directory.Exists(Path.Combine(fromVariable, "core")) ? fromVariable : null;
    }

    private static string? FindOnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, tool))
            .FirstOrDefault(File.Exists);
}
