namespace WasmKit.Messaging;

/// <summary>
/// A request awaiting its reply: completed exactly once, by the reply, the handler's end, the timeout or the
/// target's unloading, whichever comes first. A .NET requester gets a task; a guest requester gets a
/// <see cref="EnvelopeKind.Response"/> in its own mailbox (never bounded, so the outcome is never lost).
/// </summary>
internal sealed class PendingRequest
{
    private readonly MessageEndpoint _requester;
    private readonly TaskCompletionSource<MessageReply>? _task;
    private Timer? _timer;
    private int _completed;

    public PendingRequest(MessageEndpoint requester, long correlationId, string target, bool forDotNet)
    {
        _requester = requester;
        CorrelationId = correlationId;
        Target = target;
        if (forDotNet) _task = new TaskCompletionSource<MessageReply>(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public long CorrelationId { get; }

    public string Target { get; }

    public Task<MessageReply> Task => _task!.Task;

    public bool IsCompleted => Volatile.Read(ref _completed) != 0;

    /// <summary>Starts the timeout; called once the request is in the target's mailbox.</summary>
    public void StartTimer(TimeSpan timeout)
    {
        if (timeout == Timeout.InfiniteTimeSpan) return;
        var timer = new Timer(static state => ((PendingRequest)state!).Complete(MessageStatus.TimedOut, 0, default, 0, null), this, Timeout.Infinite, Timeout.Infinite);
        Volatile.Write(ref _timer, timer);
        timer.Change(timeout, Timeout.InfiniteTimeSpan);
        if (IsCompleted) timer.Dispose();
    }

    /// <summary>Completes the request unless it was completed already; returns whether this call did it.</summary>
    public bool Complete(MessageStatus status, int handlerCode, ReadOnlySpan<byte> payload, int codec, string? replier)
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0) return false;
        Volatile.Read(ref _timer)?.Dispose();
        _requester.RequestFinished();
        if (_task is not null)
        {
            if (status == MessageStatus.Accepted)
                _task.TrySetResult(new MessageReply(replier ?? Target, payload.ToArray(), codec));
            else
                _task.TrySetException(new MessagingException(status, Describe(status, handlerCode), handlerCode));
        }
        else
        {
            _requester.EnqueueResponse(CorrelationId, status, payload, codec);
        }
        return true;
    }

    private string Describe(MessageStatus status, int handlerCode) => status switch
    {
        MessageStatus.TimedOut => $"The request {CorrelationId} from '{_requester.Name}' to '{Target}' got no reply before its timeout.",
        MessageStatus.HandlerFailed => $"The handler of '{Target}' failed the request {CorrelationId} from '{_requester.Name}' with code {handlerCode}.",
        MessageStatus.HandlerTrapped => $"The handler of '{Target}' trapped on the request {CorrelationId} from '{_requester.Name}'.",
        _ => $"The request {CorrelationId} from '{_requester.Name}' to '{Target}' failed: {status}.",
    };
}
