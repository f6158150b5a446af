using WasmKit.Runtime;

namespace WasmKit.Backends.Managed;

/// <summary>
/// An instance of the managed engine behind the backend seam, in a store of its own. With
/// <see cref="BackendImports.Wasi"/> it has its own WASI state (descriptors, stdin position, output counted),
/// which <see cref="Reset"/> puts back to how it started and <see cref="Dispose"/> closes.
/// </summary>
public sealed class ManagedBackendInstance : IBackendInstance
{
    private readonly ExecutionState _state;
    private readonly bool _consumesFuel;
    private readonly bool _interruptible;
    private Instance? _instance;
    // The compiled code's context, read by every export call: one load instead of two.
    private InstanceContext? _context;

    internal ManagedBackendInstance(ManagedBackendModule module, Store store)
    {
        ManagedModule = module;
        Store = store;
        _state = store.State;
        var options = store.Engine.Options;
        _consumesFuel = options.ConsumeFuel;
        _interruptible = options.Interruptible;
    }

    /// <summary>The engine's instance.</summary>
    /// <exception cref="InvalidOperationException">Read before instantiation finished (from <see cref="BackendInstanceOptions.CreateHostState"/>).</exception>
    public Instance Instance => _instance ?? throw new InvalidOperationException("The instance is still being instantiated.");

    /// <summary>The instance's own store; its <see cref="Store.Data"/> is the <see cref="HostState"/>.</summary>
    public Store Store { get; }

    /// <summary>The module, as the managed backend's type.</summary>
    public ManagedBackendModule ManagedModule { get; }

    /// <inheritdoc />
    public IBackendModule Module => ManagedModule;

    /// <inheritdoc />
    public object? HostState => Store.Data;

    /// <inheritdoc />
    public bool HasTrapped => Instance.HasTrapped;

    /// <summary>The compiled code's context of the instance (what generated export invokers call with).</summary>
    internal InstanceContext Context => _context!;

    /// <inheritdoc />
    public long Fuel
    {
        get
        {
            if (!_consumesFuel) throw NoFuel();
            return _state.Fuel;
        }
        set
        {
            // Set before every guest call: the checks' throws live out of line, so the setter inlines.
            if (!_consumesFuel || value < 0) ThrowBadFuel(value);
            _state.Fuel = value;
        }
    }

    /// <inheritdoc />
    public long MemoryLength => _instance?.Context.Memory0?.Length ?? 0;

    /// <inheritdoc />
    public void RequestInterrupt()
    {
        if (_interruptible) _state.InterruptRequested = 1;
    }

    /// <inheritdoc />
    public void WithdrawInterrupt() => _state.InterruptRequested = 0;

    /// <inheritdoc />
    public IDisposable InterruptOn(CancellationToken token)
    {
        if (!_interruptible) throw new NotSupportedException("The engine was not created with EngineOptions.Interruptible: guest code cannot be interrupted.");
        return Store.InterruptOn(token);
    }

    /// <inheritdoc />
    public void CancelPendingInterrupts() => Store.CancelPendingInterrupts();

    /// <inheritdoc />
    public ReadOnlySpan<byte> ReadMemory(long address, int length) => RequireMemory().ReadOnlySpanAt(address, length);

    /// <inheritdoc />
    public Span<byte> WriteMemory(long address, int length) => RequireMemory().GetSpan(address, length);

    /// <inheritdoc />
    public bool Reset()
    {
        var instance = _instance;
        if (instance is null || instance.HasTrapped || !instance.CanReset) return false;
        try
        {
            instance.Reset();
            // What the guest opened or wrote through WASI in this use must not reach the next (a pool's next rent).
            Store.Wasi?.Reset();
            return true;
        }
        catch (Exception error) when (error is InvalidOperationException or WasmException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public bool CaptureResetState()
    {
        var instance = Instance;
        if (!instance.CanReset) return false;
        instance.CaptureResetState();
        return true;
    }

    /// <summary>Releases the store's memory now, and closes the host files the guest opened through WASI.</summary>
    public void Dispose()
    {
        Store.Dispose();
        Store.Wasi?.Dispose();
        Store.Wasi = null;
    }

    internal void Attach(Instance instance)
    {
        _instance = instance;
        _context = instance.Context;
    }

    private Memory RequireMemory() =>
        _instance?.Context.Memory0 ?? throw new ArgumentOutOfRangeException("address", $"Module '{ManagedModule.Name}' has no memory.");

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void ThrowBadFuel(long value)
    {
        if (!_consumesFuel) throw NoFuel();
        throw new ArgumentOutOfRangeException(nameof(Fuel), value, "Fuel must not be negative.");
    }

    private static NotSupportedException NoFuel() =>
        new("The engine was not created with EngineOptions.ConsumeFuel: guest code does not consume fuel.");
}
