using System.Runtime.CompilerServices;
using WasmKit.Pooling;

namespace WasmKit.Udf;

/// <summary>One registered module version: its limits, its lazily created instance pool and the per-instance bindings.</summary>
internal sealed class UdfModuleHost : IDisposable
{
    private readonly Linker _linker;
    private readonly object _poolLock = new();
    private readonly ConditionalWeakTable<Instance, UdfInstanceBinding> _bindings = new();
    private readonly int _maximumInstances;
    private InstancePool? _pool;
    private bool _disposed;

    public UdfModuleHost(Module module, Linker linker, UdfLimits limits, int maximumInstances)
    {
        Module = module;
        _linker = linker;
        Limits = limits;
        _maximumInstances = maximumInstances;
        var options = module.Engine.Options;
        Fuel = options.ConsumeFuel ? limits.Fuel ?? long.MaxValue : null;
        Timeout = options.Interruptible && limits.Timeout is { } t && t > TimeSpan.Zero ? t : null;
    }

    public Module Module { get; }

    public UdfLimits Limits { get; }

    /// <summary>Fuel set before each evaluation, when the engine consumes fuel.</summary>
    public long? Fuel { get; }

    /// <summary>The timeout of each evaluation, when the engine is interruptible.</summary>
    public TimeSpan? Timeout { get; }

    /// <summary>How many registered UDFs use this module (guarded by the registry's lock).</summary>
    public int EntryCount { get; set; }

    /// <summary>The next free slot for an entry's per-instance delegate (guarded by the registry's lock).</summary>
    public int NextSlot { get; set; }

    public InstancePool Pool => Volatile.Read(ref _pool) ?? CreatePool();

    private InstancePool CreatePool()
    {
        lock (_poolLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _pool ??= new InstancePool(Module, _linker, new InstancePoolOptions
            {
                MaximumInstances = _maximumInstances,
                StoreLimits = Limits.MemoryPages is uint pages ? new StoreLimits { MaxMemoryPages = pages } : null,
                FuelPerRent = Fuel,
                StoreData = PrepareStore,
            });
        }
    }

    /// <summary>Gives each new pooled store its document context, and fuel for the module's start function.</summary>
    private object? PrepareStore(Store store)
    {
        // The pool sets fuel at each rent, after instantiation; a start function running before that needs some too.
        if (Fuel is long fuel) store.Fuel = fuel;
        return new DocumentContext();
    }

    public PooledInstance Rent() => Pool.Rent();

    public UdfInstanceBinding Bind(Instance instance) =>
        _bindings.TryGetValue(instance, out var binding) ? binding : _bindings.GetValue(instance, static i => new UdfInstanceBinding(i));

    public void Dispose()
    {
        lock (_poolLock)
        {
            _disposed = true;
            _pool?.Dispose();
        }
    }
}
