using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.ObjectPool;
using WasmKit.Pooling;
using WasmKit.Udf;

namespace WasmKit.Benchmarks;

/// <summary>
/// Renting and returning a pooled 1-page instance (the return resets it to its instantiated state) vs
/// Microsoft.Extensions.ObjectPool with a plain object. "Touched" writes one byte first, so the reset has
/// one dirty chunk of memory to restore.
/// </summary>
[MemoryDiagnoser]
public class UdfPoolBenchmarks
{
    private InstancePool _pool = null!;
    private ObjectPool<object> _objects = null!;
    // The typed delegate of each instance's touch export, looked up once (a lookup per rent would dominate).
    private readonly Dictionary<Instance, Action> _touch = [];

    [GlobalSetup]
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

    [GlobalCleanup]
    public void Cleanup() => _pool.Dispose();

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
}
