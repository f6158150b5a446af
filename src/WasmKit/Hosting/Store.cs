using WasmKit.Runtime;

namespace WasmKit;

/// <summary>
/// A group of instances and host objects that may reference each other, with shared limits, fuel and
/// interruption. A store and what it holds are not thread-safe: use a store from one thread at a
/// time. Only <see cref="Interrupt"/> may be called from any thread.
/// </summary>
/// <remarks>
/// The linear memories of a store (its instances' and those the host creates) are native memory.
/// <see cref="Dispose"/> gives it back at once; a store that is never disposed has it released by
/// the finalizer after the store and its objects become unreachable. After disposal, host access to
/// those memories throws <see cref="ObjectDisposedException"/> and guest code that touches them traps
/// with <see cref="TrapCode.MemoryOutOfBounds"/>. Do not dispose a store while one of its calls runs
/// on another thread.
/// </remarks>
public sealed class Store : IDisposable
{
    // Every memory created in this store, released together by Dispose.
    private readonly List<Memory> _memories = [];
    // Pending InterruptAfter deadlines fire only within the epoch they were set in.
    private int _interruptEpoch;

    /// <summary>Creates a store.</summary>
    /// <param name="engine">The engine whose modules this store instantiates.</param>
    /// <param name="limits">Resource limits for the store's memories, tables and stack.</param>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="StoreLimits.MaxStackBytes"/> is negative.</exception>
    public Store(Engine engine, StoreLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        limits ??= StoreLimits.None;
        if (limits.MaxStackBytes < 0)
            throw new ArgumentOutOfRangeException(nameof(limits), limits.MaxStackBytes, "MaxStackBytes must not be negative.");
        Engine = engine;
        Limits = limits;
        State.MaxStackBytes = limits.MaxStackBytes;
        State.MetersFuel = engine.Options.ConsumeFuel;
        State.Interruptible = engine.Options.Interruptible;
    }

    /// <summary>The engine this store belongs to.</summary>
    public Engine Engine { get; }

    /// <summary>The store's resource limits.</summary>
    public StoreLimits Limits { get; }

    /// <summary>Host data attached to the store, free for the application's use.</summary>
    public object? Data { get; set; }

    /// <summary>The fuel left for guest code; each function call and loop iteration takes one unit.</summary>
    /// <exception cref="InvalidOperationException">The engine was not created with <see cref="EngineOptions.ConsumeFuel"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Setting a negative amount.</exception>
    public long Fuel
    {
        get
        {
            RequireFuel();
            return State.Fuel;
        }
        set
        {
            RequireFuel();
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            State.Fuel = value;
        }
    }

    internal ExecutionState State { get; } = new();

    /// <summary>
    /// The WASI state of this store's instance when WASI is per instance (the managed backend's <see cref="Backends.BackendImports.Wasi"/>):
    /// the WASI functions of such a linker act on it. Owned by whoever set it.
    /// </summary>
    internal Wasi.WasiContext? Wasi { get; set; }

    /// <summary>Whether <see cref="Dispose"/> was called.</summary>
    public bool IsDisposed { get; private set; }

    /// <summary>
    /// Releases the native memory of every memory in the store. Instances, tables and globals stay
    /// reachable, but the memories are empty from then on and the store creates nothing new. Calling
    /// it again does nothing.
    /// </summary>
    public void Dispose()
    {
        if (IsDisposed) return;
        IsDisposed = true;
        foreach (var memory in _memories) memory.Release();
        _memories.Clear();
    }

    /// <summary>Takes a new memory into the store, to be released with it.</summary>
    internal void Adopt(Memory memory) => _memories.Add(memory);

    /// <summary>
    /// Asks the guest running in this store to stop at its next function call or loop iteration, with
    /// <see cref="TrapCode.Interrupted"/>; if none is running, the next call into the store traps. Thread-safe.
    /// </summary>
    /// <exception cref="InvalidOperationException">The engine was not created with <see cref="EngineOptions.Interruptible"/>.</exception>
    public void Interrupt()
    {
        RequireInterruptible();
        State.InterruptRequested = 1;
    }

    /// <summary>Interrupts the guest when <paramref name="token"/> is cancelled.</summary>
    /// <param name="token">The token to watch.</param>
    /// <returns>Dispose it to stop watching.</returns>
    /// <exception cref="InvalidOperationException">The engine was not created with <see cref="EngineOptions.Interruptible"/>.</exception>
    public IDisposable InterruptOn(CancellationToken token)
    {
        RequireInterruptible();
        return token.Register(static s => RequestInterrupt(s), (this, Volatile.Read(ref _interruptEpoch)));
    }

    /// <summary>Interrupts the guest once <paramref name="timeout"/> has passed, unless the result is disposed first.</summary>
    /// <param name="timeout">How long the guest may run.</param>
    /// <returns>Dispose it to cancel the deadline.</returns>
    /// <exception cref="InvalidOperationException">The engine was not created with <see cref="EngineOptions.Interruptible"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative.</exception>
    public IDisposable InterruptAfter(TimeSpan timeout)
    {
        RequireInterruptible();
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero);
        return new Timer(static s => RequestInterrupt(s), (this, Volatile.Read(ref _interruptEpoch)), timeout, Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// Fires a deadline or token set up in one epoch (a boxed (store, epoch) pair): a request that outlived its
    /// epoch (CancelPendingInterrupts, at a pool's return) is dropped.
    /// </summary>
    private static void RequestInterrupt(object? state)
    {
        var (store, epoch) = ((Store, int))state!;
        if (Volatile.Read(ref store._interruptEpoch) == epoch) store.State.InterruptRequested = 1;
    }

    /// <summary>
    /// Withdraws an interrupt request and every <see cref="InterruptAfter"/> deadline and <see cref="InterruptOn"/> token still pending, so that
    /// they cannot hit whoever uses the store next (an instance pool calls this when a rent ends).
    /// </summary>
    internal void CancelPendingInterrupts()
    {
        Interlocked.Increment(ref _interruptEpoch);
        State.InterruptRequested = 0;
    }

    private void RequireFuel()
    {
        if (!Engine.Options.ConsumeFuel) throw new InvalidOperationException("Fuel needs an engine created with EngineOptions.ConsumeFuel.");
    }

    private void RequireInterruptible()
    {
        if (!Engine.Options.Interruptible) throw new InvalidOperationException("Interruption needs an engine created with EngineOptions.Interruptible.");
    }
}
