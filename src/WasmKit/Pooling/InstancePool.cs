using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.ObjectPool;
using WasmKit.Backends;
using WasmKit.Backends.Managed;

namespace WasmKit.Pooling;

/// <summary>
/// A thread-safe pool of instances of one module, each in its own store, reset to its freshly
/// instantiated state on every return so that nothing of one rent is visible to the next. At most
/// <see cref="InstancePoolOptions.MaximumInstances"/> instances live at once; renting beyond that waits. With
/// <see cref="InstancePoolOptions.MaxTotalMemoryBytes"/>, the instances' guest memory is capped too: a rent that needs a
/// new instance beyond it waits for a return or fails with <see cref="InstancePoolExhaustedException"/>.
/// Instances that trapped or were marked broken are discarded rather than reused. The pool works on any
/// backend (<see cref="IBackendModule"/>); the constructor taking a <see cref="Module"/> and a <see cref="Linker"/> means the managed engine.
/// </summary>
/// <remarks>
/// Idle instances sit in a <see cref="DefaultObjectPool{T}"/>. A gate with one slot per allowed
/// instance (lock-free when a slot is free) bounds the renters (and is what they wait on); a renter takes a slot, then an idle instance
/// or, if there is none, a new one, counted against the cap on live instances. No lock is held while
/// guest code runs.
/// </remarks>
public sealed class InstancePool : IDisposable
{
    private readonly BackendInstanceOptions _instanceOptions;
    private readonly InstancePoolOptions _options;
    private readonly DefaultObjectPool<PooledInstanceState> _idle;
    private readonly SlotGate _slots;
    private readonly bool _setFuel;
    // The memory cap: null without one; a new instance is first counted with its module's initial memory.
    private readonly long? _memoryCap;
    private readonly long _initialMemoryBytes;
    private readonly ReturnSignal _memoryFreed = new();
    private int _disposed;

    /// <summary>Creates a pool of a managed module and pre-warms <see cref="InstancePoolOptions.PrewarmCount"/> instances.</summary>
    /// <param name="module">The module to instantiate.</param>
    /// <param name="linker">Resolves the module's imports for every pooled instance. WASI defined on it (<see cref="Wasi.WasiLinkerExtensions.DefineWasi(Linker, Wasi.WasiConfiguration)"/>)
    /// is one program state shared by every pooled instance and never reset; for WASI per instance and per rent, use the
    /// seam's constructor with <see cref="BackendImports.Wasi"/>.</param>
    /// <param name="options">Sizes and limits (including <see cref="InstancePoolOptions.StoreLimits"/> and <see cref="InstancePoolOptions.StoreData"/>); defaults when null.</param>
    /// <exception cref="ArgumentException">The module's engine was not created with <see cref="EngineOptions.ResettableInstances"/>, the linker belongs to another engine, or an option is out of range.</exception>
    /// <exception cref="WasmLinkException">Pre-warming failed to link the module.</exception>
    public InstancePool(Module module, Linker linker, InstancePoolOptions? options = null)
        : this(ManagedModule(module, linker), ManagedInstanceOptions(module, linker, options), options, nameof(module))
    {
    }

    /// <summary>Creates a pool of a module of any backend and pre-warms <see cref="InstancePoolOptions.PrewarmCount"/> instances.</summary>
    /// <param name="module">The module to instantiate.</param>
    /// <param name="instanceOptions">How every pooled instance is made: imports, limits, host state (data implementing <see cref="IResettable"/> is reset on every return).</param>
    /// <param name="options">Sizes and per-rent fuel; defaults when null. <see cref="InstancePoolOptions.StoreLimits"/> and <see cref="InstancePoolOptions.StoreData"/> do not apply here.</param>
    /// <exception cref="ArgumentException">The backend cannot reset instances (<see cref="BackendCapabilities.SupportsReset"/>), or an option is out of range.</exception>
    /// <exception cref="WasmLinkException">Pre-warming failed to link the module.</exception>
    public InstancePool(IBackendModule module, BackendInstanceOptions instanceOptions, InstancePoolOptions? options = null)
        : this(module, instanceOptions, options, nameof(module))
    {
    }

    private InstancePool(IBackendModule module, BackendInstanceOptions instanceOptions, InstancePoolOptions? options, string moduleParameter)
    {
        ArgumentNullException.ThrowIfNull(module, moduleParameter);
        ArgumentNullException.ThrowIfNull(instanceOptions);
        options ??= new InstancePoolOptions();
        var capabilities = module.Backend.Capabilities;
        if (!capabilities.SupportsReset)
            throw new ArgumentException(module.Backend is ManagedBackend
                ? "Pooling needs an engine created with EngineOptions.ResettableInstances = true."
                : $"Pooling needs a backend that resets instances; the {module.Backend.Name} backend does not.", moduleParameter);
        if (options.MaximumInstances < 1)
            throw new ArgumentException($"MaximumInstances must be at least 1, not {options.MaximumInstances}.", nameof(options));
        if (options.PrewarmCount < 0)
            throw new ArgumentException($"PrewarmCount must not be negative, not {options.PrewarmCount}.", nameof(options));
        if (options.IdleTimeout < TimeSpan.Zero)
            throw new ArgumentException("IdleTimeout must not be negative.", nameof(options));
        if (options.FuelPerRent < 0)
            throw new ArgumentException("FuelPerRent must not be negative.", nameof(options));
        _initialMemoryBytes = module.Memories.Count > 0 ? module.Memories[0].Limits.Minimum * (long)WasmPageBytes : 0;
        if (options.MaxTotalMemoryBytes is long cap && (cap < 0 || cap < _initialMemoryBytes))
            throw new ArgumentException(
                $"MaxTotalMemoryBytes ({cap}) must leave room for one instance of module '{module.Name}', whose memory starts at {_initialMemoryBytes} bytes.", nameof(options));
        if (!Enum.IsDefined(options.WhenMemoryCapReached))
            throw new ArgumentException($"WhenMemoryCapReached {options.WhenMemoryCapReached} is not defined.", nameof(options));
        _memoryCap = options.MaxTotalMemoryBytes;
        BackendModule = module;
        _instanceOptions = instanceOptions;
        _options = options;
        _setFuel = options.FuelPerRent is not null && capabilities.SupportsFuel;
        // The slots keep the live count within the cap, so the idle pool can never overflow; the
        // margin only guards against counting slips.
        _idle = new DefaultObjectPool<PooledInstanceState>(new ShellPolicy(), options.MaximumInstances * 2);
        _slots = new SlotGate(options.MaximumInstances);
        if (options.PrewarmCount > 0) Prewarm(options.PrewarmCount);
    }

    private const int WasmPageBytes = 64 * 1024;

    /// <summary>The module the pool instantiates.</summary>
    public IBackendModule BackendModule { get; }

    /// <summary>The managed engine's module the pool instantiates.</summary>
    /// <exception cref="NotSupportedException">The pool runs on another backend (use <see cref="BackendModule"/>).</exception>
    public Module Module => (BackendModule as ManagedBackendModule)?.Module
        ?? throw new NotSupportedException($"The pool runs on the {BackendModule.Backend.Name} backend: use BackendModule.");

    /// <summary>Counters of rents, returns, creations, resets and discards, and the current live, idle and waiting counts.</summary>
    public InstancePoolMetrics Metrics { get; } = new();

    private bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>Rents an instance if one is idle or the cap leaves room for a new one; never waits.</summary>
    /// <param name="instance">The instance, when the method returns <see langword="true"/>; dispose it to give it back.</param>
    /// <returns>Whether an instance was rented.</returns>
    /// <exception cref="ObjectDisposedException">The pool was disposed.</exception>
    /// <exception cref="WasmLinkException">A new instance could not be linked.</exception>
    public bool TryRent([NotNullWhen(true)] out PooledInstance? instance)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        instance = null;
        if (!_slots.TryEnter()) return false;
        instance = TakeWithSlot();
        if (instance is null) _slots.Exit(); // At the memory cap.
        return instance is not null;
    }

    /// <summary>Rents an instance, waiting while the pool is at its cap.</summary>
    /// <param name="timeout">How long to wait at the cap; null waits without limit.</param>
    /// <param name="cancellationToken">Stops the wait.</param>
    /// <returns>The instance; dispose it to give it back.</returns>
    /// <exception cref="TimeoutException">No instance became free within <paramref name="timeout"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting.</exception>
    /// <exception cref="ObjectDisposedException">The pool was disposed.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative.</exception>
    /// <exception cref="WasmLinkException">A new instance could not be linked.</exception>
    /// <exception cref="InstancePoolExhaustedException">At <see cref="InstancePoolOptions.MaxTotalMemoryBytes"/> under <see cref="MemoryCapPolicy.Reject"/>.</exception>
    public PooledInstance Rent(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        var wait = CheckTimeout(timeout);
        long start = _memoryCap is null ? 0 : Stopwatch.GetTimestamp(); // Only a wait at the memory cap needs it.
        if (!_slots.TryEnter())
        {
            cancellationToken.ThrowIfCancellationRequested();
            Interlocked.Increment(ref Metrics.WaitingCount);
            bool acquired;
            try
            {
                acquired = _slots.Enter(wait, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref Metrics.WaitingCount);
            }
            if (!acquired) throw TimedOut(wait);
        }
        return TakeWithSlot() ?? WaitForMemory(wait, start, cancellationToken);
    }

    /// <summary>Rents an instance, waiting asynchronously while the pool is at its cap.</summary>
    /// <param name="timeout">How long to wait at the cap; null waits without limit.</param>
    /// <param name="cancellationToken">Stops the wait.</param>
    /// <returns>The instance; dispose it to give it back. Completes synchronously when a slot is free.</returns>
    /// <exception cref="TimeoutException">No instance became free within <paramref name="timeout"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting.</exception>
    /// <exception cref="ObjectDisposedException">The pool was disposed.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative.</exception>
    /// <exception cref="WasmLinkException">A new instance could not be linked.</exception>
    /// <exception cref="InstancePoolExhaustedException">At <see cref="InstancePoolOptions.MaxTotalMemoryBytes"/> under <see cref="MemoryCapPolicy.Reject"/>.</exception>
    public ValueTask<PooledInstance> RentAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        var wait = CheckTimeout(timeout);
        long start = _memoryCap is null ? 0 : Stopwatch.GetTimestamp(); // Only a wait at the memory cap needs it.
        if (_slots.TryEnter())
        {
            if (TakeWithSlot() is { } rented) return new ValueTask<PooledInstance>(rented);
            return new ValueTask<PooledInstance>(WaitForMemoryAsync(wait, start, cancellationToken));
        }
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled<PooledInstance>(cancellationToken);
        return new ValueTask<PooledInstance>(WaitAndTakeAsync(wait, start, cancellationToken));
    }

    /// <summary>
    /// Gives a rented instance back: it is reset and kept for reuse, or discarded when it trapped, was
    /// marked broken, failed to reset, or the pool was disposed. A second return of the same rent does nothing.
    /// </summary>
    /// <param name="instance">The instance from <see cref="Rent"/> or <see cref="RentAsync"/>.</param>
    /// <exception cref="ArgumentException">The instance belongs to another pool.</exception>
    public void Return(PooledInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if (instance.Pool != this) throw new ArgumentException("The instance belongs to another pool.", nameof(instance));
        if (instance.TryEndRent() is not { } state) return;
        try
        {
            Interlocked.Increment(ref Metrics.ReturnedCount);
            if (IsDisposed || instance.IsBroken || !TryReset(state) || !Recount(state))
            {
                Interlocked.Increment(ref Metrics.ReturnDiscardedCount);
                Discard(state);
                return;
            }
            state.IdleSince = Environment.TickCount64;
            _idle.Return(state);
            // Disposal may have drained the idle pool while this instance was on its way back.
            if (IsDisposed) DrainIdle();
        }
        finally
        {
            _slots.Exit();
            // An idle instance, or the memory of a discarded one, for a renter waiting at the memory cap.
            if (_memoryCap is not null) _memoryFreed.Pulse();
        }
    }

    /// <summary>Creates up to <paramref name="count"/> idle instances now, staying within the cap.</summary>
    /// <param name="count">How many to create.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    /// <exception cref="ObjectDisposedException">The pool was disposed.</exception>
    /// <exception cref="WasmLinkException">The module could not be linked.</exception>
    public void Prewarm(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        // Prewarmed instances go straight to the idle pool, so they take no slot, only a place under the cap.
        for (int i = 0; i < count && TryReserve(); i++)
        {
            if (!TryReserveMemory())
            {
                Interlocked.Decrement(ref Metrics.LiveCount);
                break;
            }
            var instance = new PooledInstanceState();
            Create(instance);
            instance.IdleSince = Environment.TickCount64;
            _idle.Return(instance);
        }
        if (IsDisposed) DrainIdle();
    }

    /// <summary>Discards the idle instances that have been idle longer than <see cref="InstancePoolOptions.IdleTimeout"/>.</summary>
    /// <returns>How many were discarded.</returns>
    public int TrimIdle()
    {
        if (IsDisposed) return 0;
        long now = Environment.TickCount64;
        long limit = (long)_options.IdleTimeout.TotalMilliseconds;
        int candidates = Metrics.Idle;
        var kept = new List<PooledInstanceState>();
        int slotsHeld = 0, trimmed = 0;
        try
        {
            // Holding a slot per instance taken out keeps renters from creating instances in their place.
            while (slotsHeld < candidates && _slots.TryEnter())
            {
                slotsHeld++;
                var instance = _idle.Get();
                if (!instance.IsInstantiated) break; // The pool was empty: a fresh shell, nothing to trim.
                if (now - instance.IdleSince > limit)
                {
                    Discard(instance);
                    trimmed++;
                }
                else
                {
                    kept.Add(instance);
                }
            }
        }
        finally
        {
            foreach (var instance in kept) _idle.Return(instance);
            if (slotsHeld > 0) _slots.Exit(slotsHeld);
            if (trimmed > 0 && _memoryCap is not null) _memoryFreed.Pulse(trimmed);
        }
        return trimmed;
    }

    /// <summary>Discards the idle instances; rented ones are discarded when they come back. Waiting renters fail with <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        DrainIdle();
        _memoryFreed.Pulse(int.MaxValue);
    }

    private async Task<PooledInstance> WaitAndTakeAsync(TimeSpan wait, long start, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Metrics.WaitingCount);
        bool acquired;
        try
        {
            acquired = await _slots.EnterAsync(wait, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref Metrics.WaitingCount);
        }
        if (!acquired) throw TimedOut(wait);
        return TakeWithSlot() ?? await WaitForMemoryAsync(wait, start, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// With a slot held: an idle instance, or a new one; gives the slot back on failure. Null (keeping the slot) when a new
    /// instance is needed but the memory cap leaves no room for it.
    /// </summary>
    private PooledInstance? TakeWithSlot()
    {
        PooledInstanceState instance;
        try
        {
            ObjectDisposedException.ThrowIf(IsDisposed, this);
            instance = _idle.Get();
            if (!instance.IsInstantiated)
            {
                // With a slot held and no idle instance, the cap has room unless a prewarmed instance is
                // on its way into the idle pool; then wait for it to arrive.
                var spin = new SpinWait();
                while (!TryReserve())
                {
                    spin.SpinOnce();
                    var arrived = _idle.Get();
                    if (arrived.IsInstantiated)
                    {
                        instance = arrived;
                        break;
                    }
                }
                if (!instance.IsInstantiated)
                {
                    if (!TryReserveMemory())
                    {
                        Interlocked.Decrement(ref Metrics.LiveCount);
                        return null;
                    }
                    Create(instance);
                }
            }
            if (_setFuel) instance.Instance!.Fuel = _options.FuelPerRent!.Value;
        }
        catch
        {
            _slots.Exit();
            throw;
        }
        Interlocked.Increment(ref Metrics.RentedCount);
        return new PooledInstance(this, instance);
    }

    /// <summary>Counts a new instance's initial memory against the memory cap; false when it does not fit (always true without a cap).</summary>
    private bool TryReserveMemory()
    {
        if (_memoryCap is not long cap) return true;
        long used = Interlocked.Read(ref Metrics.MemoryBytesCount);
        while (used + _initialMemoryBytes <= cap)
        {
            long seen = Interlocked.CompareExchange(ref Metrics.MemoryBytesCount, used + _initialMemoryBytes, used);
            if (seen == used) return true;
            used = seen;
        }
        return false;
    }

    /// <summary>Counts the instance with its current memory size; false when that puts the pool over its memory cap (discard it then).</summary>
    private bool Recount(PooledInstanceState pooled)
    {
        if (_memoryCap is not long cap) return true;
        long length = pooled.Instance!.MemoryLength;
        long total = Interlocked.Add(ref Metrics.MemoryBytesCount, length - pooled.ChargedBytes);
        pooled.ChargedBytes = length;
        return total <= cap;
    }

    /// <summary>With a slot held and no room under the memory cap: waits for a return (or rejects, by policy); gives the slot back on failure.</summary>
    private PooledInstance WaitForMemory(TimeSpan wait, long start, CancellationToken cancellationToken)
    {
        var slot = new HeldSlot();
        try
        {
            if (_options.WhenMemoryCapReached == MemoryCapPolicy.Reject) throw MemoryExhausted();
            Interlocked.Increment(ref Metrics.WaitingCount);
            _memoryFreed.Register();
            try
            {
                while (true)
                {
                    if (TakeWithSlotAfterWait(slot) is { } rented) return rented;
                    var remaining = Remaining(wait, start);
                    if (remaining == TimeSpan.Zero || !_memoryFreed.Wait(remaining, cancellationToken)) throw MemoryTimedOut(wait);
                }
            }
            finally
            {
                _memoryFreed.Unregister();
                Interlocked.Decrement(ref Metrics.WaitingCount);
            }
        }
        catch when (slot.Held)
        {
            _slots.Exit();
            throw;
        }
    }

    /// <summary>As <see cref="WaitForMemory"/>, waiting asynchronously.</summary>
    private async Task<PooledInstance> WaitForMemoryAsync(TimeSpan wait, long start, CancellationToken cancellationToken)
    {
        var slot = new HeldSlot();
        try
        {
            if (_options.WhenMemoryCapReached == MemoryCapPolicy.Reject) throw MemoryExhausted();
            Interlocked.Increment(ref Metrics.WaitingCount);
            _memoryFreed.Register();
            try
            {
                while (true)
                {
                    if (TakeWithSlotAfterWait(slot) is { } rented) return rented;
                    var remaining = Remaining(wait, start);
                    if (remaining == TimeSpan.Zero || !await _memoryFreed.WaitAsync(remaining, cancellationToken).ConfigureAwait(false))
                        throw MemoryTimedOut(wait);
                }
            }
            finally
            {
                _memoryFreed.Unregister();
                Interlocked.Decrement(ref Metrics.WaitingCount);
            }
        }
        catch when (slot.Held)
        {
            _slots.Exit();
            throw;
        }
    }

    /// <summary><see cref="TakeWithSlot"/> for a renter that waited (the pool may have been disposed meanwhile); notes when the slot was given back.</summary>
    private PooledInstance? TakeWithSlotAfterWait(HeldSlot slot)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        try
        {
            return TakeWithSlot();
        }
        catch
        {
            slot.Held = false; // TakeWithSlot gives the slot back when it throws.
            throw;
        }
    }

    /// <summary>Whether a waiting renter still holds its slot (so that a failure gives it back exactly once).</summary>
    private sealed class HeldSlot
    {
        public bool Held = true;
    }

    private static TimeSpan Remaining(TimeSpan wait, long start)
    {
        if (wait == Timeout.InfiniteTimeSpan) return wait;
        var left = wait - Stopwatch.GetElapsedTime(start);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    private InstancePoolExhaustedException MemoryExhausted()
    {
        Interlocked.Increment(ref Metrics.MemoryRejectedCount);
        return new InstancePoolExhaustedException(
            $"The pool of module '{BackendModule.Name}' holds {Metrics.MemoryBytes} bytes of guest memory in {Metrics.Live} instances: no room for another ({_initialMemoryBytes} bytes) under its cap of {_memoryCap} bytes.");
    }

    private TimeoutException MemoryTimedOut(TimeSpan wait) =>
        new($"No instance of module '{BackendModule.Name}' became free within {wait.TotalMilliseconds} ms: its instances hold {Metrics.MemoryBytes} bytes of guest memory, at the pool's cap of {_memoryCap} bytes.");

    /// <summary>Takes a place under the cap for a new instance; false when the pool is full.</summary>
    private bool TryReserve()
    {
        int live = Volatile.Read(ref Metrics.LiveCount);
        while (live < _options.MaximumInstances)
        {
            int seen = Interlocked.CompareExchange(ref Metrics.LiveCount, live + 1, live);
            if (seen == live) return true;
            live = seen;
        }
        return false;
    }

    /// <summary>Instantiates into a place reserved with <see cref="TryReserve"/>; gives the place back on failure.</summary>
    private void Create(PooledInstanceState instance)
    {
        try
        {
            instance.Instantiate(BackendModule, _instanceOptions);
        }
        catch
        {
            Interlocked.Decrement(ref Metrics.LiveCount);
            if (_memoryCap is not null)
            {
                Interlocked.Add(ref Metrics.MemoryBytesCount, -_initialMemoryBytes);
                _memoryFreed.Pulse();
            }
            throw;
        }
        Interlocked.Increment(ref Metrics.CreatedCount);
        if (_memoryCap is not null)
        {
            // Counted with the module's initial memory so far; now with what the instance really holds (its start function may have grown it).
            instance.ChargedBytes = _initialMemoryBytes;
            Recount(instance);
        }
    }

    /// <summary>Puts the instance and its store data back to their initial state; false if that is not possible.</summary>
    private bool TryReset(PooledInstanceState pooled)
    {
        var instance = pooled.Instance!;
        if (instance.HasTrapped) return false;
        if (instance.HostState is IResettable data && !data.TryReset()) return false;
        if (!instance.Reset()) return false;
        // A deadline of this rent (fired or still pending) must not hit the next one.
        instance.CancelPendingInterrupts();
        return true;
    }

    private void Discard(PooledInstanceState instance)
    {
        if (instance.ChargedBytes != 0)
        {
            Interlocked.Add(ref Metrics.MemoryBytesCount, -instance.ChargedBytes);
            instance.ChargedBytes = 0;
        }
        instance.Release();
        Interlocked.Increment(ref Metrics.DiscardedCount);
        Interlocked.Decrement(ref Metrics.LiveCount);
    }

    private void DrainIdle()
    {
        while (true)
        {
            var instance = _idle.Get();
            if (!instance.IsInstantiated) return;
            Discard(instance);
        }
    }

    private static TimeSpan CheckTimeout(TimeSpan? timeout)
    {
        if (timeout is not TimeSpan wait) return Timeout.InfiniteTimeSpan;
        if (wait < TimeSpan.Zero && wait != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must not be negative.");
        return wait;
    }

    private TimeoutException TimedOut(TimeSpan wait) =>
        new($"No instance of {BackendModule} became free within {wait.TotalMilliseconds} ms (the pool holds at most {_options.MaximumInstances}).");

    private static ManagedBackendModule ManagedModule(Module module, Linker linker)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(linker);
        if (!module.Engine.Options.ResettableInstances)
            throw new ArgumentException("Pooling needs an engine created with EngineOptions.ResettableInstances = true.", nameof(module));
        if (linker.Engine != module.Engine)
            throw new ArgumentException("The linker and the module belong to different engines.", nameof(linker));
        return module.BackendModule;
    }

    /// <summary>The seam's instance options for the managed constructor: the given linker, the store limits and data of the options.</summary>
    private static BackendInstanceOptions ManagedInstanceOptions(Module module, Linker linker, InstancePoolOptions? options)
    {
        var imports = new BackendImports();
        module.Engine.Backend.UseLinker(imports, linker);
        var makeData = options?.StoreData;
        return new BackendInstanceOptions
        {
            Imports = imports,
            ManagedStoreLimits = options?.StoreLimits,
            // As this constructor always did: without FuelPerRent, a fuel-consuming engine's store starts with none.
            InitialFuel = options?.FuelPerRent ?? 0,
            CreateHostState = makeData is null ? null : budget => makeData(((ManagedBackendInstance)budget).Store),
        };
    }

    /// <summary>Makes empty shells when the idle pool is empty; instantiation happens outside the object pool.</summary>
    private sealed class ShellPolicy : PooledObjectPolicy<PooledInstanceState>
    {
        public override PooledInstanceState Create() => new();

        public override bool Return(PooledInstanceState obj) => true;
    }
}
