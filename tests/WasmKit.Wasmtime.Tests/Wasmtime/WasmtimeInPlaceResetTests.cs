using WasmKit.Backends;
using WasmKit.Tests.Support;
using WasmKit.Wasi;
using WasmKit.Wasmtime;
using WasmKit.Wasmtime.Reset;

namespace WasmKit.Tests.Wasmtime;

/// <summary>
/// Which instances the Wasmtime backend resets in place and which it re-instantiates; that the
/// instrumentation leaves a module's interface and behaviour alone. (That a reset, either way, leaves no state
/// behind is <c>BackendResetTests</c>, on both engines.)
/// </summary>
public class WasmtimeInPlaceResetTests
{
    private const string Plain = """
        (module
          (memory (export "memory") 1)
          (global $g (mut i32) (i32.const 0))
          (func (export "bump") (result i32) (global.set $g (i32.add (global.get $g) (i32.const 1))) (global.get $g)))
        """;

    private static WasmtimeBackend Backend(bool resetInPlace = true) =>
        WasmtimeTestRun.Track(new WasmtimeBackend(new WasmtimeBackendOptions { UsePoolingAllocator = false, ResetInPlace = resetInPlace }));

    private static WasmtimeInstance Instantiate(string wat, BackendImports? imports = null, bool resetInPlace = true)
    {
        var module = Backend(resetInPlace).Compile(Wat.ToWasm(wat));
        return (WasmtimeInstance)module.Instantiate(new BackendInstanceOptions { Imports = imports ?? BackendImports.None });
    }

    [Test]
    public void APlainModuleResetsInPlaceAndKeepsItsStore()
    {
        using var instance = Instantiate(Plain);
        var bump = instance.Module.GetInvoker("bump")!;
        var backend = (WasmtimeBackend)instance.Module.Backend;
        Assert.That(instance.ResetsInPlace, Is.True);
        for (int i = 0; i < 3; i++)
        {
            Assert.That(bump.Invoke(instance, []), Is.EqualTo(1UL));
            Assert.That(instance.Reset(), Is.True);
            Assert.That(backend.LiveStoreCount, Is.EqualTo(1));
        }
    }

    [Test]
    public void AnInterruptMeantForGuestCodeDoesNotStopAResetOrCapture()
    {
        using var instance = Instantiate(Plain);
        var bump = instance.Module.GetInvoker("bump")!;
        bump.Invoke(instance, []);
        instance.RequestInterrupt();
        // Past the store's epoch deadline: the reset's own code meets Wasmtime's epoch check.
        Thread.Sleep(20);
        Assert.That(instance.Reset(), Is.True);
        Assert.That(instance.CaptureResetState(), Is.True);
        Assert.That(() => bump.Invoke(instance, []), Throws.InstanceOf<WasmTrapException>(), "guest code is still interrupted");
    }

    [Test]
    public void TheInstrumentationsExportsAreHidden()
    {
        using var instance = Instantiate(Plain);
        var module = instance.Module;
        Assert.That(module.Exports.Select(e => e.Name), Is.EquivalentTo(new[] { "memory", "bump" }));
        Assert.That(module.GetInvoker(ResetInstrumentation.ResetExport), Is.Null);
        Assert.That(module.GetInvoker(ResetInstrumentation.CaptureExport), Is.Null);
    }

    [Test]
    public void TheStartFunctionRunsOnceAndItsHostCallsSeeTheMemory()
    {
        const string started = """
            (module
              (import "host" "poke" (func $poke (param i32 i32)))
              (memory (export "memory") 1)
              (global $starts (mut i32) (i32.const 0))
              (func $start (call $poke (i32.const 10) (i32.const 42)) (global.set $starts (i32.add (global.get $starts) (i32.const 1))))
              (start $start)
              (func (export "starts") (result i32) (global.get $starts))
              (func (export "clobber") (i32.store8 (i32.const 10) (i32.const 0)) (global.set $starts (i32.const 9))))
            """;
        var imports = new BackendImports
        {
            HostFunctions =
            [
                new HostFunctionDefinition("host", "poke", new FunctionType([ValueKind.Int32, ValueKind.Int32], []), (context, arguments, _) =>
                {
                    if (!context.HasMemory) return;
                    context.Memory[(int)arguments[0]] = (byte)arguments[1];
                    context.Written((int)arguments[0], 1);
                }),
            ],
        };
        using var instance = Instantiate(started, imports);
        var module = instance.Module;
        Assert.That(instance.ResetsInPlace, Is.True);
        Assert.That(module.Exports.Select(e => e.Name), Does.Not.Contain(ResetInstrumentation.StartExport));
        for (int round = 0; round < 2; round++)
        {
            Assert.That(instance.ReadMemory(10, 1)[0], Is.EqualTo(42));
            Assert.That(module.GetInvoker("starts")!.Invoke(instance, []), Is.EqualTo(1UL));
            module.GetInvoker("clobber")!.Invoke(instance, []);
            Assert.That(instance.Reset(), Is.True);
        }
    }

    [TestCase("(module (table 1 funcref) (func (export \"f\") (table.set 0 (i32.const 0) (ref.null func))))", "table.set")]
    [TestCase("(module (memory 1) (data $d \"x\") (func (export \"f\") (data.drop $d)))", "data.drop")]
    [TestCase("(module (import \"m\" \"memory\" (memory 1)))", "an imported memory")]
    [TestCase("(module (import \"m\" \"g\" (global (mut i32))))", "an imported mutable global")]
    [TestCase("(module (memory 1) (func (export \"f\") (v128.store (i32.const 0) (v128.const i64x2 0 0))))", "instruction 0xfd")]
    public void ModulesWhoseStateCannotBeRestoredInPlaceAreNotInstrumented(string wat, string reason)
    {
        Assert.That(ResetInstrumentation.TryRewrite(Wat.ToWasm(wat), out string? refused), Is.Null);
        Assert.That(refused, Does.Contain(reason));
    }

    [Test]
    public void AModuleExportingAReservedNameIsNotInstrumented()
    {
        // Its own "__wasmkit_reset" must not pass for the reset: it would decide what a reset restores.
        const string impostor = """
            (module
              (memory (export "memory") 1)
              (func (export "__wasmkit_reset") (result i64) (i64.const 0))
              (func (export "poke") (i32.store (i32.const 0) (i32.const 7))))
            """;
        Assert.That(ResetInstrumentation.TryRewrite(Wat.ToWasm(impostor), out string? reason), Is.Null);
        Assert.That(reason, Does.Contain("reserved name"));
        using var instance = Instantiate(impostor);
        Assert.That(instance.ResetsInPlace, Is.False);
        Assert.That(instance.Module.GetInvoker(ResetInstrumentation.ResetExport), Is.Not.Null, "the module's own export stays visible");
        instance.Module.GetInvoker("poke")!.Invoke(instance, []);
        Assert.That(instance.Reset(), Is.True);
        Assert.That(instance.ReadMemory(0, 4).ToArray(), Is.All.Zero);
    }

    [Test]
    public void AModuleWithWasiImportsIsReinstantiated()
    {
        const string wasi = """
            (module
              (import "wasi_snapshot_preview1" "random_get" (func $random (param i32 i32) (result i32)))
              (memory (export "memory") 1)
              (func (export "fill") (result i32) (call $random (i32.const 0) (i32.const 16))))
            """;
        using var instance = Instantiate(wasi, new BackendImports { Wasi = new WasiConfiguration() });
        Assert.That(instance.ResetsInPlace, Is.False, "WASI writes guest memory where no tracking sees it");
        instance.Module.GetInvoker("fill")!.Invoke(instance, []);
        Assert.That(instance.Reset(), Is.True);
        Assert.That(instance.ReadMemory(0, 16).ToArray(), Is.All.Zero);
        Assert.That(instance.CaptureResetState(), Is.False);
    }

    [Test]
    public void InPlaceResetCanBeTurnedOff()
    {
        using var instance = Instantiate(Plain, resetInPlace: false);
        Assert.That(instance.ResetsInPlace, Is.False);
        Assert.That(instance.CaptureResetState(), Is.False);
        Assert.That(instance.Module.GetInvoker("bump")!.Invoke(instance, []), Is.EqualTo(1UL));
        Assert.That(instance.Reset(), Is.True);
        Assert.That(instance.Module.GetInvoker("bump")!.Invoke(instance, []), Is.EqualTo(1UL));
    }

    [Test]
    public void InvalidModulesAreStillReportedAsSuch()
    {
        // Valid structure, invalid types: the instrumented copy is refused too, and the original's error is reported.
        byte[] invalid = Wat.ToWasm("(module (func (export \"f\") (result i32) (i32.const 1)))");
        int body = Array.LastIndexOf(invalid, (byte)0x41);
        invalid[body] = 0x42; // i64.const where an i32 is due
        Assert.That(() => Backend().Compile(invalid), Throws.InstanceOf<WasmValidationException>());
    }

    [Test]
    public void MalformedBytesNeverThrowFromTheRewriter()
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(Components.UdfFixtures.Directory, "json_filter.wasm"));
        var random = new Random(11);
        for (int i = 0; i < 300; i++)
        {
            byte[] damaged = bytes[..random.Next(0, bytes.Length)];
            for (int flips = random.Next(0, 4); flips > 0 && damaged.Length > 0; flips--) damaged[random.Next(damaged.Length)] = (byte)random.Next(256);
            Assert.That(() => ResetInstrumentation.TryRewrite(damaged, out _), Throws.Nothing);
        }
    }

    [TestCase("udf/json_filter.wasm")]
    [TestCase("udf/string_distance.wasm")]
    [TestCase("udf/custom_score.wasm")]
    [TestCase("programs/wasm/json.wasm")]
    [TestCase("programs/wasm/as-strings.wasm")]
    [TestCase("wasm/compute.wasm")]
    [TestCase("wasm/large.wasm")]
    public void FixtureModulesAreInstrumentedAndStillCompile(string fixture)
    {
        string path = Path.Combine(Components.UdfFixtures.Directory, "..", fixture);
        byte[] bytes = File.ReadAllBytes(path);
        byte[]? instrumented = ResetInstrumentation.TryRewrite(bytes, out string? reason);
        Assert.That(instrumented, Is.Not.Null, reason);
        var module = Backend().CompileModule(bytes);
        Assert.That(module.Exports.Select(e => e.Name), Is.EquivalentTo(module.Native.Exports.Select(e => e.Name).Where(n => !ResetInstrumentation.IsReserved(n))));
        Assert.That(module.Native.Exports.Select(e => e.Name), Does.Contain(ResetInstrumentation.ResetExport), "Wasmtime accepted the instrumented module");
    }
}
