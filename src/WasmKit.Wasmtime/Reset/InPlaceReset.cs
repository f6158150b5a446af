using WasmKit.Backends;
using Wt = global::Wasmtime;

namespace WasmKit.Wasmtime.Reset;

/// <summary>
/// Resets an instance of an instrumented module (<see cref="ResetInstrumentation"/>) in place: one call into
/// the guest restores its mutable globals and returns the range of memory the guest wrote; the host widens
/// it by what it wrote itself (<see cref="Written"/>) and copies that range back from a snapshot taken at
/// instantiation or capture (the instrumentation marks everything written after a <c>memory.grow</c>, so the
/// memory's length is asked of Wasmtime only then). A memory that grew since cannot be shrunk back: <see cref="TryRestore"/> then
/// says so and the instance is re-instantiated (or discarded). Not thread-safe, like its instance.
/// </summary>
internal sealed unsafe class InPlaceReset : IMemoryWriteTracker
{
    private readonly Func<long> _reset;
    private readonly Action _capture;
    private readonly Wt.Memory? _memory;
    private readonly nint _memoryBase;
    private byte[] _snapshot = [];
    private uint _hostLow = uint.MaxValue;
    private uint _hostHigh;

    private InPlaceReset(Func<long> reset, Action capture, Wt.Memory? memory)
    {
        _reset = reset;
        _capture = capture;
        _memory = memory;
        // Memories never move on this backend (WithMemoryMayMove(false)): the base is fixed for the store's life.
        _memoryBase = memory?.GetPointer() ?? 0;
    }

    /// <summary>Binds the reserved exports and takes the first snapshot; null when the module was not instrumented.</summary>
    public static InPlaceReset? TryCreate(Wt.Instance instance, Wt.Memory? memory)
    {
        if (instance.GetFunction<long>(ResetInstrumentation.ResetExport) is not { } reset ||
            instance.GetAction(ResetInstrumentation.CaptureExport) is not { } capture)
        {
            return null;
        }
        var inPlace = new InPlaceReset(reset, capture, memory);
        inPlace.Capture();
        return inPlace;
    }

    /// <summary>Makes the current globals and memory the state <see cref="TryRestore"/> returns to.</summary>
    public void Capture()
    {
        _capture();
        long length = _memory?.GetLength() ?? 0;
        if (_snapshot.Length != length) _snapshot = new byte[length];
        new ReadOnlySpan<byte>((void*)_memoryBase, (int)length).CopyTo(_snapshot);
        _hostLow = uint.MaxValue;
        _hostHigh = 0;
    }

    /// <inheritdoc />
    public void Written(int address, int length)
    {
        if (length <= 0) return;
        uint start = (uint)address;
        uint end = (uint)Math.Min((ulong)start + (uint)length, uint.MaxValue);
        if (start < _hostLow) _hostLow = start;
        if (end > _hostHigh) _hostHigh = end;
    }

    /// <summary>
    /// Restores the globals and the written bytes; false when the memory grew since the snapshot (the globals
    /// are restored then, the memory is not: re-instantiate or discard the instance).
    /// </summary>
    /// <summary>The memory's length at the snapshot (and so after a successful <see cref="TryRestore"/>).</summary>
    public long SnapshotLength => _snapshot.Length;

    public bool TryRestore()
    {
        long written = _reset();
        uint low = Math.Min((uint)written, _hostLow);
        uint high = Math.Max((uint)((ulong)written >> 32), _hostHigh);
        _hostLow = uint.MaxValue;
        _hostHigh = 0;
        if (_memory is null) return true;
        // The instrumentation sets high past every address after a memory.grow (the only way the memory
        // grows): only then is the length asked of Wasmtime.
        if (high > _snapshot.Length)
        {
            long length = _memory.GetLength();
            if (length != _snapshot.Length) return false;
            high = (uint)length;
        }
        if (low < high)
        {
            _snapshot.AsSpan((int)low, (int)(high - low)).CopyTo(new Span<byte>((void*)(_memoryBase + (nint)low), (int)(high - low)));
        }
        return true;
    }
}
