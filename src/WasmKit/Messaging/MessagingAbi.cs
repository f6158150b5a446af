namespace WasmKit.Messaging;

/// <summary>
/// The guest side of messaging (see <c>fixtures/messaging/wasmkit_msg.h</c>). Pointers and lengths are i32;
/// every import returns a <see cref="MessageStatus"/> (negative on error) unless noted.
/// </summary>
/// <remarks>
/// Imports, module <c>wasmkit_msg</c>:
/// <list type="bullet">
/// <item><c>resolve(name_ptr, name_len) -&gt; i32</c>: the id of the endpoint named by the UTF-8 name, or a status.</item>
/// <item><c>send(target_id, payload_ptr, payload_len, codec) -&gt; i32</c>: fire and forget; returns at once.</item>
/// <item><c>request(target_id, payload_ptr, payload_len, codec, timeout_ms) -&gt; i64</c>: a correlation id (positive)
/// or a status; the outcome comes later through <c>handle_response</c>. A timeout of 0 or less waits for ever.</item>
/// <item><c>reply(payload_ptr, payload_len, codec) -&gt; i32</c>: answers the request being handled.</item>
/// <item><c>name(id, buf_ptr, buf_cap) -&gt; i32</c>: writes an endpoint's UTF-8 name; its length, or a status.</item>
/// </list>
/// Exports: <c>memory</c>; <c>wasmkit_alloc(size) -&gt; ptr</c> (the host writes payloads there, once per batch);
/// <c>handle_message(sender_id, payload_ptr, payload_len, codec) -&gt; i32</c> (0 handled, any other value an error
/// code); and, for components that import <c>request</c>,
/// <c>handle_response(correlation_id: i64, status, payload_ptr, payload_len, codec) -&gt; i32</c>.
/// Capabilities: a manifest declares <c>"wasmkit_msg"</c> to import these, and <c>"wasmkit_msg:send:TARGET"</c>
/// (or <c>"wasmkit_msg:send:*"</c>) for each endpoint the component may send to.
/// </remarks>
public static class MessagingAbi
{
    /// <summary>The import module name.</summary>
    public const string ModuleName = "wasmkit_msg";

    /// <summary>The prefix of a manifest capability allowing sends to one target (or <c>*</c> for any).</summary>
    public const string SendCapabilityPrefix = "wasmkit_msg:send:";

    /// <summary>The export that handles messages and requests.</summary>
    public const string HandleMessageExport = "handle_message";

    /// <summary>The export that receives the outcome of the component's own requests.</summary>
    public const string HandleResponseExport = "handle_response";

    /// <summary>The import <c>resolve</c>.</summary>
    public const string Resolve = "resolve";

    /// <summary>The import <c>send</c>.</summary>
    public const string Send = "send";

    /// <summary>The import <c>request</c>.</summary>
    public const string Request = "request";

    /// <summary>The import <c>reply</c>.</summary>
    public const string Reply = "reply";

    /// <summary>The import <c>name</c>.</summary>
    public const string Name = "name";

    /// <summary>The type of <c>handle_message</c>: (sender_id, payload_ptr, payload_len, codec) -&gt; status.</summary>
    public static FunctionType HandleMessageType { get; } = FunctionType.Of([ValueKind.Int32, ValueKind.Int32, ValueKind.Int32, ValueKind.Int32], [ValueKind.Int32]);

    /// <summary>The type of <c>handle_response</c>: (correlation_id, status, payload_ptr, payload_len, codec) -&gt; status.</summary>
    public static FunctionType HandleResponseType { get; } = FunctionType.Of([ValueKind.Int64, ValueKind.Int32, ValueKind.Int32, ValueKind.Int32, ValueKind.Int32], [ValueKind.Int32]);
}
