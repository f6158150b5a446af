namespace WasmKit.Pooling;

/// <summary>
/// An instance rented from an <see cref="InstancePool"/>, with its own store. Use it from one thread,
/// then dispose it (or pass it to <see cref="InstancePool.Return"/>) to give it back; do not touch it
/// after that. The same object is handed out again by later rents.
/// </summary>
public sealed class PooledInstance : IDisposable
{
    private readonly InstancePool _pool;
    private Instance? _instance;
    private Store? _store;
    private int _rented;

    internal PooledInstance(InstancePool pool) => _pool = pool;

    /// <summary>The instance, in its freshly instantiated state at the start of each rent.</summary>
    public Instance Instance => _instance ?? throw new InvalidOperationException("The pooled instance was discarded.");

    /// <summary>The instance's own store; its <see cref="Store.Data"/> comes from <see cref="InstancePoolOptions.StoreData"/>.</summary>
    public Store Store => _store ?? throw new InvalidOperationException("The pooled instance was discarded.");

    /// <summary>
    /// Free for the caller's per-instance state that should survive returns, such as typed export
    /// delegates built once per instance. Unlike guest state, it is not reset.
    /// </summary>
    public object? Tag { get; set; }

    /// <summary>Whether <see cref="MarkBroken"/> was called during this rent.</summary>
    public bool IsBroken { get; private set; }

    internal bool IsInstantiated => _instance is not null;

    /// <summary>When the instance last went idle, in <see cref="Environment.TickCount64"/> milliseconds.</summary>
    internal long IdleSince;

    /// <summary>Asks the pool to discard the instance on return instead of reusing it.</summary>
    public void MarkBroken() => IsBroken = true;

    /// <summary>Gives the instance back to its pool; later calls do nothing.</summary>
    public void Dispose() => _pool.Return(this);

    internal InstancePool Pool => _pool;

    internal void Instantiate(Module module, Linker linker, InstancePoolOptions options)
    {
        var store = new Store(module.Engine, options.StoreLimits);
        // The start function runs during instantiation, so it needs its fuel already.
        if (options.FuelPerRent is long fuel && module.Engine.Options.ConsumeFuel) store.Fuel = fuel;
        try
        {
            if (options.StoreData is { } makeData) store.Data = makeData(store);
            _instance = linker.Instantiate(store, module);
        }
        catch
        {
            store.Dispose();
            throw;
        }
        _store = store;
    }

    internal void BeginRent()
    {
        Volatile.Write(ref _rented, 1);
        IsBroken = false;
    }

    /// <summary>Ends the current rent; false when it had ended already (a second dispose).</summary>
    internal bool TryEndRent() => Interlocked.Exchange(ref _rented, 0) == 1;

    internal void Release()
    {
        // Gives the instance's memory back now rather than at some later finalization.
        _store?.Dispose();
        _instance = null;
        _store = null;
        Tag = null;
    }
}
