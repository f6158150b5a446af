using WasmKit.Backends;
using WasmKit.Tests.Support;
using WasmKit.Wasmtime;

namespace WasmKit.Tests.Wasmtime;

/// <summary>
/// The host's reads and writes of guest memory skip asking Wasmtime for the length while the range lies in a
/// length already seen: growth is still seen, a re-instantiation starts over, and no range wraps around.
/// </summary>
public class WasmtimeMemoryAccessTests
{
    private const string Growing = """
        (module
          (memory (export "memory") 1)
          (func (export "grow") (result i32) (memory.grow (i32.const 1)))
          (func (export "mark") (i32.store8 (i32.const 70000) (i32.const 7))))
        """;

    private static IBackendInstance Instantiate(bool resetInPlace) =>
        WasmtimeTestRun.Track(new WasmtimeBackend(new WasmtimeBackendOptions { UsePoolingAllocator = false, ResetInPlace = resetInPlace }))
            .Compile(Wat.ToWasm(Growing))
            .Instantiate(new BackendInstanceOptions { Imports = BackendImports.None });

    [TestCase(true)]
    [TestCase(false)]
    public void GrowthIsSeenAfterReadsOfTheSmallerMemoryAndAResetStartsOver(bool resetInPlace)
    {
        using var instance = Instantiate(resetInPlace);
        Assert.That(instance.ReadMemory(65535, 1)[0], Is.Zero);
        Assert.That(() => instance.ReadMemory(70000, 1), Throws.TypeOf<ArgumentOutOfRangeException>());
        instance.Module.GetInvoker("grow")!.Invoke(instance, []);
        instance.Module.GetInvoker("mark")!.Invoke(instance, []);
        Assert.That(instance.ReadMemory(70000, 1)[0], Is.EqualTo(7), "the page grown after the first reads");
        instance.WriteMemory(131071, 1)[0] = 1;

        // The memory grew, so the reset re-instantiates: one page again.
        Assert.That(instance.Reset(), Is.True);
        Assert.That(instance.MemoryLength, Is.EqualTo(65536));
        Assert.That(() => instance.ReadMemory(70000, 1), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void ARangeThatWouldWrapAroundIsOutOfBounds()
    {
        using var instance = Instantiate(resetInPlace: true);
        instance.ReadMemory(0, 1);
        Assert.That(() => instance.ReadMemory(long.MaxValue - 2, 16), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => instance.WriteMemory(long.MaxValue, int.MaxValue), Throws.TypeOf<ArgumentOutOfRangeException>());
    }
}
