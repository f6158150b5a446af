using System.Diagnostics;

namespace WasmKit.Udf;

/// <summary>
/// One dedicated background thread per registry that ticks the watchdogs of its modules. A thread of
/// its own (not a thread-pool timer) so that timeouts fire however busy or starved the thread pool is,
/// e.g. when it is full of callers waiting for an instance. The thread starts with the first running
/// watchdog and ends after a while with none.
/// </summary>
internal sealed class UdfWatchdogThread : IDisposable
{
    private static readonly TimeSpan IdleExit = TimeSpan.FromSeconds(5);

    private readonly object _gate = new();
    private readonly List<UdfWatchdog> _active = [];
    private Thread? _thread;
    private bool _disposed;

    /// <summary>The lock that guards this thread's and its watchdogs' scheduling state.</summary>
    public object Gate => _gate;

    /// <summary>Makes the thread tick <paramref name="watchdog"/> (call under <see cref="Gate"/>).</summary>
    public void Schedule(UdfWatchdog watchdog)
    {
        if (_disposed) return;
        if (!_active.Contains(watchdog))
        {
            watchdog.NextTickAt = Stopwatch.GetTimestamp() + watchdog.PeriodTimestamp;
            _active.Add(watchdog);
        }
        if (_thread is null)
        {
            _thread = new Thread(Run) { IsBackground = true, Name = "WasmKit UDF watchdog" };
            _thread.Start();
        }
        else
        {
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Stops ticking <paramref name="watchdog"/> (call under <see cref="Gate"/>).</summary>
    public void Unschedule(UdfWatchdog watchdog) => _active.Remove(watchdog);

    private void Run()
    {
        lock (_gate)
        {
            while (!_disposed)
            {
                long now = Stopwatch.GetTimestamp();
                long nextDue = long.MaxValue;
                for (int i = _active.Count - 1; i >= 0; i--)
                {
                    var watchdog = _active[i];
                    if (now >= watchdog.NextTickAt)
                    {
                        // A late tick is not made up for: the tick count measures periods actually waited.
                        watchdog.NextTickAt = Math.Max(watchdog.NextTickAt + watchdog.PeriodTimestamp, now + 1);
                        if (!watchdog.Tick())
                        {
                            _active.RemoveAt(i);
                            continue;
                        }
                    }
                    nextDue = Math.Min(nextDue, watchdog.NextTickAt);
                }
                if (nextDue == long.MaxValue)
                {
                    // Nothing to watch: wait for a watchdog, and end the thread after a while without one.
                    if (!Monitor.Wait(_gate, IdleExit) && _active.Count == 0) break;
                    continue;
                }
                var wait = Stopwatch.GetElapsedTime(now, nextDue);
                if (wait > TimeSpan.Zero) Monitor.Wait(_gate, wait);
            }
            _thread = null;
        }
    }

    /// <summary>Stops the thread.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _active.Clear();
            Monitor.PulseAll(_gate);
        }
    }
}
