namespace WasmKit.Messaging;

/// <summary>
/// The host state of every instance a <see cref="MessagingComponent"/> runs on: which endpoint its sends come
/// from, and the request its handler is answering (if any) for <c>reply</c>.
/// </summary>
internal sealed class MessagingInstanceState(MessagingComponent endpoint)
{
    public MessagingComponent Endpoint { get; } = endpoint;

    /// <summary>The request whose handler runs now; null outside <c>handle_message</c> or for a plain message.</summary>
    public PendingRequest? CurrentRequest { get; set; }
}
