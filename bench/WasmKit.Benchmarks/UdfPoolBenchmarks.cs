using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.ObjectPool;
using WasmKit.Pooling;
using WasmKit.Backends;
using WasmKit.Udf;
using WasmKit.Wasmtime;

namespace WasmKit.Benchmarks;

/// <summary>
/// Renting and returning a pooled 1-page instance (the return resets it to its instantiated state) vs
/// Microsoft.Extensions.ObjectPool with a plain object. "Touched" writes one byte first, so the reset has
/// one dirty chunk of memory to restore. The Wasmtime* methods do the same through the backend seam on a
/// <see cref="WasmtimeBackend"/> (issue 11's goal: at most 5 µs), each in its own process.
/// </summary>
[MemoryDiagnoser]
public class UdfPoolBenchmarks
{
    private InstancePool _pool = null!;
    private ObjectPool<object> _objects = null!;
    // The typed delegate of each instance's touch export, looked up once (a lookup per rent would dominate).
    private readonly Dictionary<Instance, Action> _touch = [];
    private WasmtimeBackend? _wasmtime;
    private InstancePool? _wasmtimePool;
    private ExportInvoker? _wasmtimeTouch;

    [GlobalSetup(Targets = [nameof(ObjectPoolPlainObject), nameof(RentResetReturn), nameof(RentTouchResetReturn)])]
    public void Setup()
    {
        var engine = new Engine(new EngineOptions { ResettableInstances = true });
        var linker = new Linker(engine);
        DocumentHostFunctions.Define(linker);
        var module = Module.FromBytes(engine, UdfBenchmarkSupport.Wat(UdfBenchmarkSupport.TinyUdfText));
        _pool = new InstancePool(module, linker, new InstancePoolOptions { MaximumInstances = 2, StoreData = _ => new DocumentContext() });
        _pool.Prewarm(1);
        _objects = new DefaultObjectPoolProvider().Create<object>();
    }

    [GlobalSetup(Targets = [nameof(WasmtimeRentResetReturn), nameof(WasmtimeRentTouchResetReturn)])]
    public void SetupWasmtime()
    {
        Setup();
        _wasmtime = new WasmtimeBackend();
        var module = _wasmtime.Compile(UdfBenchmarkSupport.Wat(UdfBenchmarkSupport.TinyUdfText), "tiny");
        _wasmtimeTouch = module.GetInvoker("touch")!;
        _wasmtimePool = new InstancePool(module, new BackendInstanceOptions
        {
            Imports = new BackendImports { HostFunctions = DocumentHostFunctions.Definitions },
            CreateHostState = _ => new DocumentContext(),
        }, new InstancePoolOptions { MaximumInstances = 2 });
        _wasmtimePool.Prewarm(1);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _pool.Dispose();
        _wasmtimePool?.Dispose();
        _wasmtime?.Dispose();
    }

    [Benchmark(Baseline = true)]
    public object ObjectPoolPlainObject()
    {
        var item = _objects.Get();
        _objects.Return(item);
        return item;
    }

    [Benchmark]
    public Instance RentResetReturn()
    {
        var pooled = _pool.Rent();
        var instance = pooled.Instance;
        _pool.Return(pooled);
        return instance;
    }

    [Benchmark]
    public Instance RentTouchResetReturn()
    {
        var pooled = _pool.Rent();
        var instance = pooled.Instance;
        if (!_touch.TryGetValue(instance, out var touch)) _touch[instance] = touch = instance.GetAction("touch")!;
        touch();
        _pool.Return(pooled);
        return instance;
    }

    [Benchmark]
    public IBackendInstance WasmtimeRentResetReturn()
    {
        using var rented = _wasmtimePool!.Rent();
        return rented.BackendInstance;
    }

    [Benchmark]
    public IBackendInstance WasmtimeRentTouchResetReturn()
    {
        using var rented = _wasmtimePool!.Rent();
        _wasmtimeTouch!.Invoke(rented.BackendInstance, []);
        return rented.BackendInstance;
    }
}
