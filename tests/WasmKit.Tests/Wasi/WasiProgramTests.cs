using WasmKit.Tests.Support;
using WasmKit.Wasi;

namespace WasmKit.Tests.Wasi;

public class WasiProgramTests
{
    private const string Hello = """
        (module
          (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
          (memory (export "memory") 1)
          (data (i32.const 100) "hello\n")
          (data (i32.const 0) "\64\00\00\00\06\00\00\00")
          (func (export "_start")
            (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
            (call $proc_exit (i32.const 7))
            unreachable))
        """;

    private static WasiResult Run(string text, WasiConfiguration? configuration = null, Store? store = null)
    {
        var engine = store?.Engine ?? new Engine();
        return WasiProgram.Run(engine, Module.FromBytes(engine, Wat.ToWasm(text)), configuration ?? new WasiConfiguration(), store);
    }

    [Test]
    public void ProcExitEndsTheRunWithItsCode()
    {
        var result = Run(Hello);
        Assert.That(result.ExitCode, Is.EqualTo(7));
        Assert.That(result.Stdout, Is.EqualTo("hello\n"));
        Assert.That(result.Stderr, Is.Empty);
        Assert.That(result.Instance, Is.Not.Null);
    }

    [Test]
    public void ReturningFromStartMeansExitCodeZero()
    {
        var result = Run("""(module (memory (export "memory") 1) (func (export "_start")))""");
        Assert.That(result.ExitCode, Is.Zero);
    }

    [Test]
    public void TrapsPropagate()
    {
        var error = Assert.Throws<WasmTrapException>(() => Run("""(module (func (export "_start") unreachable))"""));
        Assert.That(error!.Code, Is.EqualTo(TrapCode.Unreachable));
    }

    [Test]
    public void ProcExitInTheStartFunctionIsAnExitToo()
    {
        var result = Run("""
            (module
              (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
              (func $init (call $proc_exit (i32.const 3)))
              (start $init)
              (func (export "_start") unreachable))
            """);
        Assert.That(result.ExitCode, Is.EqualTo(3));
        Assert.That(result.Instance, Is.Null);
    }

    [Test]
    public void ReactorsAreInitializedAndStayUsable()
    {
        var result = Run("""
            (module
              (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
              (memory (export "memory") 1)
              (global $ready (mut i32) (i32.const 0))
              (data (i32.const 100) "hi")
              (data (i32.const 0) "\64\00\00\00\02\00\00\00")
              (func (export "_initialize") (global.set $ready (i32.const 1)))
              (func (export "say") (result i32)
                (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
                (global.get $ready)))
            """);
        Assert.That(result.ExitCode, Is.Zero);
        Assert.That(result.Instance!.GetFunction<int>("say")!(), Is.EqualTo(1));
        Assert.That(result.Stdout, Is.EqualTo("hi"));
    }

    [Test]
    public void ModulesWithoutAnEntryPointAreRejected()
    {
        Assert.Throws<ArgumentException>(() => Run("(module (func (export \"main\")))"));
        Assert.Throws<ArgumentException>(() => Run("(module (func (export \"_start\") (param i32)))"));
    }

    [Test]
    public void OtherImportsFailToLink()
    {
        Assert.Throws<WasmLinkException>(() => Run("""(module (import "env" "f" (func)) (func (export "_start")))"""));
        Assert.Throws<WasmLinkException>(() => Run("""(module (import "wasi_snapshot_preview1" "fd_write" (func (param i32))) (func (export "_start")))"""));
    }

    [Test]
    public void EveryPreview1FunctionIsImportable()
    {
        using var wasi = new WasiHarness();
        Assert.That(WasiHarness.Signatures, Has.Count.EqualTo(46));
        Assert.That(wasi.Instance.Exports.Keys, Is.SupersetOf(WasiHarness.Signatures.Keys));
    }

    [Test]
    public void FuelLimitsAWasiProgram()
    {
        var engine = new Engine(new EngineOptions { ConsumeFuel = true });
        var store = new Store(engine) { Fuel = 1000 };
        var error = Assert.Throws<WasmTrapException>(() => Run("""(module (func (export "_start") (loop $l (br $l))))""", store: store));
        Assert.That(error!.Code, Is.EqualTo(TrapCode.OutOfFuel));
    }

    [Test]
    public void StdoutCanGoToAHostStream()
    {
        using var output = new MemoryStream();
        var config = new WasiConfiguration { Stdout = new BufferedStream(output, 4096) };
        var result = Run(Hello, config);
        Assert.That(result.Stdout, Is.Null, "not captured: it went to the host's stream");
        Assert.That(System.Text.Encoding.UTF8.GetString(output.ToArray()), Is.EqualTo("hello\n"), "flushed at the end of the run");
    }
}
