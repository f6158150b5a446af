using WasmKit.Pooling;

namespace WasmKit.Messaging;

/// <summary>How one component's mailbox is bounded and delivered.</summary>
public sealed record MailboxOptions
{
    /// <summary>The most messages waiting in the mailbox (replies to the component's own requests do not count, so they are never lost).</summary>
    public int Capacity { get; init; } = 4096;

    /// <summary>
    /// The most bytes of payloads larger than 64 bytes the mailbox may hold (smaller ones live in its slots, bounded by
    /// <see cref="Capacity"/>); reaching it counts as full. A single larger payload is still taken into a mailbox holding no other.
    /// </summary>
    public long MaximumQueuedBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>What a send to a full mailbox does.</summary>
    public BackpressurePolicy Backpressure { get; init; } = BackpressurePolicy.Wait;

    /// <summary>How long a <see cref="BackpressurePolicy.Wait"/> send waits for room before it fails with <see cref="MessageStatus.MailboxFull"/>.</summary>
    public TimeSpan SendWaitTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The most messages delivered on one rented instance before it goes back to the pool (and is reset).</summary>
    public int MaximumBatch { get; init; } = 256;

    /// <summary>The most requests the component may have awaiting replies at once.</summary>
    public int MaximumPendingRequests { get; init; } = 1024;

    /// <summary>The fuel each handler call may use, where the backend consumes fuel; null uses the manifest's <c>limits.fuel</c>, else unlimited.</summary>
    public long? FuelPerMessage { get; init; }

    /// <summary>Target names the component may send to besides those its manifest declares (<c>"wasmkit_msg:send:NAME"</c> capabilities; <c>"*"</c> for any).</summary>
    public IReadOnlyList<string> AllowedTargets { get; init; } = [];

    /// <summary>The pool the component's handlers run on; null for a default one (at most two instances).</summary>
    public InstancePoolOptions? Pool { get; init; }

    internal void Check()
    {
        if (Capacity < 1) throw new ArgumentException($"Capacity must be at least 1, not {Capacity}.", nameof(Capacity));
        if (MaximumQueuedBytes < 0) throw new ArgumentException("MaximumQueuedBytes must not be negative.", nameof(MaximumQueuedBytes));
        if (MaximumBatch < 1) throw new ArgumentException($"MaximumBatch must be at least 1, not {MaximumBatch}.", nameof(MaximumBatch));
        if (MaximumPendingRequests < 0) throw new ArgumentException("MaximumPendingRequests must not be negative.", nameof(MaximumPendingRequests));
        if (SendWaitTimeout < TimeSpan.Zero && SendWaitTimeout != Timeout.InfiniteTimeSpan)
            throw new ArgumentException("SendWaitTimeout must not be negative.", nameof(SendWaitTimeout));
        if (FuelPerMessage is < 0) throw new ArgumentException("FuelPerMessage must not be negative.", nameof(FuelPerMessage));
    }
}
