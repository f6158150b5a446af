namespace WasmKit.Execution;

/// <summary>Live counters of a <see cref="GuestExecutor"/>; each read sees the current value. Thread-safe.</summary>
public sealed class GuestExecutorMetrics
{
    internal int ThreadCount;
    internal int PeakThreadCount;
    internal int QueuedCount;
    internal long CompletedCount;
    internal long RejectedCount;
    internal long CanceledCount;

    internal GuestExecutorMetrics()
    {
    }

    /// <summary>How many execution threads exist right now (running work or idle).</summary>
    public int CurrentThreads => Volatile.Read(ref ThreadCount);

    /// <summary>The most execution threads that existed at once.</summary>
    public int PeakThreads => Volatile.Read(ref PeakThreadCount);

    /// <summary>How many work items wait for a thread right now.</summary>
    public int QueuedWork => Volatile.Read(ref QueuedCount);

    /// <summary>How many work items ran to completion (successfully or with an exception).</summary>
    public long Completed => Interlocked.Read(ref CompletedCount);

    /// <summary>How many work items were turned away by <see cref="QueueFullPolicy.Reject"/>.</summary>
    public long Rejected => Interlocked.Read(ref RejectedCount);

    /// <summary>How many work items were cancelled before they started (their token, or the executor's disposal).</summary>
    public long Canceled => Interlocked.Read(ref CanceledCount);

    /// <summary>Raises <see cref="PeakThreads"/> to <paramref name="now"/> threads if that is more.</summary>
    internal void RecordThreads(int now)
    {
        int peak = Volatile.Read(ref PeakThreadCount);
        while (now > peak)
        {
            int seen = Interlocked.CompareExchange(ref PeakThreadCount, now, peak);
            if (seen == peak) break;
            peak = seen;
        }
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"threads {CurrentThreads} (peak {PeakThreads}), queued {QueuedWork}, completed {Completed}, rejected {Rejected}, canceled {Canceled}";
}
