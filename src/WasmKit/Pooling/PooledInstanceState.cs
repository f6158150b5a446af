using WasmKit.Backends;

namespace WasmKit.Pooling;

/// <summary>
/// What an <see cref="InstancePool"/> keeps per live instance: the backend's instance and the caller's
/// tag. Renters never see it directly: each rent gets a <see cref="PooledInstance"/> handle of its own,
/// so a handle kept past its return cannot reach the next renter.
/// </summary>
internal sealed class PooledInstanceState
{
    public IBackendInstance? Instance { get; private set; }

    /// <summary>The caller's per-instance state (see <see cref="PooledInstance.Tag"/>).</summary>
    public object? Tag { get; set; }

    public bool IsInstantiated => Instance is not null;

    /// <summary>When the instance last went idle, in <see cref="Environment.TickCount64"/> milliseconds.</summary>
    public long IdleSince;

    /// <summary>The guest memory this instance counts for against the pool's memory cap, in bytes.</summary>
    public long ChargedBytes;

    public void Instantiate(IBackendModule module, BackendInstanceOptions options) => Instance = module.Instantiate(options);

    public void Release()
    {
        // Gives the instance's memory back now rather than at some later finalization.
        Instance?.Dispose();
        Instance = null;
        Tag = null;
    }
}
