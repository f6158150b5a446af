using System.Diagnostics.Metrics;

namespace WasmKit.Messaging;

/// <summary>How a <see cref="MessageBroker"/> validates, delivers and reports messages.</summary>
public sealed record MessageBrokerOptions
{
    /// <summary>The largest payload a message may carry, in bytes.</summary>
    public int MaximumPayloadBytes { get; init; } = 64 * 1024;

    /// <summary>Codecs besides <see cref="MessageCodec.Raw"/> and <see cref="MessageCodec.Json"/>, with tags from <see cref="MessageCodec.FirstHostId"/>.</summary>
    public IReadOnlyList<MessageCodec> Codecs { get; init; } = [];

    /// <summary>
    /// Whether each mailbox is drained by a background task as messages arrive (the default). When false, nothing
    /// is delivered until <see cref="MessageBroker.DeliverPending"/> is called, on the caller's thread: for
    /// deterministic hosts and for measuring the cost of delivery without thread hand-offs.
    /// </summary>
    public bool DeliverInBackground { get; init; } = true;

    /// <summary>Every how many messages of a mailbox one has its latency (send to handler start) recorded; 1 records all.</summary>
    public int LatencySampleInterval { get; init; } = 16;

    /// <summary>Called (on the delivering thread) when a handler fails or traps; the message is lost, the mailbox goes on.</summary>
    public Action<DeliveryFailure>? DeliveryFailed { get; init; }

    /// <summary>Makes the "WasmKit" meter; null creates one the broker owns.</summary>
    public IMeterFactory? MeterFactory { get; init; }

    internal void Check()
    {
        if (MaximumPayloadBytes < 0) throw new ArgumentException("MaximumPayloadBytes must not be negative.", nameof(MaximumPayloadBytes));
        if (LatencySampleInterval < 1) throw new ArgumentException("LatencySampleInterval must be at least 1.", nameof(LatencySampleInterval));
        foreach (var codec in Codecs)
        {
            ArgumentNullException.ThrowIfNull(codec, nameof(Codecs));
            if (codec.Id < MessageCodec.FirstHostId)
                throw new ArgumentException($"The host codec '{codec.Name}' has tag {codec.Id}; host codecs use tags from {MessageCodec.FirstHostId}.", nameof(Codecs));
        }
        var duplicate = Codecs.GroupBy(c => c.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"Two codecs have tag {duplicate.Key}.", nameof(Codecs));
    }
}
