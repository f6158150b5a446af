using System.Diagnostics;

namespace WasmKit.Pooling;

/// <summary>
/// A counting gate: a lock-free compare-and-swap when a slot is free, a <see cref="SemaphoreSlim"/>
/// to sleep on (synchronously or asynchronously) when none is. Not FIFO: a new caller may take a
/// slot ahead of a sleeping one, which then waits on (bounded by its timeout).
/// </summary>
internal sealed class SlotGate(int slots)
{
    private readonly SemaphoreSlim _wakeUps = new(0);
    private int _free = slots;
    private int _sleepers;

    /// <summary>Takes a slot if one is free, without waiting.</summary>
    public bool TryEnter()
    {
        int free = Volatile.Read(ref _free);
        while (free > 0)
        {
            int seen = Interlocked.CompareExchange(ref _free, free - 1, free);
            if (seen == free) return true;
            free = seen;
        }
        return false;
    }

    /// <summary>Gives slots back and wakes sleepers to take them.</summary>
    public void Exit(int count = 1)
    {
        // Interlocked.Add is a full fence: either a sleeper that registered sees the new slots when it
        // retries, or this read sees the sleeper and wakes it.
        Interlocked.Add(ref _free, count);
        int sleepers = Volatile.Read(ref _sleepers);
        if (sleepers > 0) _wakeUps.Release(Math.Min(count, sleepers));
    }

    /// <summary>Takes a slot, sleeping up to <paramref name="timeout"/> (infinite: <see cref="Timeout.InfiniteTimeSpan"/>).</summary>
    /// <returns>False on timeout.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public bool Enter(TimeSpan timeout, CancellationToken cancellationToken)
    {
        long start = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref _sleepers);
        try
        {
            while (!TryEnter())
            {
                var remaining = Remaining(timeout, start);
                if (remaining == TimeSpan.Zero) return false;
                _wakeUps.Wait(remaining, cancellationToken);
            }
            return true;
        }
        finally
        {
            Interlocked.Decrement(ref _sleepers);
        }
    }

    /// <summary>Takes a slot, waiting asynchronously up to <paramref name="timeout"/>.</summary>
    /// <returns>False on timeout.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public async Task<bool> EnterAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        long start = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref _sleepers);
        try
        {
            while (!TryEnter())
            {
                var remaining = Remaining(timeout, start);
                if (remaining == TimeSpan.Zero) return false;
                await _wakeUps.WaitAsync(remaining, cancellationToken).ConfigureAwait(false);
            }
            return true;
        }
        finally
        {
            Interlocked.Decrement(ref _sleepers);
        }
    }

    private static TimeSpan Remaining(TimeSpan timeout, long start)
    {
        if (timeout == Timeout.InfiniteTimeSpan) return timeout;
        var left = timeout - Stopwatch.GetElapsedTime(start);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }
}
