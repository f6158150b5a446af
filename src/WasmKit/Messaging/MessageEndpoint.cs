using System.Diagnostics;
using WasmKit.Udf;

namespace WasmKit.Messaging;

/// <summary>
/// A named party of a <see cref="MessageBroker"/>: it has a bounded mailbox, delivered in order on one thread
/// at a time, and it sends messages and requests to other endpoints. Guest components are
/// <see cref="MessagingComponent"/>s; .NET code takes part through <see cref="HostMessageEndpoint"/>s.
/// </summary>
public abstract class MessageEndpoint
{
    private readonly IReadOnlySet<string>? _allowedTargets;
    // Per target id: 0 not yet decided, 1 allowed, -1 refused. Racing writers write the same values; an entry
    // lost to a racing growth is decided again.
    private sbyte[] _permissions = [];
    private int _pendingRequests;
    private int _draining;
    private int _rejectAll;
    private long _rejectedSends;

    private protected MessageEndpoint(MessageBroker broker, int id, string name, MailboxOptions options, IReadOnlySet<string>? allowedTargets)
    {
        Broker = broker;
        Id = id;
        Name = name;
        Options = options;
        _allowedTargets = allowedTargets;
        Mailbox = new Mailbox(options, broker.Options.LatencySampleInterval, broker.Options.DeliverInBackground ? () => Drain(options.MaximumBatch) > 0 : null);
    }

    /// <summary>The broker it belongs to.</summary>
    public MessageBroker Broker { get; }

    /// <summary>Its id: what <c>resolve</c> returns to guests and what they see as the sender; never reused by the broker.</summary>
    public int Id { get; }

    /// <summary>Its name, unique in the broker.</summary>
    public string Name { get; }

    /// <summary>Its mailbox's options.</summary>
    public MailboxOptions Options { get; }

    internal Mailbox Mailbox { get; }

    internal DurationHistogram Latency { get; } = new();

    internal Task? Loop { get; set; }

    internal bool IsIdle => Volatile.Read(ref _draining) == 0 && Volatile.Read(ref Mailbox.Depth) == 0 && Volatile.Read(ref Mailbox.Responses) == 0;

    /// <summary>Sends a message to another endpoint and returns at once (fire and forget).</summary>
    /// <param name="target">The target's name.</param>
    /// <param name="payload">The payload, copied before the method returns.</param>
    /// <param name="codec">The payload's codec tag (<see cref="MessageCodec.RawId"/>, <see cref="MessageCodec.JsonId"/> or a host codec's).</param>
    /// <returns><see cref="MessageStatus.Accepted"/>, <see cref="MessageStatus.Dropped"/>, or why the message was refused (negative).</returns>
    public MessageStatus TrySend(string target, ReadOnlySpan<byte> payload, int codec = MessageCodec.RawId)
    {
        ArgumentNullException.ThrowIfNull(target);
        return Broker.Route(this, Broker.Resolve(target), payload, codec, EnvelopeKind.Message, null);
    }

    /// <summary>Sends a message to an endpoint given by id (<see cref="Id"/>), skipping the name lookup, and returns at once.</summary>
    /// <param name="targetId">The target's id.</param>
    /// <param name="payload">The payload, copied before the method returns.</param>
    /// <param name="codec">The payload's codec tag.</param>
    /// <returns><see cref="MessageStatus.Accepted"/>, <see cref="MessageStatus.Dropped"/>, or why the message was refused (negative).</returns>
    public MessageStatus TrySend(int targetId, ReadOnlySpan<byte> payload, int codec = MessageCodec.RawId) =>
        Broker.Route(this, targetId, payload, codec, EnvelopeKind.Message, null);

    /// <summary>Sends a message to another endpoint and returns at once; throws when it is refused.</summary>
    /// <param name="target">The target's name.</param>
    /// <param name="payload">The payload, copied before the method returns.</param>
    /// <param name="codec">The payload's codec tag.</param>
    /// <returns><see cref="MessageStatus.Accepted"/> or <see cref="MessageStatus.Dropped"/>.</returns>
    /// <exception cref="MessagingException">The message was refused: unknown target, not allowed, too large, unknown codec or invalid payload, full mailbox.</exception>
    public MessageStatus Send(string target, ReadOnlySpan<byte> payload, int codec = MessageCodec.RawId)
    {
        var status = TrySend(target, payload, codec);
        if (status < 0) throw Broker.Refused(this, target, status, codec, payload.Length);
        return status;
    }

    /// <summary>
    /// Sends a request and completes with the reply: the target's handler replies with <c>reply</c> (a guest)
    /// or <see cref="IncomingMessage.Reply"/> (a host endpoint); a handler that returns without replying sends
    /// an empty reply. The task fails with a <see cref="MessagingException"/> when the request is refused, the
    /// handler fails or traps, the target unloads, or <paramref name="timeout"/> passes first.
    /// </summary>
    /// <param name="target">The target's name.</param>
    /// <param name="payload">The payload, copied before the method returns.</param>
    /// <param name="codec">The payload's codec tag.</param>
    /// <param name="timeout">How long to wait for the reply; <see cref="Timeout.InfiniteTimeSpan"/> for ever.</param>
    /// <returns>The reply.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative.</exception>
    public Task<MessageReply> RequestAsync(string target, ReadOnlyMemory<byte> payload, int codec, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must not be negative.");
        var request = StartRequest(Broker.Resolve(target), target, payload.Span, codec, timeout, forDotNet: true, out var status);
        return request is null ? Task.FromException<MessageReply>(Broker.Refused(this, target, status, codec, payload.Length)) : request.Task;
    }

    /// <summary>How many messages its handler handled so far: a cheap read (<see cref="GetStatistics"/> computes percentiles).</summary>
    public long Delivered => Volatile.Read(ref Mailbox.Delivered);

    /// <summary>A snapshot of the endpoint's counters and delivery latency.</summary>
    /// <returns>The statistics.</returns>
    public MessageEndpointStatistics GetStatistics()
    {
        var latency = Latency.Snapshot(Name, "");
        return new MessageEndpointStatistics(
            Name,
            Volatile.Read(ref Mailbox.Sent),
            Volatile.Read(ref Mailbox.Delivered),
            Volatile.Read(ref Mailbox.Failed),
            Volatile.Read(ref Mailbox.Dropped),
            RejectedSends,
            Volatile.Read(ref Mailbox.Depth),
            latency.P50, latency.P95, latency.P99);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} (#{Id})";

    /// <summary>Puts a request in the target's mailbox and starts its timeout; null (and why) when it was refused.</summary>
    internal PendingRequest? StartRequest(int targetId, string targetName, ReadOnlySpan<byte> payload, int codec, TimeSpan timeout, bool forDotNet, out MessageStatus status)
    {
        if (Interlocked.Increment(ref _pendingRequests) > Options.MaximumPendingRequests)
        {
            Interlocked.Decrement(ref _pendingRequests);
            status = MessageStatus.TooManyPendingRequests;
            CountRejected();
            return null;
        }
        var request = new PendingRequest(this, Broker.NextCorrelationId(), targetName, forDotNet);
        status = Broker.Route(this, targetId, payload, codec, EnvelopeKind.Request, request);
        if (status != MessageStatus.Accepted)
        {
            // Dropped counts as refused too: a request must get an answer, and a dropped one never would.
            if (status == MessageStatus.Dropped) status = MessageStatus.MailboxFull;
            Interlocked.Decrement(ref _pendingRequests);
            return null;
        }
        request.StartTimer(timeout);
        return request;
    }

    internal void RequestFinished() => Interlocked.Decrement(ref _pendingRequests);

    internal void CountRejected() => Interlocked.Increment(ref _rejectedSends);

    internal long RejectedSends => Volatile.Read(ref _rejectedSends);

    /// <summary>Queues the outcome of this endpoint's request from guest code (lost only when the endpoint was unloaded).</summary>
    internal void EnqueueResponse(long correlationId, MessageStatus status, ReadOnlySpan<byte> payload, int codec)
    {
        // Refused only once the mailbox is closed: the endpoint is gone, and the outcome counts as dropped.
        if (!Mailbox.EnqueueResponse(correlationId, status, payload, codec)) Interlocked.Increment(ref Mailbox.Dropped);
    }

    /// <summary>Whether this endpoint may send to <paramref name="target"/>; decided once per pair, then a table read.</summary>
    internal bool MaySendTo(MessageEndpoint target)
    {
        if (_allowedTargets is null) return true;
        var permissions = Volatile.Read(ref _permissions);
        if ((uint)target.Id < (uint)permissions.Length && permissions[target.Id] != 0) return permissions[target.Id] > 0;
        return Decide(target);
    }

    private bool Decide(MessageEndpoint target)
    {
        bool allowed = _allowedTargets!.Contains(target.Name) || _allowedTargets.Contains("*");
        var permissions = Volatile.Read(ref _permissions);
        if (permissions.Length <= target.Id)
        {
            var grown = new sbyte[Math.Max(target.Id + 1, permissions.Length * 2)];
            permissions.CopyTo(grown, 0);
            permissions = grown;
        }
        permissions[target.Id] = allowed ? (sbyte)1 : (sbyte)-1;
        Volatile.Write(ref _permissions, permissions);
        return allowed;
    }

    /// <summary>
    /// Delivers up to <paramref name="maximum"/> waiting envelopes on the calling thread; returns how many.
    /// Only one thread drains a mailbox at a time (another caller returns 0), which keeps each pair's order.
    /// </summary>
    internal int Drain(int maximum)
    {
        if (Interlocked.CompareExchange(ref _draining, 1, 0) != 0) return 0;
        int count = 0;
        try
        {
            while (count < maximum && Mailbox.TryDequeue(out var envelope))
            {
                count++;
                try
                {
                    if (Volatile.Read(ref _rejectAll) != 0) Reject(ref envelope);
                    else DeliverOne(ref envelope);
                }
                finally
                {
                    envelope.Release();
                }
            }
        }
        finally
        {
            try
            {
                EndBatch();
            }
            finally
            {
                Volatile.Write(ref _draining, 0);
            }
        }
        return count;
    }

    /// <summary>The background delivery loop: waits for envelopes, delivers them in batches, ends when the mailbox is closed and empty.</summary>
    internal async Task RunAsync()
    {
        var reader = Mailbox.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            try
            {
                Drain(Options.MaximumBatch);
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                // Handlers' faults are caught per message; this is the broker's own (e.g. a pool that cannot
                // instantiate). The mailbox must outlive it, so report it and go on.
                Broker.ReportFailure(new DeliveryFailure(Name, Name, MessageStatus.HandlerTrapped, 0, error));
            }
        }
    }

    /// <summary>From now on, waiting envelopes are rejected instead of delivered (unloading with <see cref="UnloadMode.Reject"/>).</summary>
    internal void RejectRemaining() => Volatile.Write(ref _rejectAll, 1);

    /// <summary>Releases what the endpoint holds (a guest's pool) once its mailbox is closed and empty.</summary>
    internal virtual void Release()
    {
    }

    private void DeliverOne(ref Envelope envelope)
    {
        if (envelope.SentAt != 0)
        {
            long elapsed = Stopwatch.GetTimestamp() - envelope.SentAt;
            Latency.RecordDuration(elapsed);
            Broker.Instruments.RecordLatency(this, elapsed);
        }
        var (status, code, error) = Deliver(ref envelope);
        if (envelope.Kind == EnvelopeKind.Response)
        {
            // A failed handle_response loses the outcome it was given: counted and reported like a message.
            if (status == MessageStatus.Accepted) return;
            Interlocked.Increment(ref Mailbox.Failed);
            Broker.ReportFailure(new DeliveryFailure(Name, Name, status, code, error));
            return;
        }
        if (status == MessageStatus.Accepted)
        {
            // One drainer at a time (the draining flag orders them), so a plain increment suffices.
            Volatile.Write(ref Mailbox.Delivered, Mailbox.Delivered + 1);
            // A handler that returned without replying answers with an empty reply.
            envelope.Request?.Complete(MessageStatus.Accepted, 0, default, MessageCodec.RawId, Name);
            return;
        }
        Interlocked.Increment(ref Mailbox.Failed);
        envelope.Request?.Complete(status, code, default, MessageCodec.RawId, Name);
        Broker.ReportFailure(new DeliveryFailure(Name, Broker.NameOf(envelope.SenderId), status, code, error));
    }

    private void Reject(ref Envelope envelope)
    {
        if (envelope.Kind == EnvelopeKind.Response) return;
        Interlocked.Increment(ref Mailbox.Dropped);
        envelope.Request?.Complete(MessageStatus.TargetUnloaded, 0, default, MessageCodec.RawId, Name);
    }

    /// <summary>
    /// Runs the handler of one envelope (a message, a request, or a response to this endpoint's request) and
    /// says how it went: <see cref="MessageStatus.Accepted"/>, <see cref="MessageStatus.HandlerFailed"/> with
    /// the handler's code, or <see cref="MessageStatus.HandlerTrapped"/> with the error. Never throws for the guest's faults.
    /// </summary>
    private protected abstract (MessageStatus Status, int HandlerCode, Exception? Error) Deliver(ref Envelope envelope);

    /// <summary>Ends a batch of deliveries (a guest gives its rented instance back).</summary>
    private protected abstract void EndBatch();
}
