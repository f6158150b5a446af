using System.Text.Json;
using Wt = global::Wasmtime;

namespace WasmKit.SpecTests;

/// <summary>
/// The Wasmtime runner must fail what is wrong, not only pass what is right: a cross-check that passes everything
/// would prove nothing about the harness.
/// </summary>
public sealed class WasmtimeHarnessStrictnessTests
{
    private const string Module = """
        (module
          (func (export "one") (result i32) (i32.const 1))
          (func (export "nan") (result f32) (f32.reinterpret_i32 (i32.const 0x7fa00000)))
          (func (export "lanes") (result v128) (v128.const i32x4 1 2 3 4))
          (func (export "div") (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
          (func $deep (export "deep") (call $deep)))
        """;

    [Test]
    public void CorrectAssertionsPass()
    {
        var result = Run(
            Return("one", [], Value("i32", "1")),
            Return("lanes", [], Lanes("i32", "1", "2", "3", "4")),
            Return("lanes", [], Lanes("i16", "1", "0", "2", "0", "3", "0", "4", "0")),
            Trap("div", [Value("i32", "0")], "integer divide by zero"),
            Command("assert_exhaustion", action: new WastAction("invoke", null, "deep", []), text: "call stack exhausted"));
        Assert.That((result.Passed, result.Failed), Is.EqualTo((5, 0)), result.DescribeFailures());
    }

    [Test]
    public void WrongValuesTrapsAndLanesFail()
    {
        var result = Run(
            Return("one", [], Value("i32", "2")),
            Return("nan", [], Value("f32", "nan:arithmetic")),
            Return("lanes", [], Lanes("i32", "1", "2", "3", "5")),
            Return("one", [], Lanes("i32", "1", "0", "0", "0")),
            Trap("div", [Value("i32", "0")], "integer overflow"),
            Trap("div", [Value("i32", "1")], "integer divide by zero"));
        Assert.That((result.Passed, result.Failed), Is.EqualTo((0, 6)), result.DescribeFailures());
    }

    private static ScriptResult Run(params WastCommand[] commands)
    {
        var directory = Directory.CreateTempSubdirectory("wasmkit-wasmtime-harness-");
        try
        {
            File.WriteAllBytes(Path.Combine(directory.FullName, "m.wasm"), Wt.Module.ConvertText(Module));
            var result = new ScriptResult("test.wast");
            using var runner = new WasmtimeScriptRunner(directory.FullName, result, log: null);
            runner.Run(new WastScript("test.wast", [Command("module", file: "m.wasm"), .. commands]));
            return result;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static WastCommand Return(string field, List<WastValue> args, WastValue expected) =>
        new("assert_return", 1, null, null, null, null, null, new WastAction("invoke", null, field, args), [expected]);

    private static WastCommand Trap(string field, List<WastValue> args, string text) =>
        Command("assert_trap", action: new WastAction("invoke", null, field, args), text: text);

    private static WastCommand Command(string type, string? file = null, WastAction? action = null, string? text = null) =>
        new(type, 1, file, null, null, file is null ? null : "binary", text, action, null);

    private static WastValue Value(string type, string text) => new(type, JsonSerializer.SerializeToElement(text));

    private static WastValue Lanes(string laneType, params string[] lanes) =>
        new("v128", JsonSerializer.SerializeToElement(lanes), laneType);
}
