using WasmKit.Backends;

namespace WasmKit.Udf;

/// <summary>
/// What the registry keeps per pooled instance: its document context, memory, allocation export, the reserved
/// argument area, pending call counts and the watchdog's view of the running evaluation. Only the thread that has rented the instance writes it (the watchdog and statistics read).
/// </summary>
internal sealed class UdfInstanceBinding
{
    /// <summary>The guest memory reserved once per instance for string arguments.</summary>
    public const int ArgumentAreaBytes = 1024;

    private readonly ExportInvoker? _alloc;
    private int _argumentArea;
    private UdfPreparedArguments? _loadedArguments;
    private int _untilTimed = 1;
    private UdfEntry?[] _countedEntries = new UdfEntry?[4];
    private long[] _pendingCalls = new long[4];
    private long[] _pendingErrors = new long[4];
    private readonly long? _fuel;

    public UdfInstanceBinding(IBackendInstance instance, ExportInvoker? alloc, long? fuel)
    {
        Instance = instance;
        Context = instance.HostState as DocumentContext
            ?? throw new InvalidOperationException("A pooled UDF instance must carry a DocumentContext as its host state.");
        Deadline = Context.Deadline;
        _alloc = alloc;
        _fuel = fuel;
    }

    /// <summary>The watchdog's view of this store's guest code; null without a timeout.</summary>
    public UdfDeadline? Deadline { get; }

    public IBackendInstance Instance { get; }

    public DocumentContext Context { get; }

    /// <summary>The WebAssembly argument slots of the current call.</summary>
    public ulong[] Slots { get; private set; } = new ulong[16];

    /// <summary>
    /// Reserves <see cref="ArgumentAreaBytes"/> of guest memory with wasmkit_alloc on a fresh instance and
    /// makes that the state resets return to, so string arguments that fit need no guest call per
    /// evaluation. Without wasmkit_alloc, or when it fails, arguments are allocated per evaluation.
    /// </summary>
    public void ReserveArgumentArea()
    {
        if (_alloc is null) return;
        int pointer = Allocate(ArgumentAreaBytes);
        if (pointer == 0) return;
        // A backend that cannot capture the state keeps resetting to before the reservation: then the area is not kept.
        if (Instance.CaptureResetState()) _argumentArea = pointer;
    }

    /// <summary>
    /// Calls the guest's wasmkit_alloc under the same limits as an evaluation (fuel and the timeout):
    /// it is guest code run on the caller's behalf and may loop forever.
    /// </summary>
    private int Allocate(int size)
    {
        if (_fuel is long fuel) Instance.Fuel = fuel;
        Deadline?.Begin();
        try
        {
            return (int)_alloc!.Invoke(Instance, [(uint)size]);
        }
        finally
        {
            Deadline?.End();
        }
    }

    public void Load(UdfEntry entry, UdfPreparedArguments arguments)
    {
        var strings = arguments.Strings;
        int total = arguments.StringBytes;
        int pointer = _argumentArea;
        bool inArea = pointer != 0 && total <= ArgumentAreaBytes;
        if (!inArea && strings.Length > 0)
        {
            // One wasmkit_alloc call for all string arguments, each placed 8-byte aligned, as separate calls would.
            if (_alloc is null)
                throw new InvalidOperationException($"Module '{Instance.Module.Name}' has no {UdfCallingConvention.AllocExport} export.");
            pointer = Allocate(total);
            if (pointer == 0 && total > 0)
                throw new UdfExecutionException(entry.DisplayName, -1,
                    new InvalidOperationException($"{UdfCallingConvention.AllocExport}({total}) returned 0: the guest is out of memory."));
        }
        // The slots only change with the arguments or where the strings go: a handle calling again on
        // this instance finds them ready.
        if (!inArea || !ReferenceEquals(_loadedArguments, arguments))
        {
            var source = arguments.Slots;
            if (Slots.Length < source.Length) Slots = new ulong[source.Length];
            source.AsSpan().CopyTo(Slots);
            foreach (var text in strings)
            {
                Slots[text.Slot] = (uint)(pointer + text.Offset);
                Slots[text.Slot + 1] = (uint)text.Length;
            }
            _loadedArguments = inArea ? arguments : null;
        }
        // The instance was reset since the last call, so the bytes go in every time: one copy, one dirty mark.
        if (total > 0) arguments.StringBlock.AsSpan().CopyTo(Instance.WriteMemory((uint)pointer, total));
    }

    /// <summary>
    /// Counts evaluations of <paramref name="entry"/> on this instance. Only the thread that holds the
    /// instance writes here, so plain adds suffice; the counts move to the UDF's statistics when the
    /// instance leaves the per-core cache (<see cref="FlushCounts"/>), and statistics add what is
    /// still pending (<see cref="PendingCounts"/>).
    /// </summary>
    public void Count(UdfEntry entry, int calls, int errors)
    {
        int slot = entry.Slot;
        if (slot >= _pendingCalls.Length) GrowCounts(slot);
        if (!ReferenceEquals(_countedEntries[slot], entry)) _countedEntries[slot] = entry;
        _pendingCalls[slot] += calls;
        if (errors != 0) _pendingErrors[slot] += errors;
    }

    /// <summary>The counts not yet moved to <paramref name="entry"/>'s statistics (read from any thread).</summary>
    public (long Calls, long Errors) PendingCounts(UdfEntry entry)
    {
        var calls = Volatile.Read(ref _pendingCalls);
        var errors = Volatile.Read(ref _pendingErrors);
        int slot = entry.Slot;
        return slot < calls.Length && slot < errors.Length ? (Volatile.Read(ref calls[slot]), Volatile.Read(ref errors[slot])) : (0, 0);
    }

    /// <summary>Moves the pending counts into the UDFs' statistics; by the thread that holds the instance.</summary>
    public void FlushCounts()
    {
        for (int slot = 0; slot < _pendingCalls.Length; slot++)
        {
            long calls = _pendingCalls[slot];
            if (calls == 0) continue;
            long errors = _pendingErrors[slot];
            // A statistics read racing with this may see these counts twice or not yet; once the
            // calls are done, every count is in exactly one place.
            _countedEntries[slot]!.Histogram.AddCalls(calls, errors);
            Volatile.Write(ref _pendingCalls[slot], 0);
            Volatile.Write(ref _pendingErrors[slot], 0);
        }
    }

    private void GrowCounts(int slot)
    {
        int size = Math.Max(slot + 1, _pendingCalls.Length * 2);
        Array.Resize(ref _countedEntries, size);
        var calls = _pendingCalls;
        var errors = _pendingErrors;
        Array.Resize(ref calls, size);
        Array.Resize(ref errors, size);
        Volatile.Write(ref _pendingErrors, errors);
        Volatile.Write(ref _pendingCalls, calls);
    }

    /// <summary>Whether the next evaluation is one of the sampled ones whose duration is measured.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public bool TakeTimingSample(int interval)
    {
        if (--_untilTimed > 0) return false;
        _untilTimed = interval;
        return true;
    }
}
