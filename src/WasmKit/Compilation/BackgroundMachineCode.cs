using System.Runtime.CompilerServices;

namespace WasmKit.Compilation;

/// <summary>
/// An engine's background compilation to machine code (<see cref="MachineCodeCompilation.Background"/>): modules
/// are queued as they load, and up to <see cref="MaxThreads"/> threads compile their methods, oldest module first,
/// in the order of <see cref="MachineCodeOrder.ByFirstCall"/>. Threads start when work arrives and end when there is none, so an idle engine holds
/// none. A module that becomes unreachable is dropped (the queue holds it weakly), and disposing the engine stops
/// everything. A method the JIT rejects is skipped: its first call reports it as usual.
/// </summary>
internal sealed class BackgroundMachineCode
{
    private readonly List<WeakReference<PendingMachineCode>> _modules = [];
    private readonly object _lock = new();
    private readonly CancellationToken _stopping;
    private int _threads;

    /// <param name="stopping">Cancelled when the engine is disposed.</param>
    public BackgroundMachineCode(CancellationToken stopping)
    {
        _stopping = stopping;
    }

    /// <summary>
    /// At most this many threads per engine: one per core but one, which the guest's own thread needs (it compiles
    /// what the background has not reached yet); measured on two cores, a second background thread slowed the first run.
    /// </summary>
    public static int MaxThreads => Math.Max(1, Environment.ProcessorCount - 1);

    /// <summary>How many threads are compiling now (for tests).</summary>
    public int ActiveThreads => Volatile.Read(ref _threads);

    /// <summary>Queues a module's methods and starts threads for them, within <see cref="MaxThreads"/>.</summary>
    public void Add(PendingMachineCode pending)
    {
        if (_stopping.IsCancellationRequested) return;
        int start;
        lock (_lock)
        {
            _modules.Add(new WeakReference<PendingMachineCode>(pending));
            start = Math.Min(MaxThreads - _threads, pending.Count);
            _threads += Math.Max(0, start);
        }
        for (int i = 0; i < start; i++)
        {
            var thread = new Thread(static state => ((BackgroundMachineCode)state!).Work(), MachineCodePreparation.ThreadStackBytes)
            {
                IsBackground = true,
                Name = "WasmKit machine code",
            };
            // UnsafeStart: the thread outlives the load that started it and must not keep its execution context.
            thread.UnsafeStart(this);
        }
    }

    private void Work()
    {
        while (NextMethod(out var method))
        {
            try
            {
                RuntimeHelpers.PrepareMethod(method);
            }
            catch (Exception)
            {
                // Nothing to do here: the function's first call compiles it again and reports the error to its caller.
            }
        }
    }

    /// <summary>The next method to compile, from the oldest live module with work left; false (and one thread less) when there is none.</summary>
    private bool NextMethod(out RuntimeMethodHandle method)
    {
        lock (_lock)
        {
            while (!_stopping.IsCancellationRequested && _modules.Count > 0)
            {
                // The strong reference lasts for this one method's compile, so the module can go between two.
                if (_modules[0].TryGetTarget(out var pending) && pending.TryTake(out method, out _)) return true;
                _modules.RemoveAt(0);
            }
            if (_stopping.IsCancellationRequested) _modules.Clear();
            _threads--;
            method = default;
            return false;
        }
    }
}
