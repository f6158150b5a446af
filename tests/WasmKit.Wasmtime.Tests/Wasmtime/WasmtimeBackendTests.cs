using WasmKit.Backends;
using WasmKit.Pooling;
using WasmKit.Tests.Support;
using WasmKit.Udf;
using WasmKit.Wasmtime;

namespace WasmKit.Tests.Wasmtime;

/// <summary>The Wasmtime backend's own machinery: pooling allocator, store lifetimes, compile cache, error mapping, interruption.</summary>
public class WasmtimeBackendTests
{
    private const string Counter = """
        (module
          (memory (export "memory") 1)
          (global $g (mut i32) (i32.const 0))
          (func (export "bump") (result i32) (global.set $g (i32.add (global.get $g) (i32.const 1))) (global.get $g))
          (func (export "spin") (loop (br 0)))
          (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1))))
        """;

    [Test]
    public void PooledInstancesAreFreshAtEachRentWithThePoolingAllocator()
    {
        using var backend = new WasmtimeBackend(new WasmtimeBackendOptions { PoolingMaximumInstances = 16, PoolingMaximumMemoryPages = 16 });
        var module = backend.Compile(Wat.ToWasm(Counter));
        var bump = module.GetInvoker("bump")!;
        using (var pool = new InstancePool(module, new BackendInstanceOptions(), new InstancePoolOptions { MaximumInstances = 2 }))
        {
            for (int i = 0; i < 5; i++)
            {
                using var rented = pool.Rent();
                Assert.That(bump.Invoke(rented.BackendInstance, []), Is.EqualTo(1));
            }
            Assert.That(backend.LiveStoreCount, Is.GreaterThan(0));
        }
        Assert.That(backend.LiveStoreCount, Is.Zero, "disposing the pool releases every store");
    }

    [Test]
    public void DisposingARegistryReleasesItsStores()
    {
        using var backend = new WasmtimeBackend(new WasmtimeBackendOptions { PoolingMaximumInstances = 32, PoolingMaximumMemoryPages = 512 });
        using (var registry = new UdfRegistry(new UdfRegistryOptions { Backend = backend }))
        {
            var module = backend.Compile(Udf.UdfTestModules.Bytes, "udf");
            registry.Register(Udf.UdfTestModules.Metadata("add", "add", [UdfType.I32], new UdfParameter("a", UdfType.I32), new UdfParameter("b", UdfType.I32)), module);
            Assert.That(registry.Call("add", null, Udf.UdfTestModules.Document("{}"), new Dictionary<string, object?> { ["a"] = 2, ["b"] = 3 }).AsInt32(), Is.EqualTo(5));
            Assert.That(backend.LiveStoreCount, Is.GreaterThan(0));
        }
        Assert.That(backend.LiveStoreCount, Is.Zero);
    }

    [Test]
    public void TrapsMapToWasmKitTrapCodesWithTheOriginalInside()
    {
        using var backend = new WasmtimeBackend(new WasmtimeBackendOptions { UsePoolingAllocator = false });
        var module = backend.Compile(Wat.ToWasm(Counter));
        using var instance = module.Instantiate(new BackendInstanceOptions());
        var error = Assert.Throws<WasmTrapException>(() => module.GetInvoker("div")!.Invoke(instance, [1, 0]))!;
        Assert.That(error.Code, Is.EqualTo(TrapCode.IntegerDivideByZero));
        Assert.That(error.InnerException, Is.InstanceOf<global::Wasmtime.TrapException>());
        Assert.That(instance.HasTrapped, Is.True);
    }

    [Test]
    public void CompileErrorsMapToFormatAndValidationExceptions()
    {
        using var backend = new WasmtimeBackend(new WasmtimeBackendOptions { UsePoolingAllocator = false });
        var format = Assert.Throws<WasmFormatException>(() => backend.Compile([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 99]))!;
        Assert.That(format.InnerException, Is.InstanceOf<global::Wasmtime.WasmtimeException>());
        var invalid = Assert.Throws<WasmValidationException>(() => backend.Compile(
            // (func (result i32)) with an empty body: well-formed, invalid (nothing on the stack for the result).
            [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 5, 1, 0x60, 0, 1, 0x7f, 3, 2, 1, 0, 10, 4, 1, 2, 0, 0x0b]))!;
        Assert.That(invalid.InnerException, Is.InstanceOf<global::Wasmtime.WasmtimeException>());
    }

    [Test]
    public void MissingImportsAreLinkErrors()
    {
        using var backend = new WasmtimeBackend(new WasmtimeBackendOptions { UsePoolingAllocator = false });
        var module = backend.Compile(Wat.ToWasm("""(module (import "env" "f" (func)))"""));
        Assert.That(module.FindUnresolvedImports(BackendImports.None).Single().Name, Is.EqualTo("f"));
        var error = Assert.Throws<WasmLinkException>(() => module.Instantiate(new BackendInstanceOptions()))!;
        Assert.That(error.InnerException, Is.InstanceOf<global::Wasmtime.WasmtimeException>());
    }

    [Test]
    public void AnInterruptRequestStopsARunningGuestThroughTheEpochTicker()
    {
        using var backend = new WasmtimeBackend(new WasmtimeBackendOptions { UsePoolingAllocator = false });
        var module = backend.Compile(Wat.ToWasm(Counter));
        using var instance = module.Instantiate(new BackendInstanceOptions());
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        using (instance.InterruptOn(cancellation.Token))
        {
            var error = Assert.Throws<WasmTrapException>(() => module.GetInvoker("spin")!.Invoke(instance, []))!;
            Assert.That(error.Code, Is.EqualTo(TrapCode.Interrupted));
        }
    }

    [Test]
    public void TheCompileCacheReusesEntriesAndRecompilesCorruptOnes()
    {
        var directory = Directory.CreateTempSubdirectory("wasmkit-wt-cache-").FullName;
        try
        {
            byte[] bytes = Wat.ToWasm(Counter);
            var options = new WasmtimeBackendOptions { UsePoolingAllocator = false, CompileCacheDirectory = directory };
            using (var first = new WasmtimeBackend(options))
            {
                first.Compile(bytes);
                Assert.That((first.CompileCacheHits, first.CompileCacheMisses), Is.EqualTo((0L, 1L)));
            }
            using (var second = new WasmtimeBackend(options))
            {
                var module = second.Compile(bytes);
                Assert.That((second.CompileCacheHits, second.CompileCacheMisses), Is.EqualTo((1L, 0L)));
                using var instance = module.Instantiate(new BackendInstanceOptions());
                Assert.That(module.GetInvoker("bump")!.Invoke(instance, []), Is.EqualTo(1));
            }
            var entry = Directory.GetFiles(directory).Single();
            var corrupt = File.ReadAllBytes(entry);
            corrupt[^10] ^= 0xFF;
            File.WriteAllBytes(entry, corrupt);
            using (var third = new WasmtimeBackend(options))
            {
                var module = third.Compile(bytes);
                Assert.That((third.CompileCacheHits, third.CompileCacheMisses), Is.EqualTo((0L, 1L)), "a corrupt entry is compiled again");
                using var instance = module.Instantiate(new BackendInstanceOptions());
                Assert.That(module.GetInvoker("bump")!.Invoke(instance, []), Is.EqualTo(1));
            }
            var otherConfiguration = new WasmtimeBackendOptions { UsePoolingAllocator = false, ConsumeFuel = false, CompileCacheDirectory = directory };
            using (var fourth = new WasmtimeBackend(otherConfiguration))
            {
                fourth.Compile(bytes);
                Assert.That(fourth.CompileCacheMisses, Is.EqualTo(1), "another configuration has entries of its own");
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public void TypedExportCallsAllocateNothing()
    {
        using var backend = new WasmtimeBackend(new WasmtimeBackendOptions { UsePoolingAllocator = false });
        var module = backend.Compile(Wat.ToWasm(Counter));
        using var instance = module.Instantiate(new BackendInstanceOptions());
        var div = module.GetInvoker("div")!;
        // A whole warm-up round: only the steady state is measured.
        for (int i = 0; i < 1000; i++) div.Invoke(instance, [6, 3]);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) div.Invoke(instance, [6, 3]);
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    [Test]
    public void HostFunctionsSeeMemoryTheGuestGrewDuringTheCall()
    {
        using var backend = new WasmtimeBackend(new WasmtimeBackendOptions { PoolingMaximumInstances = 4, PoolingMaximumMemoryPages = 4 });
        var module = backend.Compile(Wat.ToWasm("""
            (module
              (import "host" "peek" (func $peek (param i32) (result i32)))
              (memory (export "memory") 1 4)
              (func (export "grow_and_peek") (result i32)
                (drop (memory.grow (i32.const 2)))
                (i32.store (i32.const 131080) (i32.const 42))
                (call $peek (i32.const 131080))))
            """));
        var peek = new HostFunctionDefinition("host", "peek", new FunctionType([ValueKind.Int32], [ValueKind.Int32]),
            static (context, arguments, results) =>
                results[0] = (uint)BitConverter.ToInt32(context.Memory.Slice((int)arguments[0], 4)));
        using var instance = module.Instantiate(new BackendInstanceOptions { Imports = new BackendImports { HostFunctions = [peek] } });
        Assert.That(module.GetInvoker("grow_and_peek")!.Invoke(instance, []), Is.EqualTo(42));
        Assert.That(instance.MemoryLength, Is.EqualTo(3 * 65536));
    }
}
