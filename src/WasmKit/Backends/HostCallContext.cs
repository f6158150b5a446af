namespace WasmKit.Backends;

/// <summary>
/// What a <see cref="HostFunctionImplementation"/> sees of its caller: the instance's host state and its
/// memory. A stack-only view, valid during the call only; making one allocates nothing.
/// </summary>
public readonly ref struct HostCallContext
{
    private readonly Span<byte> _memory;
    // The managed engine's memory, whose pages written by the host must be marked for reset.
    private readonly Memory? _trackedMemory;
    // Another backend's record of written memory (e.g. Wasmtime's in-place reset).
    private readonly IMemoryWriteTracker? _tracker;

    /// <summary>Creates a context for a backend without write tracking.</summary>
    /// <param name="state">The calling instance's host state.</param>
    /// <param name="memory">The calling instance's memory (its first).</param>
    /// <param name="hasMemory">Whether the calling instance has a memory at all (a memory may be empty).</param>
    public HostCallContext(object? state, Span<byte> memory, bool hasMemory = true)
    {
        State = state;
        _memory = memory;
        _trackedMemory = null;
        _tracker = null;
        HasMemory = hasMemory;
    }

    /// <summary>Creates a context for a backend that tracks the host's writes itself.</summary>
    /// <param name="state">The calling instance's host state.</param>
    /// <param name="memory">The calling instance's memory (its first).</param>
    /// <param name="tracker">What <see cref="Written"/> reports to; null for no tracking.</param>
    public HostCallContext(object? state, Span<byte> memory, IMemoryWriteTracker? tracker)
    {
        State = state;
        _memory = memory;
        _trackedMemory = null;
        _tracker = tracker;
        HasMemory = true;
    }

    /// <summary>Creates a context over a managed memory, whose written pages are tracked.</summary>
    internal HostCallContext(object? state, Memory? memory)
    {
        State = state;
        _trackedMemory = memory;
        _memory = memory is null ? default : memory.Bytes;
        _tracker = null;
        HasMemory = memory is not null;
    }

    /// <summary>Whether the calling instance has a memory; without one, every pointer argument is out of bounds.</summary>
    public bool HasMemory { get; }

    /// <summary>The calling instance's <see cref="IBackendInstance.HostState"/>.</summary>
    public object? State { get; }

    /// <summary>The calling instance's memory for reading (empty without one); call <see cref="Written"/> after writing into it.</summary>
    public Span<byte> Memory => _memory;

    /// <summary>Tells the backend that the host wrote a range of guest memory (resets restore only written bytes).</summary>
    /// <param name="address">The first byte written.</param>
    /// <param name="length">How many bytes.</param>
    public void Written(int address, int length)
    {
        if (length <= 0) return;
        if (_trackedMemory is not null) _trackedMemory.MarkDirty((uint)address, (uint)length);
        else _tracker?.Written(address, length);
    }
}
