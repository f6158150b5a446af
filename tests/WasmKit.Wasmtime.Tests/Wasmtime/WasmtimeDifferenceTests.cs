using WasmKit.Backends;
using WasmKit.Tests.Support;
using WasmKit.Wasmtime;

namespace WasmKit.Tests.Wasmtime;

/// <summary>Where the Wasmtime backend behaves differently from the managed engine by design: each test names the difference and asserts it.</summary>
public class WasmtimeDifferenceTests
{
    private static byte[] ModuleWithStackHeight(int height)
    {
        var body = string.Concat(Enumerable.Repeat("i32.const 1 ", height)) + string.Concat(Enumerable.Repeat("drop ", height));
        return Wat.ToWasm($"(module (func (export \"f\") {body}))");
    }

    [Test]
    public void AModuleBeyondTheManagedEnginesStackLimitLoadsOnWasmtime()
    {
        using var backend = new WasmtimeBackend(new WasmtimeBackendOptions { UsePoolingAllocator = false });
        var module = backend.Compile(ModuleWithStackHeight(5_000), "huge");
        Assert.That(module.GetInvoker("f"), Is.Not.Null);
    }

    [Test]
    public void FuelIsChargedPerInstructionOnWasmtime()
    {
        using var backend = new WasmtimeBackend(new WasmtimeBackendOptions { UsePoolingAllocator = false });
        var module = backend.Compile(Wat.ToWasm("""
            (module (func (export "spin") (param i32) (result i32)
              (block (loop (br_if 1 (i32.eqz (local.get 0))) (local.set 0 (i32.sub (local.get 0) (i32.const 1))) (br 0)))
              (i32.const 0)))
            """));
        using var instance = module.Instantiate(new BackendInstanceOptions { InitialFuel = 1_000_000 });
        module.GetInvoker("spin")!.Invoke(instance, [100]);
        // The managed engine charges about one unit per loop iteration (~100 here); Wasmtime one per instruction.
        Assert.That(1_000_000 - instance.Fuel, Is.GreaterThan(300));
    }

    [TestCase(true)]
    [TestCase(false)]
    public void ResetsKeepCapturedStateOnlyWhenInPlaceOnWasmtime(bool resetInPlace)
    {
        using var backend = new WasmtimeBackend(new WasmtimeBackendOptions { UsePoolingAllocator = false, ResetInPlace = resetInPlace });
        var module = backend.Compile(Wat.ToWasm("""(module (memory (export "memory") 1) (func (export "get") (result i32) (i32.load (i32.const 0))))"""));
        using var instance = module.Instantiate(new BackendInstanceOptions());
        instance.WriteMemory(0, 4)[0] = 7;
        // Re-instantiation (ResetInPlace off, or a module the instrumentation refuses) cannot return to a captured state.
        Assert.That(instance.CaptureResetState(), Is.EqualTo(resetInPlace));
        Assert.That(instance.Reset(), Is.True);
        Assert.That(module.GetInvoker("get")!.Invoke(instance, []), Is.EqualTo(resetInPlace ? 7UL : 0UL));
    }
}
