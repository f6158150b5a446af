namespace WasmKit.Messaging;

/// <summary>
/// An endpoint whose handler is .NET code (<see cref="MessageBroker.RegisterHost"/>): guests send to it as to
/// any component, and .NET code sends and requests through it. Host endpoints may send to any endpoint.
/// </summary>
public sealed class HostMessageEndpoint : MessageEndpoint
{
    private readonly HostMessageHandler _handler;

    internal HostMessageEndpoint(MessageBroker broker, int id, string name, HostMessageHandler handler, MailboxOptions options)
        : base(broker, id, name, options, allowedTargets: null)
    {
        _handler = handler;
    }

    private protected override (MessageStatus Status, int HandlerCode, Exception? Error) Deliver(ref Envelope envelope)
    {
        try
        {
            _handler(new IncomingMessage(this, envelope.SenderId, envelope.Payload, envelope.Codec, envelope.Request));
            return (MessageStatus.Accepted, 0, null);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            return (MessageStatus.HandlerTrapped, 0, error);
        }
    }

    private protected override void EndBatch()
    {
    }
}
