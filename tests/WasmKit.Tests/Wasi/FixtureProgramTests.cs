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

    /// <summary>
    /// fixtures/expected.json: V8's answers (results and trap codes) for calls on the modules of fixtures/wasm, written
    /// by fixtures/check.mjs. WasmKit must give the same answer for each; calls on one module share one instance, in order.
    /// </summary>
    [Test]
    public void FixtureCallsMatchV8()
    {
        string repository = Path.GetFullPath(Path.Combine(ProgramsDirectory.Value ?? throw new IgnoreException("fixtures/ was not found."), "..", ".."));
        using var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(repository, "fixtures", "expected.json")));
        var instances = new Dictionary<string, Instance>(StringComparer.Ordinal);
        var mismatches = new List<string>();
        int calls = 0;
        foreach (var call in expected.RootElement.GetProperty("calls").EnumerateArray())
        {
            calls++;
            string moduleFile = call.GetProperty("module").GetString()!;
            string exportName = call.GetProperty("export").GetString()!;
            if (!instances.TryGetValue(moduleFile, out var instance))
            {
                var module = Module.FromFile(SharedEngine, Path.Combine(repository, "fixtures", "wasm", moduleFile));
                instance = new Linker(SharedEngine).Instantiate(new Store(SharedEngine), module);
                instances[moduleFile] = instance;
            }
            var function = instance.GetFunction(exportName) ?? throw new AssertionException($"{moduleFile} exports no function {exportName}");
            var args = call.GetProperty("args").EnumerateArray().ToArray();
            var arguments = new object?[args.Length];
            for (int i = 0; i < args.Length; i++)
            {
                arguments[i] = function.Type.Parameters[i] == ValueKind.Int64 ? args[i].GetInt64() : (object)args[i].GetInt32();
            }
            string what = $"{moduleFile} {exportName}({string.Join(", ", args.Select(a => a.GetRawText()))})";
            string expectedText = call.TryGetProperty("trap", out var trap) ? "trap " + trap.GetString() : "result " + call.GetProperty("result").GetRawText();
            string actualText;
            try
            {
                object? result = function.Invoke(arguments);
                actualText = "result " + (result is null ? "null" : Convert.ToString(result, System.Globalization.CultureInfo.InvariantCulture));
            }
            catch (WasmTrapException e)
            {
                actualText = "trap " + e.Code;
            }
            if (actualText != expectedText) mismatches.Add($"{what}: V8 gave {expectedText}, WasmKit {actualText}");
        }
        Assert.That(calls, Is.GreaterThan(0), "fixtures/expected.json lists no calls");
        Assert.That(mismatches, Is.Empty);
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
