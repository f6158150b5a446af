namespace WasmKit.Messaging;

/// <summary>
/// The outcome of a send, request or reply as the guest sees it (the i32 its <c>wasmkit_msg</c> imports return)
/// and as .NET callers see it. Zero and positive values are successes; negative values are errors.
/// </summary>
public enum MessageStatus
{
    /// <summary>The message is in the target's mailbox.</summary>
    Accepted = 0,

    /// <summary>The target's mailbox was full and its policy is <see cref="BackpressurePolicy.DropNewest"/>: the message was dropped (and counted).</summary>
    Dropped = 1,

    /// <summary>No component of that name or id is registered.</summary>
    UnknownTarget = -1,

    /// <summary>The sender's manifest does not allow sending to the target.</summary>
    NotAllowed = -2,

    /// <summary>The payload is larger than <see cref="MessageBrokerOptions.MaximumPayloadBytes"/>.</summary>
    PayloadTooLarge = -3,

    /// <summary>The codec tag is not a codec the broker knows.</summary>
    UnknownCodec = -4,

    /// <summary>The target's mailbox was full and its policy rejects (or waiting for room timed out).</summary>
    MailboxFull = -5,

    /// <summary>The payload is not valid for its codec (e.g. malformed JSON).</summary>
    InvalidPayload = -6,

    /// <summary>A pointer and length passed by the guest lie outside its memory.</summary>
    OutOfBounds = -7,

    /// <summary>The target is being unloaded, or was unloaded with its mailbox rejected.</summary>
    TargetUnloaded = -8,

    /// <summary>No reply arrived before the request's timeout.</summary>
    TimedOut = -9,

    /// <summary>The handler returned an error code (non-zero) instead of handling the message.</summary>
    HandlerFailed = -10,

    /// <summary>The handler trapped (or threw): the message is lost, the mailbox goes on.</summary>
    HandlerTrapped = -11,

    /// <summary>The sender has as many requests awaiting replies as <see cref="MailboxOptions.MaximumPendingRequests"/> allows.</summary>
    TooManyPendingRequests = -12,

    /// <summary>A reply was attempted outside the handling of a request, or twice for one request.</summary>
    NotARequest = -13,

    /// <summary>A guest buffer is too small for the result (e.g. a component name).</summary>
    BufferTooSmall = -14,

    /// <summary>The sender cannot receive replies (a guest requester without a <c>handle_response</c> export).</summary>
    NoResponseHandler = -15,
}
