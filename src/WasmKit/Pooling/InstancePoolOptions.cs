namespace WasmKit.Pooling;

/// <summary>How an <see cref="InstancePool"/> sizes, limits and prepares its instances.</summary>
public sealed class InstancePoolOptions
{
    /// <summary>The most live instances (rented plus idle); renting beyond it waits for a return.</summary>
    public int MaximumInstances { get; init; } = Environment.ProcessorCount * 2;

    /// <summary>How many instances the pool creates up front.</summary>
    public int PrewarmCount { get; init; }

    /// <summary>How long an instance may sit idle before <see cref="InstancePool.TrimIdle"/> drops it.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The limits of each pooled instance's store, or <see langword="null"/> for none. Used by the managed constructor (<see cref="InstancePool(Module, Linker, InstancePoolOptions?)"/>); with a backend, the <see cref="WasmKit.Backends.BackendInstanceOptions"/> carry the limits.</summary>
    public StoreLimits? StoreLimits { get; init; }

    /// <summary>The fuel each rent starts with, when the backend consumes fuel (<see cref="WasmKit.Backends.BackendCapabilities.SupportsFuel"/>).</summary>
    public long? FuelPerRent { get; init; }

    /// <summary>
    /// Makes the <see cref="Store.Data"/> of each new pooled store (e.g. a <c>DocumentContext</c>). Data that
    /// implements <see cref="Microsoft.Extensions.ObjectPool.IResettable"/> is reset on every return. Used by the managed
    /// constructor; with a backend, <see cref="WasmKit.Backends.BackendInstanceOptions.CreateHostState"/> makes the host state.
    /// </summary>
    public Func<Store, object?>? StoreData { get; init; }

    /// <summary>
    /// The most guest linear memory, in bytes, the pool's live instances (rented and idle) may hold together; null for no cap.
    /// A rent that needs a new instance when the total leaves no room for one follows <see cref="WhenMemoryCapReached"/>.
    /// </summary>
    /// <remarks>
    /// An instance counts with its memory size when it is created and when it comes back (memory grown during a rent counts
    /// from its return; bound growth within a rent with <see cref="WasmKit.Backends.BackendInstanceOptions.MaximumMemoryPages"/>
    /// or <see cref="WasmKit.StoreLimits.MaxMemoryPages"/>). An instance that comes back while the total is over the cap is discarded.
    /// </remarks>
    public long? MaxTotalMemoryBytes { get; init; }

    /// <summary>Whether a rent at <see cref="MaxTotalMemoryBytes"/> waits for a return or fails with <see cref="InstancePoolExhaustedException"/>. Default: wait.</summary>
    public MemoryCapPolicy WhenMemoryCapReached { get; init; } = MemoryCapPolicy.Wait;
}
