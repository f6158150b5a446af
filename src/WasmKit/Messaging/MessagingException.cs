namespace WasmKit.Messaging;

/// <summary>A message could not be sent, or a request got no reply: names the target and the <see cref="MessageStatus"/>.</summary>
public sealed class MessagingException : WasmException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="status">Why.</param>
    /// <param name="message">What happened, naming the sender and the target.</param>
    /// <param name="handlerCode">The handler's own error code, when <paramref name="status"/> is <see cref="MessageStatus.HandlerFailed"/>.</param>
    /// <param name="inner">The exception that caused this one, if any.</param>
    public MessagingException(MessageStatus status, string message, int handlerCode = 0, Exception? inner = null)
        : base(message, inner)
    {
        Status = status;
        HandlerCode = handlerCode;
    }

    /// <summary>Why the message failed.</summary>
    public MessageStatus Status { get; }

    /// <summary>The handler's non-zero result for <see cref="MessageStatus.HandlerFailed"/>; 0 otherwise.</summary>
    public int HandlerCode { get; }
}
