using WasmKit.Backends;
using WasmKit.Backends.Managed;

namespace WasmKit.Pooling;

/// <summary>
/// One rent of an instance from an <see cref="InstancePool"/>, with its own store. Use it from one
/// thread, then dispose it (or pass it to <see cref="InstancePool.Return"/>) to give the instance back.
/// Each rent gets a new handle: after the return this one throws <see cref="ObjectDisposedException"/>,
/// so it can never reach the instance while someone else rents it.
/// </summary>
public sealed class PooledInstance : IDisposable
{
    private readonly InstancePool _pool;
    private PooledInstanceState? _state;

    internal PooledInstance(InstancePool pool, PooledInstanceState state)
    {
        _pool = pool;
        _state = state;
    }

    /// <summary>The backend's instance, in its freshly instantiated state at the start of each rent.</summary>
    /// <exception cref="ObjectDisposedException">The rent was returned.</exception>
    public IBackendInstance BackendInstance => Live.Instance!;

    /// <summary>The managed engine's instance, in its freshly instantiated state at the start of each rent.</summary>
    /// <exception cref="ObjectDisposedException">The rent was returned.</exception>
    /// <exception cref="NotSupportedException">The pool runs on another backend than the managed engine (use <see cref="BackendInstance"/>).</exception>
    public Instance Instance => Managed.Instance;

    /// <summary>The managed engine's store of the instance; its <see cref="Store.Data"/> comes from <see cref="InstancePoolOptions.StoreData"/>.</summary>
    /// <exception cref="ObjectDisposedException">The rent was returned.</exception>
    /// <exception cref="NotSupportedException">The pool runs on another backend than the managed engine (use <see cref="BackendInstance"/>).</exception>
    public Store Store => Managed.Store;

    /// <summary>
    /// Free for the caller's per-instance state that should survive returns, such as typed export
    /// delegates built once per instance. Unlike guest state, it is not reset.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The rent was returned.</exception>
    public object? Tag
    {
        get => Live.Tag;
        set => Live.Tag = value;
    }

    /// <summary>Whether <see cref="MarkBroken"/> was called during this rent.</summary>
    public bool IsBroken { get; private set; }

    /// <summary>Asks the pool to discard the instance on return instead of reusing it.</summary>
    public void MarkBroken() => IsBroken = true;

    /// <summary>Gives the instance back to its pool; later calls do nothing.</summary>
    public void Dispose() => _pool.Return(this);

    internal InstancePool Pool => _pool;

    /// <summary>Ends the rent; null when it had ended already (a second dispose).</summary>
    internal PooledInstanceState? TryEndRent() => Interlocked.Exchange(ref _state, null);

    private ManagedBackendInstance Managed => Live.Instance as ManagedBackendInstance ?? throw NotManaged();

    // Out of line, so that the managed accessors stay small.
    private NotSupportedException NotManaged() =>
        new($"The pool runs on the {Live.Instance!.Module.Backend.Name} backend: use BackendInstance.");

    private PooledInstanceState Live =>
        Volatile.Read(ref _state) ?? throw new ObjectDisposedException(nameof(PooledInstance), "This rent was returned to its pool: rent the instance again.");
}
