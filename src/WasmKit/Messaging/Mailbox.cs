using System.Diagnostics;
using System.Numerics;
using System.Threading.Channels;

namespace WasmKit.Messaging;

/// <summary>
/// A component's bounded queue of envelopes: an unbounded single-reader channel whose message count this
/// class bounds itself, so that replies to the owner's requests can bypass the bound (they must never be
/// lost) while messages obey the backpressure policy. Counting is a few interlocked adds; nothing allocates
/// per message.
/// </summary>
internal sealed class Mailbox
{
    private readonly Channel<Envelope> _channel = Channel.CreateUnbounded<Envelope>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false, AllowSynchronousContinuations = false });
    private readonly MailboxOptions _options;
    private readonly int _sampleMask;
    private readonly SemaphoreSlim _roomFreed = new(0);
    // Lets a waiting sender deliver the mailbox itself when no one else is at it: a blocked sender then costs
    // no thread the delivery loop might need (senders on the thread pool could otherwise starve it).
    private readonly Func<bool>? _helpDrain;
    private int _waitingSenders;
    private int _sampleCounter;
    private int _closed;
    // Bytes of the payloads queued out of line (larger than a slot), bounded by MaximumQueuedBytes.
    private long _queuedBytes;

    // Counters, read by statistics and the meter: messages accepted, dropped (full, or rejected at unloading),
    // delivered, lost by their handler; messages and replies waiting.
    public long Sent;
    public long Dropped;
    public long Delivered;
    public long Failed;
    public int Depth;
    public int Responses;

    public Mailbox(MailboxOptions options, int sampleInterval, Func<bool>? helpDrain)
    {
        _options = options;
        _helpDrain = helpDrain;
        // Sampling every 2^k-th message keeps the check a mask; the interval is rounded down to a power of two.
        _sampleMask = (int)BitOperations.RoundUpToPowerOf2((uint)sampleInterval + 1) / 2 - 1;
    }

    public ChannelReader<Envelope> Reader => _channel.Reader;

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>Queues a message or request under the capacity and policy; the payload is copied.</summary>
    public MessageStatus Enqueue(EnvelopeKind kind, int senderId, ReadOnlySpan<byte> payload, int codec, PendingRequest? request)
    {
        if (IsClosed) return MessageStatus.TargetUnloaded;
        if (!TryTakeRoom(payload.Length))
        {
            switch (_options.Backpressure)
            {
                case BackpressurePolicy.DropNewest:
                    Interlocked.Increment(ref Dropped);
                    return MessageStatus.Dropped;
                case BackpressurePolicy.Wait when WaitForRoom(payload.Length):
                    break;
                default:
                    return IsClosed ? MessageStatus.TargetUnloaded : MessageStatus.MailboxFull;
            }
        }
        var envelope = new Envelope { Kind = kind, SenderId = senderId, Codec = codec, Request = request };
        // A racy count is fine for sampling, and cheaper than an interlocked one.
        if ((++_sampleCounter & _sampleMask) == 0) envelope.SentAt = Stopwatch.GetTimestamp();
        envelope.SetPayload(payload);
        if (!_channel.Writer.TryWrite(envelope))
        {
            // Closed between the check and the write.
            envelope.Release();
            GiveRoomBack(payload.Length);
            return MessageStatus.TargetUnloaded;
        }
        Interlocked.Increment(ref Sent);
        return MessageStatus.Accepted;
    }

    /// <summary>Queues the outcome of the owner's request, outside the capacity.</summary>
    public bool EnqueueResponse(long correlationId, MessageStatus status, ReadOnlySpan<byte> payload, int codec)
    {
        var envelope = new Envelope { Kind = EnvelopeKind.Response, CorrelationId = correlationId, Status = (int)status, Codec = codec };
        envelope.SetPayload(payload);
        Interlocked.Increment(ref Responses);
        if (_channel.Writer.TryWrite(envelope)) return true;
        Interlocked.Decrement(ref Responses);
        envelope.Release();
        return false;
    }

    /// <summary>Takes the next envelope (single reader) and frees its room.</summary>
    public bool TryDequeue(out Envelope envelope)
    {
        if (!_channel.Reader.TryRead(out envelope)) return false;
        if (envelope.Kind == EnvelopeKind.Response)
        {
            Interlocked.Decrement(ref Responses);
        }
        else
        {
            GiveRoomBack(envelope.Length);
            if (Volatile.Read(ref _waitingSenders) > 0) _roomFreed.Release();
        }
        return true;
    }

    /// <summary>Refuses new messages; the reader sees the end once the queue is empty.</summary>
    public void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        _channel.Writer.TryComplete();
        // Wake waiting senders so that they see the mailbox closed.
        int waiting = Volatile.Read(ref _waitingSenders);
        if (waiting > 0) _roomFreed.Release(waiting);
    }

    /// <summary>Takes a place for a message, and for its bytes if they do not fit in the slot; false when either bound is reached.</summary>
    private bool TryTakeRoom(int length)
    {
        if (Interlocked.Increment(ref Depth) > _options.Capacity)
        {
            Interlocked.Decrement(ref Depth);
            return false;
        }
        if (length <= InlinePayload.Size) return true;
        long queued = Interlocked.Add(ref _queuedBytes, length);
        // A payload larger than the budget still goes into a mailbox holding no other large payload.
        if (queued <= _options.MaximumQueuedBytes || queued == length) return true;
        Interlocked.Add(ref _queuedBytes, -length);
        Interlocked.Decrement(ref Depth);
        return false;
    }

    private void GiveRoomBack(int length)
    {
        if (length > InlinePayload.Size) Interlocked.Add(ref _queuedBytes, -length);
        Interlocked.Decrement(ref Depth);
    }

    private bool WaitForRoom(int length)
    {
        var timeout = _options.SendWaitTimeout;
        long start = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref _waitingSenders);
        try
        {
            while (!IsClosed)
            {
                if (TryTakeRoom(length)) return true;
                if (_helpDrain is not null && _helpDrain()) continue;
                var left = timeout == Timeout.InfiniteTimeSpan ? timeout : timeout - Stopwatch.GetElapsedTime(start);
                if (left != Timeout.InfiniteTimeSpan && left <= TimeSpan.Zero) return false;
                // A short wait bounds the cost of a missed wake-up (room freed before this sender was counted).
                var slice = left == Timeout.InfiniteTimeSpan || left > TimeSpan.FromMilliseconds(10) ? TimeSpan.FromMilliseconds(10) : left;
                _roomFreed.Wait(slice);
            }
            return false;
        }
        finally
        {
            Interlocked.Decrement(ref _waitingSenders);
        }
    }
}
