using System.Diagnostics;
using System.Text;
using WasmKit.BinaryFormat;

namespace WasmKit.Tests.BinaryFormat;

/// <summary>
/// Feeds deterministic mutants of real modules to the decoder: each must decode or raise
/// <see cref="WasmFormatException"/>, never crash or hang.
/// </summary>
public class DecoderRobustnessTests
{
    private const int MutantCount = 2000;

    /// <summary>Fixed, so a failure reproduces.</summary>
    private const int RandomSeed = 0x5EED;

    /// <summary>A guard against hangs only: the run normally takes a small fraction of it.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    private static readonly string[] SpecScripts = ["binary", "elem", "data", "br_table", "custom"];

    private sealed record Mutant(string Description, byte[] Bytes);

    [Test]
    public void MalformedBinariesNeverCrash()
    {
        var mutants = Mutants(Seeds()).Take(MutantCount).ToList();
        Assert.That(mutants, Has.Count.EqualTo(MutantCount));

        using var engine = new Engine();
        var run = Task.Run(() => FirstFailure(engine, mutants));

        Assert.That(run.Wait(HangGuard), Is.True, $"the {MutantCount} mutants took over {HangGuard.TotalSeconds} s: one hangs");
        Assert.That(run.Result, Is.Null);
    }

    private static string? FirstFailure(Engine engine, List<Mutant> mutants)
    {
        int rejected = 0;
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

            try
            {
                Module.FromBytes(engine, mutant.Bytes);
            }
            catch (WasmFormatException)
            {
            }
            catch (WasmValidationException)
            {
            }
            catch (Exception e)
            {
                return Describe(mutant, "Module.FromBytes", e);
            }
        }
        TestContext.Out.WriteLine($"{mutants.Count - rejected} mutants decoded, {rejected} rejected as malformed");
        return null;
    }

    private static string Describe(Mutant mutant, string stage, Exception e) =>
        $"{stage} crashed on mutant '{mutant.Description}' ({Convert.ToHexString(mutant.Bytes)}): {e}";

    /// <summary>Every truncation of the embedded samples, then random edits of every seed.</summary>
    private static IEnumerable<Mutant> Mutants(IReadOnlyList<(string Name, byte[] Bytes)> seeds)
    {
        foreach (var (name, bytes) in SampleModules.All)
        {
            for (int length = 0; length < bytes.Length; length++)
                yield return new Mutant($"{name} cut to {length} bytes", bytes[..length]);
        }

        var random = new Random(RandomSeed);
        while (true)
        {
            var (name, seed) = seeds[random.Next(seeds.Count)];
            var bytes = new List<byte>(seed);
            var description = new StringBuilder(name);
            int edits = random.Next(1, 4);
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

    /// <summary>Modules of a few spec scripts, converted in a temporary directory when wast2json and the suite exist.</summary>
    private static List<(string Name, byte[] Bytes)> SpecModules()
    {
        string? suite = Environment.GetEnvironmentVariable("WASMKIT_SPECTEST_DIR");
        string? tool = FindOnPath("wast2json");
        if (suite is null || tool is null || !Directory.Exists(Path.Combine(suite, "core"))) return [];

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

    private static string? FindOnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, tool))
            .FirstOrDefault(File.Exists);
}
