using WasmKit.Tests.Support;

namespace WasmKit.Tests.Runtime;

/// <summary>Linear memory lives outside the managed heap: small instances do not churn the GC.</summary>
public class MemoryAllocationTests
{
    private const string OnePage = """
        (module
          (memory (export "memory") 1)
          (data (i32.const 16) "hello")
          (func (export "load") (param i32) (result i32) (i32.load8_u (local.get 0))))
        """;

    [Test]
    public void AThousandOnePageInstancesCreatedAndDisposedCauseNoGen2Collections()
    {
        var engine = new Engine();
        var module = Module.FromBytes(engine, Wat.ToWasm(OnePage));
        var linker = new Linker(engine);
        for (int i = 0; i < 20; i++) InstantiateAndDispose(linker, module);
        GC.Collect();
        GC.WaitForPendingFinalizers();

        int gen2Before = GC.CollectionCount(2);
        long bytesBefore = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) InstantiateAndDispose(linker, module);
        long bytesPerInstance = (GC.GetAllocatedBytesForCurrentThread() - bytesBefore) / 1000;
        int gen2 = GC.CollectionCount(2) - gen2Before;

        TestContext.Out.WriteLine($"{bytesPerInstance} managed bytes per instance, {gen2} gen-2 collections");
        Assert.That(gen2, Is.LessThanOrEqualTo(1), "gen-2 collections");
        // The 64 KiB page is native: what remains is the instance's bookkeeping.
        Assert.That(bytesPerInstance, Is.LessThan(8 * 1024));
    }

    private static void InstantiateAndDispose(Linker linker, Module module)
    {
        using var store = new Store(module.Engine);
        var instance = linker.Instantiate(store, module);
        if (instance.GetFunction<int, int>("load")!(16) != 'h') Assert.Fail("the data segment is missing");
    }
}
