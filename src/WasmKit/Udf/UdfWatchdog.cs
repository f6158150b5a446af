namespace WasmKit.Udf;

/// <summary>
/// Enforces a module's UDF timeout for all its instances with one periodic timer, so that an
/// evaluation costs a few plain writes instead of arming and disarming a timer. The timer counts
/// ticks of a fixed period; an evaluation records the tick it started at, and a tick that finds it
/// running for longer than the timeout asks its store to interrupt the guest.
/// </summary>
/// <remarks>
/// An evaluation is interrupted between the timeout and the timeout plus two periods (the period
/// is an eighth of the timeout, between 1 ms and 50 ms). The timer pauses after a while without
/// evaluations and resumes with the next one.
/// </remarks>
internal sealed class UdfWatchdog : IDisposable
{
    private const int IdleTicksBeforePause = 64;

    private readonly object _gate = new();
    private readonly TimeSpan _period;
    private readonly long _limitTicks;
    private readonly Timer _timer;
    // Weak, so that a binding whose instance the pool discarded can be collected.
    private WeakReference<UdfInstanceBinding>[] _watched = [];
    private long _now;
    private int _paused = 1;
    private int _idleTicks;
    private bool _disposed;

    public UdfWatchdog(TimeSpan timeout)
    {
        _period = TimeSpan.FromTicks(Math.Clamp(timeout.Ticks / 8, TimeSpan.TicksPerMillisecond, 50 * TimeSpan.TicksPerMillisecond));
        // At its n-th tick an evaluation has run for more than n - 1 periods: interrupting at
        // timeout / period + 1 ticks never stops it early.
        _limitTicks = (long)Math.Ceiling(timeout.Ticks / (double)_period.Ticks) + 1;
        _timer = new Timer(static state => ((UdfWatchdog)state!).OnTick(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The current tick, read by evaluations as they start.</summary>
    public long Now => Volatile.Read(ref _now);

    /// <summary>Starts watching a new binding's evaluations.</summary>
    public void Watch(UdfInstanceBinding binding)
    {
        lock (_gate)
        {
            _watched = [.. _watched.Where(w => w.TryGetTarget(out _)), new WeakReference<UdfInstanceBinding>(binding)];
        }
    }

    /// <summary>Makes sure the timer runs; called as an evaluation starts, cheap when it already does.</summary>
    public void EnsureRunning()
    {
        if (Volatile.Read(ref _paused) == 0) return;
        lock (_gate)
        {
            if (_disposed || _paused == 0) return;
            _idleTicks = 0;
            Volatile.Write(ref _paused, 0);
            _timer.Change(_period, _period);
        }
    }

    private void OnTick()
    {
        long now = Interlocked.Increment(ref _now);
        bool anyRunning = false;
        foreach (var reference in Volatile.Read(ref _watched))
        {
            if (reference.TryGetTarget(out var binding) && binding.CheckDeadline(now, _limitTicks)) anyRunning = true;
        }
        if (anyRunning)
        {
            _idleTicks = 0;
            return;
        }
        if (++_idleTicks < IdleTicksBeforePause) return;
        lock (_gate)
        {
            if (_disposed) return;
            Volatile.Write(ref _paused, 1);
            // An evaluation marks itself running, then reads _paused, with no fence of its own (it
            // is the hot side); this process-wide fence makes sure that either it sees the pause
            // and resumes the timer, or the scan below sees it running and keeps the timer on.
            Interlocked.MemoryBarrierProcessWide();
            foreach (var reference in _watched)
            {
                if (reference.TryGetTarget(out var binding) && binding.IsRunning)
                {
                    Volatile.Write(ref _paused, 0);
                    _idleTicks = 0;
                    return;
                }
            }
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _timer.Dispose();
            _watched = [];
        }
    }
}
