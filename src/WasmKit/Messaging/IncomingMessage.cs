namespace WasmKit.Messaging;

/// <summary>
/// A message as a <see cref="HostMessageHandler"/> sees it: a stack-only view, valid during the handler call
/// only (copy the payload to keep it).
/// </summary>
public readonly ref struct IncomingMessage
{
    private readonly MessageEndpoint _receiver;
    private readonly PendingRequest? _request;

    internal IncomingMessage(MessageEndpoint receiver, int senderId, ReadOnlySpan<byte> payload, int codec, PendingRequest? request)
    {
        _receiver = receiver;
        SenderId = senderId;
        Payload = payload;
        Codec = codec;
        _request = request;
    }

    /// <summary>The sender's endpoint id.</summary>
    public int SenderId { get; }

    /// <summary>The sender's name.</summary>
    public string Sender => _receiver.Broker.NameOf(SenderId);

    /// <summary>The payload.</summary>
    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>The payload's codec tag.</summary>
    public int Codec { get; }

    /// <summary>Whether the sender awaits a reply.</summary>
    public bool IsRequest => _request is not null;

    /// <summary>Replies to the request (once; a handler that returns without replying sends an empty reply).</summary>
    /// <param name="payload">The reply's bytes, copied.</param>
    /// <param name="codec">The reply's codec tag.</param>
    /// <returns><see cref="MessageStatus.Accepted"/>, or why the reply was refused (not a request, replied already, too large, unknown codec).</returns>
    public MessageStatus Reply(ReadOnlySpan<byte> payload, int codec = MessageCodec.RawId) =>
        _receiver.Broker.Reply(_request, _receiver, payload, codec);
}
