namespace WasmKit.Pooling;

/// <summary>Live counters of an <see cref="InstancePool"/>; each read sees the current value. Thread-safe.</summary>
public sealed class InstancePoolMetrics
{
    internal long RentedCount;
    internal long ReturnedCount;
    internal long CreatedCount;
    internal long ReturnDiscardedCount;
    internal long DiscardedCount;
    internal int WaitingCount;
    internal int LiveCount;
    internal long MemoryBytesCount;
    internal long MemoryRejectedCount;

    internal InstancePoolMetrics()
    {
    }

    /// <summary>How many rents succeeded.</summary>
    public long Rented => Interlocked.Read(ref RentedCount);

    /// <summary>How many rented instances came back (reused or discarded).</summary>
    public long Returned => Interlocked.Read(ref ReturnedCount);

    /// <summary>How many instances were created.</summary>
    public long Created => Interlocked.Read(ref CreatedCount);

    /// <summary>How many instances were reset for reuse.</summary>
    public long Reset => Returned - Interlocked.Read(ref ReturnDiscardedCount);

    /// <summary>How many instances were dropped: trapped, marked broken, trimmed, or returned after disposal.</summary>
    public long Discarded => Interlocked.Read(ref DiscardedCount);

    /// <summary>How many callers are waiting for an instance right now.</summary>
    public int Waiting => Volatile.Read(ref WaitingCount);

    /// <summary>How many instances exist right now, rented or idle.</summary>
    public int Live => Volatile.Read(ref LiveCount);

    /// <summary>The guest memory the live instances hold, in bytes, as counted against <see cref="InstancePoolOptions.MaxTotalMemoryBytes"/> (0 without that cap).</summary>
    public long MemoryBytes => Interlocked.Read(ref MemoryBytesCount);

    /// <summary>How many rents failed with <see cref="InstancePoolExhaustedException"/> at the memory cap.</summary>
    public long MemoryRejected => Interlocked.Read(ref MemoryRejectedCount);

    /// <summary>How many instances are idle in the pool right now (exact when no rent or return is under way).</summary>
    public int Idle
    {
        get
        {
            // Derived rather than counted, to keep two atomic operations off every rent: live minus rented out.
            long returned = Returned;
            long outstanding = Rented - returned;
            return (int)Math.Max(0, Live - outstanding);
        }
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"rented {Rented}, returned {Returned}, created {Created}, reset {Reset}, discarded {Discarded}, waiting {Waiting}, live {Live}, idle {Idle}, memory {MemoryBytes} bytes";
}
