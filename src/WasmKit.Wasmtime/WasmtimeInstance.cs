using System.Runtime.CompilerServices;
using WasmKit.Backends;
using WasmKit.Wasmtime.Reset;
using Wt = global::Wasmtime;

namespace WasmKit.Wasmtime;

/// <summary>
/// An instance of a <see cref="WasmtimeModule"/> in a Wasmtime store of its own. A reset restores the
/// instance in place when its module was instrumented for it and every import is a seam host function
/// (<see cref="InPlaceReset"/>: the mutable globals, and the memory the guest or host wrote, copied back from
/// a snapshot); otherwise (WASI or native imports, a module the instrumentation refused, a memory that grew)
/// it replaces the store and instance with fresh ones. The host state survives either. Dispose it to release
/// the store (and its memory reservation) at once.
/// </summary>
/// <remarks>
/// Interruption: a store's epoch deadline is one tick of the backend's <see cref="EpochTicker"/>; when it
/// passes, Wasmtime asks the instance, which extends it by a tick unless an interrupt was requested (then
/// the guest traps with <see cref="TrapCode.Interrupted"/>). So an interrupt reaches running code within one
/// epoch interval, and no timer exists per call.
/// </remarks>
public sealed class WasmtimeInstance : IBackendInstance
{
    private readonly WasmtimeLinkedImports _imports;
    private readonly BackendInstanceOptions _options;
    private readonly bool _consumesFuel;
    private readonly bool _interruptible;
    private readonly Wt.Store.EpochDeadlineCallback? _onDeadline;
    private readonly object _registrationGate = new();
    private List<CancellationTokenRegistration>? _registrations;
    private Wt.Store _store;
    private Wt.Instance? _instance;
    private Wt.Memory? _memory;
    // The memory's base address: fixed for the store's life, as the engine's memories never move (WithMemoryMayMove(false)).
    private nint _memoryBase;
    // The memory's length once it can grow no more (at its declared maximum or the store's limit); -1 before.
    private long _finalMemoryLength = -1;
    // A length the memory has had in this store: memories only grow, so a range inside it is in bounds without asking Wasmtime.
    private long _memoryLengthFloor;
    // Whether the memory has the snapshot's length: from a reset in place until the guest runs again (only the guest grows the memory).
    private bool _lengthKnown;
    private readonly long _memoryLimitBytes;
    private WasmtimeTypedCall?[] _calls;
    private bool[] _used;
    private bool _wasReset;
    // Null when this instance resets by re-instantiation.
    private InPlaceReset? _inPlace;
    // Instances of instrumented modules whose imports are all host functions link through a linker of their own
    // (host functions bound to this instance: no Caller per call) and reset in place.
    private readonly bool _ownLinker;
    private Wt.Linker? _instanceLinker;
    // CaptureResetState succeeded: a re-instantiation would lose the captured state, so a reset that cannot be done in place discards instead.
    private bool _captured;
    // Set while the instrumentation's own exports run (short, loop-free): an interrupt meant for guest code waits for it.
    private bool _runningResetCode;
    private volatile int _interruptRequested;
    private bool _trapped;
    private bool _disposed;

    internal WasmtimeInstance(WasmtimeModule module, WasmtimeLinkedImports imports, BackendInstanceOptions options)
    {
        WasmtimeModule = module;
        _imports = imports;
        _options = options;
        var capabilities = module.WasmtimeBackend.Capabilities;
        _consumesFuel = capabilities.SupportsFuel;
        _interruptible = capabilities.SupportsInterruption;
        if (_interruptible) _onDeadline = OnEpochDeadline;
        _ownLinker = module.Instrumented && imports.DefinesEveryImportOf(module);
        _memoryLimitBytes = MemoryLimitBytes(module, options);
        _calls = new WasmtimeTypedCall?[Math.Max(module.InvokerCount, 4)];
        _used = new bool[_calls.Length];
        _store = NewStore();
        object? state = null;
        try
        {
            // Made once, outside the start function's deadline (CreateHostState arms it); it serves re-instantiations too.
            if (_ownLinker) _instanceLinker = imports.CreateInstanceLinker(this);
            if (options.CreateHostState is { } create) HostState = state = create(this);
            Instantiate();
        }
        catch
        {
            DisposeStore();
            _instanceLinker?.Dispose();
            throw;
        }
        finally
        {
            options.InstantiationFinished?.Invoke(state);
        }
    }

    /// <summary>The module, as this backend's type.</summary>
    public WasmtimeModule WasmtimeModule { get; }

    /// <inheritdoc />
    public IBackendModule Module => WasmtimeModule;

    /// <inheritdoc />
    public object? HostState { get; }

    /// <inheritdoc />
    public bool HasTrapped => _trapped;

    /// <inheritdoc />
    public long Fuel
    {
        get
        {
            if (!_consumesFuel) throw NoFuel();
            return (long)Math.Min(_store.Fuel, long.MaxValue);
        }
        set
        {
            if (!_consumesFuel) throw NoFuel();
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _store.Fuel = (ulong)value;
        }
    }

    /// <inheritdoc />
    public long MemoryLength => _memory is null ? 0 : CurrentMemoryLength();

    /// <inheritdoc />
    public void RequestInterrupt()
    {
        if (_interruptible) _interruptRequested = 1;
    }

    /// <inheritdoc />
    public void WithdrawInterrupt() => _interruptRequested = 0;

    /// <inheritdoc />
    public IDisposable InterruptOn(CancellationToken token)
    {
        if (!_interruptible) throw new NotSupportedException("The Wasmtime backend was created without Interruptible: guest code cannot be interrupted.");
        var registration = token.UnsafeRegister(static state => ((WasmtimeInstance)state!).RequestInterrupt(), this);
        lock (_registrationGate) (_registrations ??= []).Add(registration);
        return registration;
    }

    /// <inheritdoc />
    public void CancelPendingInterrupts()
    {
        List<CancellationTokenRegistration>? pending;
        lock (_registrationGate)
        {
            pending = _registrations;
            _registrations = null;
        }
        if (pending is not null) foreach (var registration in pending) registration.Dispose();
        _interruptRequested = 0;
    }

    /// <inheritdoc />
    public ReadOnlySpan<byte> ReadMemory(long address, int length) => MemorySpan(address, length);

    /// <inheritdoc />
    public Span<byte> WriteMemory(long address, int length)
    {
        var span = MemorySpan(address, length);
        _inPlace?.Written((int)address, length);
        return span;
    }

    /// <summary>Whether <see cref="Reset"/> restores this instance in place (rather than making a new store and instance).</summary>
    public bool ResetsInPlace => _inPlace is not null;

    /// <inheritdoc />
    /// <remarks>
    /// On this backend: in place when <see cref="ResetsInPlace"/> (and the memory did not grow), leaving fuel as it
    /// is (as the managed engine does); otherwise a new store and instance replace the old ones (the start function
    /// runs again, under <see cref="BackendInstanceOptions.InitialFuel"/>), unless a state was captured
    /// (<see cref="CaptureResetState"/>), which a new instance would lose: then the reset fails.
    /// </remarks>
    public bool Reset()
    {
        if (_trapped || _disposed) return false;
        if (_inPlace is { } inPlace)
        {
            try
            {
                // Like the managed engine's reset, the budgets stay as they are (the product layer sets them per use).
                _runningResetCode = true;
                if (inPlace.TryRestore())
                {
                    _lengthKnown = true;
                    return true;
                }
            }
            catch (Exception error) when (error is WasmException or Wt.WasmtimeException)
            {
                _trapped = true;
                return false;
            }
            finally
            {
                _runningResetCode = false;
            }
        }
        if (_captured) return false;
        return Reinstantiate();
    }

    private bool Reinstantiate()
    {
        var old = _store;
        try
        {
            _wasReset = true;
            _store = NewStore();
            Instantiate();
        }
        catch (Exception error) when (error is WasmException or Wt.WasmtimeException)
        {
            var failed = _store;
            _store = old;
            DisposeStore(failed);
            return false;
        }
        DisposeStore(old);
        return true;
    }

    /// <inheritdoc />
    /// <remarks>Only when <see cref="ResetsInPlace"/>; otherwise resets return to the state after instantiation.</remarks>
    public bool CaptureResetState()
    {
        if (_inPlace is not { } inPlace || _trapped || _disposed) return false;
        try
        {
            _runningResetCode = true;
            inPlace.Capture();
        }
        catch (Exception error) when (error is WasmException or Wt.WasmtimeException)
        {
            _trapped = true;
            return false;
        }
        finally
        {
            _runningResetCode = false;
        }
        _captured = true;
        return true;
    }

    /// <summary>Releases the store (and its memory) now.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        CancelPendingInterrupts();
        DisposeStore();
        _instanceLinker?.Dispose();
        _instanceLinker = null;
    }

    /// <summary>Calls a bound export; maps Wasmtime's errors onto WasmKit's.</summary>
    internal ulong Call(WasmtimeExportInvoker invoker, ReadOnlySpan<ulong> arguments)
    {
        var call = Bound(invoker);
        try
        {
            return call.Call(arguments);
        }
        catch (Exception error)
        {
            throw Failed(error);
        }
    }

    /// <summary>Calls a bound export with any number of results.</summary>
    internal void Call(WasmtimeExportInvoker invoker, ReadOnlySpan<ulong> arguments, Span<ulong> results)
    {
        var call = Bound(invoker);
        try
        {
            call.Call(arguments, results);
        }
        catch (Exception error)
        {
            throw Failed(error);
        }
    }

    /// <summary>The view a host function bound to this instance gets (<see cref="WasmtimeLinkedImports.CreateInstanceLinker"/>): the host state and the memory.</summary>
    /// <remarks>Inlined into the typed bindings: once the memory's length is final, a call asks Wasmtime nothing.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal unsafe HostCallContext CallContext()
    {
        long final = _finalMemoryLength;
        if (final < 0) return CallContextAskingLength();
        return new HostCallContext(HostState, new Span<byte>((void*)_memoryBase, (int)Math.Min(final, int.MaxValue)), _inPlace);
    }

    // The memory may still grow (or there is none): its length comes from Wasmtime.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private unsafe HostCallContext CallContextAskingLength()
    {
        if (_memory is null) return new HostCallContext(HostState, default, hasMemory: false);
        return new HostCallContext(HostState, new Span<byte>((void*)_memoryBase, (int)Math.Min(CurrentMemoryLength(), int.MaxValue)), _inPlace);
    }

    /// <summary>The view a host function gets: the host state and the instance's memory (during the start function, the caller's "memory" export).</summary>
    internal unsafe HostCallContext CallContext(Wt.Caller caller)
    {
        if (_memory is not null)
        {
            return new HostCallContext(HostState, new Span<byte>((void*)_memoryBase, (int)Math.Min(CurrentMemoryLength(), int.MaxValue)), _inPlace);
        }
        var memory = caller.GetMemory("memory");
        if (memory is null) return new HostCallContext(HostState, default, hasMemory: false);
        long length = Math.Min(memory.GetLength(), int.MaxValue);
        return new HostCallContext(HostState, new Span<byte>((void*)memory.GetPointer(), (int)length));
    }

    private WasmtimeTypedCall Bound(WasmtimeExportInvoker invoker)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_interruptRequested != 0)
        {
            _trapped = true;
            throw new WasmTrapException(TrapCode.Interrupted, WasmTrapException.DescribeCode(TrapCode.Interrupted));
        }
        _lengthKnown = false;
        int ordinal = invoker.Ordinal;
        if (ordinal < _calls.Length && _calls[ordinal] is { } bound) return bound;
        return BindOnMiss(invoker);
    }

    /// <summary>
    /// Binds on a call's miss. Binding a typed Wasmtime function costs microseconds (Wasmtime checks the
    /// signature by reflection), so: the first miss of a never-reset instance binds every invoker of the
    /// module (later first calls allocate nothing), while after a reset only the invoker called is bound and
    /// remembered; each reset rebinds the remembered ones (a pooled instance's working set).
    /// </summary>
    private WasmtimeTypedCall BindOnMiss(WasmtimeExportInvoker invoker)
    {
        var invokers = WasmtimeModule.Invokers;
        if (invokers.Length > _calls.Length)
        {
            Array.Resize(ref _calls, invokers.Length);
            Array.Resize(ref _used, invokers.Length);
        }
        if (!_wasReset)
        {
            foreach (var each in invokers) _calls[each.Ordinal] ??= each.Bind(_instance!);
        }
        _used[invoker.Ordinal] = true;
        return _calls[invoker.Ordinal] ??= invoker.Bind(_instance!);
    }

    /// <summary>After a reset: binds again the invokers this instance was called through.</summary>
    private void RebindUsed()
    {
        foreach (var invoker in WasmtimeModule.Invokers)
            if (invoker.Ordinal < _used.Length && _used[invoker.Ordinal]) _calls[invoker.Ordinal] = invoker.Bind(_instance!);
    }

    private Exception Failed(Exception error)
    {
        // Whatever unwound through the guest leaves the instance unfit for reuse (the pool discards it).
        _trapped = true;
        return error is Wt.WasmtimeException wasmtime ? WasmtimeErrors.Execution(wasmtime, instantiating: false) : error;
    }

    private Wt.Store NewStore()
    {
        var backend = WasmtimeModule.WasmtimeBackend;
        var store = new Wt.Store(backend.Engine, this);
        backend.StoreCreated();
        try
        {
            if (_options.MaximumMemoryPages is uint pages) store.SetLimits(memorySize: (long)pages * 65536, null, null, null, null);
            if (_consumesFuel) store.Fuel = (ulong)(_options.InitialFuel ?? long.MaxValue);
            if (_onDeadline is not null)
            {
                store.SetEpochDeadline(1);
                store.SetEpochDeadlineCallback(_onDeadline);
            }
            _imports.ConfigureWasi(store);
            return store;
        }
        catch
        {
            DisposeStore(store);
            throw;
        }
    }

    private void Instantiate()
    {
        try
        {
            _instance = (_instanceLinker ?? _imports.Linker).Instantiate(_store, WasmtimeModule.Native);
            _memory = _instance.GetMemory("memory") ?? _instance.GetMemories().Select(m => m.Item2).FirstOrDefault();
            _memoryBase = _memory?.GetPointer() ?? 0;
            _finalMemoryLength = -1;
            _memoryLengthFloor = 0;
            _lengthKnown = false;
            // The instrumentation moved the start function to an export, so that it runs with the memory known (CallContext()).
            _instance.GetAction(ResetInstrumentation.StartExport)?.Invoke();
        }
        catch (Wt.WasmtimeException error)
        {
            throw WasmtimeErrors.Execution(error, instantiating: true);
        }
        try
        {
            _runningResetCode = true;
            _inPlace = _ownLinker ? InPlaceReset.TryCreate(_instance, _memory) : null;
        }
        catch (Wt.WasmtimeException error)
        {
            throw WasmtimeErrors.Execution(error, instantiating: true);
        }
        finally
        {
            _runningResetCode = false;
        }
        Array.Clear(_calls);
        RebindUsed();
    }

    // Called by Wasmtime on the guest's thread when the epoch deadline passes.
    private ulong OnEpochDeadline(Wt.Store store)
    {
        if (_interruptRequested != 0 && !_runningResetCode) throw new WasmTrapException(TrapCode.Interrupted, WasmTrapException.DescribeCode(TrapCode.Interrupted));
        return 1;
    }

    private unsafe Span<byte> MemorySpan(long address, int length)
    {
        if (_memory is null) throw new ArgumentOutOfRangeException(nameof(address), $"Module '{WasmtimeModule.Name}' has no memory.");
        // Inside a length already seen (the usual case: a host reading results between calls): no native call.
        if (address >= 0 && length >= 0 && (ulong)address + (uint)length <= (ulong)_memoryLengthFloor) return new Span<byte>((void*)(_memoryBase + (nint)address), length);
        long size = _memoryLengthFloor = CurrentMemoryLength();
        if (address < 0 || length < 0 || (ulong)address + (uint)length > (ulong)size)
            throw new ArgumentOutOfRangeException(nameof(address), $"[{address}, {address + length}) lies outside the memory of {size} bytes.");
        return new Span<byte>((void*)(_memoryBase + (nint)address), length);
    }

    /// <summary>
    /// The memory's current length. Growth changes it, so Wasmtime is asked (a native call, a good part of a
    /// host function's cost), until the memory reaches the most it may have: from then on it is final.
    /// </summary>
    private long CurrentMemoryLength()
    {
        if (_finalMemoryLength >= 0) return _finalMemoryLength;
        if (_lengthKnown && _inPlace is { } inPlace) return inPlace.SnapshotLength;
        long length = _memory!.GetLength();
        if (length >= _memoryLimitBytes) _finalMemoryLength = length;
        return length;
    }

    // The most bytes the first memory may have: its declared maximum, the store's limit; unknown (never final) with several memories.
    private static long MemoryLimitBytes(WasmtimeModule module, BackendInstanceOptions options)
    {
        if (module.Memories.Count != 1) return long.MaxValue;
        ulong pages = module.Memories[0].Limits.Maximum ?? 65536;
        if (options.MaximumMemoryPages is uint limit) pages = Math.Min(pages, Math.Max(limit, module.Memories[0].Limits.Minimum));
        return (long)pages * 65536;
    }

    private void DisposeStore() => DisposeStore(_store);

    private void DisposeStore(Wt.Store store)
    {
        store.Dispose();
        WasmtimeModule.WasmtimeBackend.StoreDisposed();
        if (ReferenceEquals(store, _store))
        {
            _instance = null;
            _inPlace = null;
            _memory = null;
            _memoryBase = 0;
            _memoryLengthFloor = 0;
        }
    }

    private static NotSupportedException NoFuel() =>
        new("The Wasmtime backend was created without ConsumeFuel: guest code does not consume fuel.");
}
