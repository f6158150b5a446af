using System.Diagnostics;
using WasmKit.Tests.Support;

namespace WasmKit.Tests.Fuzzing;

/// <summary>
/// The differential fuzzer's own rewriters, through its command line (tools/WasmKit.Fuzz): exports are called with
/// arguments drawn from the seed (binaryen alone would pass zeros), and the canonicalized module makes arithmetic NaNs
/// canonical while bit-exact operations keep their NaN bits, so the two engines can be compared bit for bit.
/// </summary>
public class FuzzHarnessTests
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromMinutes(5);

    private string _tool = "";

    [OneTimeSetUp]
    public void BuildTheFuzzer()
    {
        string root = RepositoryRoot();
        var (exitCode, output) = Run("dotnet", ["build", Path.Combine(root, "tools", "WasmKit.Fuzz"), "-c", "Release", "--nologo", "-v", "quiet"], root);
        Assert.That(exitCode, Is.Zero, "building tools/WasmKit.Fuzz failed:\n" + output);
        _tool = Path.Combine(root, "tools", "WasmKit.Fuzz", "bin", "Release", "net10.0", "WasmKit.Fuzz.dll");
    }

    [Test]
    public void ExportsAreCalledWithTheSeedsArguments()
    {
        byte[] module = Wat.ToWasm("""
            (module
              (func (export "first") (param i32 i64 f32 f64) (result i32) (local.get 0))
              (func (export "last") (param i32 i64 f32 f64) (result f64) (local.get 3))
              (func (export "none") (result i32) (i32.const 5)))
            """);
        var outputs = Enumerable.Range(1, 6).Select(seed => RunWithArguments(module, seed)).ToList();

        Assert.That(RunWithArguments(module, 3), Is.EqualTo(outputs[2]), "the arguments must depend on the seed only");
        Assert.That(outputs.Distinct().Count(), Is.GreaterThan(1), "different seeds must give different arguments");
        Assert.That(outputs.Count(o => !o.Contains("first => 0\n", StringComparison.Ordinal)), Is.GreaterThan(0), string.Join("\n", outputs));
        Assert.That(outputs, Has.All.Contain("none => 5\n"));
    }

    [Test]
    public void CanonicalizingKeepsBitExactNaNsAndCanonicalizesArithmeticOnes()
    {
        byte[] module = Wat.ToWasm("""
            (module
              (func (export "add") (result f32) (f32.add (f32.reinterpret_i32 (i32.const 0xffa00001)) (f32.const 1)))
              (func (export "sqrt") (result f64) (f64.sqrt (f64.const -1)))
              (func (export "neg") (result f32) (f32.neg (f32.reinterpret_i32 (i32.const 0x7fa00001))))
              (func (export "copysign") (result f64)
                (f64.copysign (f64.reinterpret_i64 (i64.const 0x7ff4000000000001)) (f64.const -1)))
              (func (export "number") (param f32) (result f32) (f32.mul (local.get 0) (f32.const 2))))
            """);
        string directory = Directory.CreateTempSubdirectory("wasmkit-fuzz-nan-").FullName;
        try
        {
            string input = Path.Combine(directory, "in.wasm"), output = Path.Combine(directory, "out.wasm");
            File.WriteAllBytes(input, module);
            Assert.That(Tool("canonicalize", input, output).ExitCode, Is.Zero);
            var (exitCode, text) = Tool("run", output);

            Assert.That(exitCode, Is.Zero, text);
            Assert.That(text, Does.Contain("add => nan:0x400000\n"));
            Assert.That(text, Does.Contain("sqrt => nan:0x8000000000000\n"));
            Assert.That(text, Does.Contain("neg => -nan:0x200001\n"));
            Assert.That(text, Does.Contain("copysign => -nan:0x4000000000001\n"));
            Assert.That(text, Does.Contain("number => 0\n"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public void WasmtimeOraclePrintsWhatWasmKitPrintsTrapsByKind()
    {
        byte[] module = Wat.ToWasm("""
            (module
              (import "fuzzing-support" "log-i64" (func $log64 (param i64)))
              (import "fuzzing-support" "log-f32" (func $log32 (param f32)))
              (type $v (func))
              (table 2 funcref)
              (elem (i32.const 1) $typed)
              (memory 1)
              (func $typed (param i32))
              (func $deep (call $deep))
              (func (export "log") (call $log64 (i64.const -4294967296)) (call $log32 (f32.const -0.5)))
              (func (export "unreachable") (unreachable))
              (func (export "memory") (result i32) (i32.load (i32.const 65535)))
              (func (export "undefined") (call_indirect (type $v) (i32.const 7)))
              (func (export "uninitialized") (call_indirect (type $v) (i32.const 0)))
              (func (export "mismatch") (call_indirect (type $v) (i32.const 1)))
              (func (export "divide") (result i32) (i32.div_u (i32.const 1) (i32.const 0)))
              (func (export "overflow") (result i32) (i32.div_s (i32.const 0x80000000) (i32.const -1)))
              (func (export "conversion") (result i32) (i32.trunc_f32_s (f32.const nan)))
              (func (export "stack") (call $deep))
              (func (export "tuple") (result i32 f64 funcref) (i32.const -1) (f64.const -0) (ref.func $typed))
              (func (export "signalling") (result f32) (f32.neg (f32.reinterpret_i32 (i32.const 0x7fa00001)))))
            """);
        string directory = Directory.CreateTempSubdirectory("wasmkit-fuzz-wasmtime-").FullName;
        try
        {
            string file = Path.Combine(directory, "m.wasm");
            File.WriteAllBytes(file, module);
            var (exitCode, text) = Tool("run-wasmtime", file);
            var (checkCode, verdict) = Tool("check", file, "--oracle", "wasmtime");

            Assert.That(exitCode, Is.Zero, text);
            Assert.That(text, Does.Contain("[LoggingExternalInterface logging 0 -1]\n[LoggingExternalInterface logging -0.5]\n"));
            foreach (var trap in new[] { "unreachable", "out of bounds memory access", "undefined element", "uninitialized element",
                "indirect call type mismatch", "integer divide by zero", "integer overflow", "invalid conversion to integer", "call stack exhausted" })
                Assert.That(text, Does.Contain($"[trap {trap}]\n"));
            Assert.That(text, Does.Contain("tuple => (-1, -0, funcref(func))\n"));
            Assert.That(text, Does.Contain("signalling => -nan:0x200001\n"), "Wasmtime keeps bit-exact NaNs");
            Assert.That((checkCode, verdict.Trim()), Is.EqualTo((0, "match")), verdict);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private string RunWithArguments(byte[] module, int seed)
    {
        string directory = Directory.CreateTempSubdirectory("wasmkit-fuzz-args-").FullName;
        try
        {
            string input = Path.Combine(directory, "in.wasm"), output = Path.Combine(directory, "out.wasm");
            File.WriteAllBytes(input, module);
            Assert.That(Tool("arguments", seed.ToString(System.Globalization.CultureInfo.InvariantCulture), input, output).ExitCode, Is.Zero);
            var (exitCode, text) = Tool("run", output);
            Assert.That(exitCode, Is.Zero, text);
            return text;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private (int ExitCode, string Output) Tool(params string[] arguments) => Run("dotnet", [_tool, .. arguments], Environment.CurrentDirectory);

    private static (int ExitCode, string Output) Run(string program, string[] arguments, string workingDirectory)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(ToolTimeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{program} {string.Join(' ', arguments)} did not finish:\n{stdout.Result}{stderr.Result}");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WasmKit.sln"))) return dir.FullName;
        }
        Assert.Ignore("The repository (WasmKit.sln) is not above the test directory.");
        return "";
    }
}
