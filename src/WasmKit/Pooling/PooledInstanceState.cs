namespace WasmKit.Pooling;

/// <summary>
/// What an <see cref="InstancePool"/> keeps per live instance: the instance, its store and the caller's
/// tag. Renters never see it directly: each rent gets a <see cref="PooledInstance"/> handle of its own,
/// so a handle kept past its return cannot reach the next renter.
/// </summary>
internal sealed class PooledInstanceState
{
    public Instance? Instance { get; private set; }

    public Store? Store { get; private set; }

    /// <summary>The caller's per-instance state (see <see cref="PooledInstance.Tag"/>).</summary>
    public object? Tag { get; set; }

    public bool IsInstantiated => Instance is not null;

    /// <summary>When the instance last went idle, in <see cref="Environment.TickCount64"/> milliseconds.</summary>
    public long IdleSince;

    public void Instantiate(Module module, Linker linker, InstancePoolOptions options)
    {
        var store = new Store(module.Engine, options.StoreLimits);
        // The start function runs during instantiation, so it needs its fuel already.
        if (options.FuelPerRent is long fuel && module.Engine.Options.ConsumeFuel) store.Fuel = fuel;
        try
        {
            if (options.StoreData is { } makeData) store.Data = makeData(store);
            Instance = linker.Instantiate(store, module);
        }
        catch
        {
            store.Dispose();
            throw;
        }
        finally
        {
            options.InstantiationFinished?.Invoke(store);
        }
        Store = store;
    }

    public void Release()
    {
        // Gives the instance's memory back now rather than at some later finalization.
        Store?.Dispose();
        Instance = null;
        Store = null;
        Tag = null;
    }
}
