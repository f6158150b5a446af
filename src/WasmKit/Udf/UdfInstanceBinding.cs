namespace WasmKit.Udf;

/// <summary>
/// What the registry keeps per pooled instance: its document context, memory, allocation export, typed UDF
/// delegates (by entry slot) and argument buffer, plus a reusable timer for timeouts. Only the thread that has
/// rented the instance touches it.
/// </summary>
internal sealed class UdfInstanceBinding
{
    private Delegate?[] _functions = new Delegate?[4];
    private Func<int, int>? _alloc;
    private Timer? _timer;
    private int _armed;

    public UdfInstanceBinding(Instance instance)
    {
        Instance = instance;
        Store = instance.Store;
        Context = instance.Store.Data as DocumentContext
            ?? throw new InvalidOperationException("A pooled UDF store must carry a DocumentContext as Store.Data.");
    }

    public Instance Instance { get; }

    public Store Store { get; }

    public DocumentContext Context { get; }

    /// <summary>The WebAssembly argument slots of the current call.</summary>
    public ulong[] Slots { get; private set; } = new ulong[16];

    public Memory Memory => Instance.Context.Memory0 ?? throw new InvalidOperationException($"Module '{Instance.Module.Name}' has no memory.");

    public Delegate GetFunction(UdfEntry entry)
    {
        if (entry.Slot >= _functions.Length) Array.Resize(ref _functions, Math.Max(entry.Slot + 1, _functions.Length * 2));
        return _functions[entry.Slot] ??= entry.Invoker!.Resolve(Instance, entry.ExportName);
    }

    /// <summary>Copies prepared arguments into the slots, writing strings into guest memory via wasmkit_alloc.</summary>
    public void Load(UdfEntry entry, UdfPreparedArguments arguments)
    {
        var source = arguments.Slots;
        if (Slots.Length < source.Length) Slots = new ulong[source.Length];
        source.CopyTo(Slots, 0);
        foreach (var text in arguments.Strings)
        {
            _alloc ??= Instance.GetFunction<int, int>(UdfCallingConvention.AllocExport)
                ?? throw new InvalidOperationException($"Module '{Instance.Module.Name}' has no {UdfCallingConvention.AllocExport} export.");
            int length = text.Utf8.Length;
            int pointer = _alloc(length);
            if (pointer == 0 && length > 0)
                throw new UdfExecutionException(entry.DisplayName, -1,
                    new InvalidOperationException($"{UdfCallingConvention.AllocExport}({length}) returned 0: the guest is out of memory."));
            text.Utf8.CopyTo(Memory.GetSpan(pointer, length));
            Slots[text.Slot] = (uint)pointer;
            Slots[text.Slot + 1] = (uint)length;
        }
    }

    /// <summary>Starts the timeout of one evaluation; the timer interrupts the store if it is still armed when it fires.</summary>
    public void ArmTimeout(TimeSpan timeout)
    {
        Store.State.InterruptRequested = 0;
        Volatile.Write(ref _armed, 1);
        _timer ??= new Timer(static state => ((UdfInstanceBinding)state!).OnTimeout(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _timer.Change(timeout, Timeout.InfiniteTimeSpan);
    }

    public void DisarmTimeout()
    {
        Volatile.Write(ref _armed, 0);
        _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        // A timer that fired just before disarming must not interrupt the next evaluation.
        Store.State.InterruptRequested = 0;
    }

    private void OnTimeout()
    {
        if (Volatile.Read(ref _armed) == 1) Store.State.InterruptRequested = 1;
    }
}
