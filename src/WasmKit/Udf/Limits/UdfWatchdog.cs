using System.Diagnostics;

namespace WasmKit.Udf;

/// <summary>
/// Enforces a module's UDF timeout for all its instances, ticked by the registry's
/// <see cref="UdfWatchdogThread"/>, so that an evaluation costs a few plain writes instead of arming
/// and disarming a timer. The watchdog counts ticks of a fixed period; a run (<see cref="UdfDeadline"/>)
/// records the tick it started at, and a tick that finds it running for longer than the timeout asks
/// its store to interrupt the guest.
/// </summary>
/// <remarks>
/// A run is interrupted between the timeout and the timeout plus two periods (the period is an eighth
/// of the timeout, between 1 ms and 50 ms). Ticking pauses after a while without runs and resumes with
/// the next one.
/// </remarks>
internal sealed class UdfWatchdog : IDisposable
{
    private const int IdleTicksBeforePause = 64;

    private readonly UdfWatchdogThread _thread;
    private readonly long _limitTicks;
    // Weak, so that a deadline whose instance the pool discarded can be collected.
    private WeakReference<UdfDeadline>[] _watched = [];
    private long _now;
    private int _paused = 1;
    private int _idleTicks;
    private bool _disposed;

    public UdfWatchdog(TimeSpan timeout, UdfWatchdogThread thread)
    {
        _thread = thread;
        var period = TimeSpan.FromTicks(Math.Clamp(timeout.Ticks / 8, TimeSpan.TicksPerMillisecond, 50 * TimeSpan.TicksPerMillisecond));
        PeriodTimestamp = Math.Max(1, (long)(period.TotalSeconds * Stopwatch.Frequency));
        // At its n-th tick a run has lasted more than n - 1 periods: interrupting at
        // timeout / period + 1 ticks never stops it early.
        _limitTicks = (long)Math.Ceiling(timeout.Ticks / (double)period.Ticks) + 1;
    }

    /// <summary>The tick period in <see cref="Stopwatch"/> units.</summary>
    public long PeriodTimestamp { get; }

    /// <summary>When the next tick is due, in <see cref="Stopwatch"/> units (the thread's, under its gate).</summary>
    public long NextTickAt { get; set; }

    /// <summary>The current tick, read by runs as they start.</summary>
    public long Now => Volatile.Read(ref _now);

    /// <summary>A deadline for the guest code of a new instance, watched by this watchdog.</summary>
    public UdfDeadline Watch(WasmKit.Backends.IExecutionBudget budget)
    {
        var deadline = new UdfDeadline(budget, this);
        lock (_thread.Gate)
        {
            _watched = [.. _watched.Where(w => w.TryGetTarget(out _)), new WeakReference<UdfDeadline>(deadline)];
        }
        return deadline;
    }

    /// <summary>Makes sure the watchdog ticks; called as a run starts, cheap when it already does.</summary>
    public void EnsureRunning()
    {
        if (Volatile.Read(ref _paused) == 0) return;
        lock (_thread.Gate)
        {
            if (_disposed || _paused == 0) return;
            _idleTicks = 0;
            Volatile.Write(ref _paused, 0);
            _thread.Schedule(this);
        }
    }

    /// <summary>One tick, on the watchdog thread under its gate; false when the watchdog pauses.</summary>
    public bool Tick()
    {
        if (_disposed) return false;
        long now = Interlocked.Increment(ref _now);
        bool anyRunning = false;
        foreach (var reference in _watched)
        {
            if (reference.TryGetTarget(out var deadline) && deadline.Check(now, _limitTicks)) anyRunning = true;
        }
        if (anyRunning)
        {
            _idleTicks = 0;
            return true;
        }
        if (++_idleTicks < IdleTicksBeforePause) return true;
        Volatile.Write(ref _paused, 1);
        // A run marks itself running, then reads _paused, with no fence of its own (it is the hot
        // side); this process-wide fence makes sure that either it sees the pause and resumes the
        // ticking, or the scan below sees it running and keeps the ticking on.
        Interlocked.MemoryBarrierProcessWide();
        foreach (var reference in _watched)
        {
            if (reference.TryGetTarget(out var deadline) && deadline.IsRunning)
            {
                Volatile.Write(ref _paused, 0);
                _idleTicks = 0;
                return true;
            }
        }
        return false;
    }

    public void Dispose()
    {
        lock (_thread.Gate)
        {
            _disposed = true;
            _thread.Unschedule(this);
            _watched = [];
        }
    }
}
