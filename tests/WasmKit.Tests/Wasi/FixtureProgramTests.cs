using System.Diagnostics;
using System.Text.Json;
using WasmKit.Wasi;

namespace WasmKit.Tests.Wasi;

/// <summary>
/// Runs every real program of fixtures/programs (C with wasi-libc, AssemblyScript) as its
/// expected/NAME.json says, the way fixtures/programs/run-node.mjs runs it under Node, and
/// compares stdout and the exit code exactly. CPU programs take seconds each.
/// </summary>
public class FixtureProgramTests
{
    private static readonly Lazy<string?> ProgramsDirectory = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "WasmKit.sln"))) continue;
            string programs = Path.Combine(dir.FullName, "fixtures", "programs");
            return Directory.Exists(Path.Combine(programs, "expected")) ? programs : null;
        }
        return null;
    });

    private static readonly Engine SharedEngine = new();

    public static IEnumerable<TestCaseData> Programs()
    {
        if (ProgramsDirectory.Value is not string programs)
        {
            yield return new TestCaseData("(none)").Ignore("fixtures/programs/expected was not found.");
            yield break;
        }
        foreach (string path in Directory.EnumerateFiles(Path.Combine(programs, "expected"), "*.json").Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileNameWithoutExtension(path);
            using var spec = JsonDocument.Parse(File.ReadAllText(path));
            string category = spec.RootElement.TryGetProperty("category", out var c) ? c.GetString() ?? "" : "";
            yield return new TestCaseData(name).SetName($"Program({name})").SetCategory(category);
        }
    }

    [TestCaseSource(nameof(Programs))]
    public void Program(string name)
    {
        string programs = ProgramsDirectory.Value!;
        string repository = Path.GetFullPath(Path.Combine(programs, "..", ".."));
        using var spec = JsonDocument.Parse(File.ReadAllText(Path.Combine(programs, "expected", name + ".json")));
        var root = spec.RootElement;

        var config = new WasiConfiguration();
        if (root.TryGetProperty("args", out var args)) config.WithArguments(args.EnumerateArray().Select(a => a.GetString()!));
        else config.WithArguments(name);
        if (root.TryGetProperty("env", out var env))
            foreach (var variable in env.EnumerateObject()) config.WithEnvironmentVariable(variable.Name, variable.Value.GetString()!);
        if (root.TryGetProperty("stdin", out var stdin)) config.WithStdin(stdin.GetString()!);

        bool mutates = root.TryGetProperty("mutatesPreopens", out var m) && m.GetBoolean();
        var scratch = Directory.CreateTempSubdirectory($"wasmkit-{name}-");
        try
        {
            if (root.TryGetProperty("preopens", out var preopens))
            {
                int index = 0;
                foreach (var preopen in preopens.EnumerateObject())
                {
                    string host = Path.Combine(repository, preopen.Value.GetString()!);
                    if (mutates)
                    {
                        string copy = Path.Combine(scratch.FullName, "preopen" + index++);
                        CopyDirectory(host, copy);
                        host = copy;
                    }
                    config.WithPreopenedDirectory(host, preopen.Name);
                }
            }

            var module = Module.FromFile(SharedEngine, Path.Combine(programs, "wasm", name + ".wasm"));
            var clock = Stopwatch.StartNew();
            var result = WasiProgram.Run(SharedEngine, module, config);
            TestContext.Out.WriteLine($"{name}: exit {result.ExitCode} in {clock.ElapsedMilliseconds} ms");
            if (!string.IsNullOrEmpty(result.Stderr)) TestContext.Out.WriteLine($"stderr:\n{result.Stderr}");

            Assert.That(result.Stdout, Is.EqualTo(root.GetProperty("stdout").GetString()));
            Assert.That(result.ExitCode, Is.EqualTo(root.GetProperty("exitCode").GetInt32()));
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    /// <summary>Copies a directory tree, keeping symbolic links as links (with their original targets).</summary>
    private static void CopyDirectory(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var entry in new DirectoryInfo(source).EnumerateFileSystemInfos())
        {
            string target = Path.Combine(destination, entry.Name);
            if (entry.LinkTarget is string link) File.CreateSymbolicLink(target, link);
            else if (entry is DirectoryInfo) CopyDirectory(entry.FullName, target);
            else File.Copy(entry.FullName, target);
        }
    }
}
