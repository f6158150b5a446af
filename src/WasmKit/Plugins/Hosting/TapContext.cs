namespace WasmKit.Plugins;

/// <summary>
/// The per-request context of a tap call: what the host's capability functions (e.g. <c>db_query</c>) need
/// about the request, such as the user or a database connection. Guests never see it; host functions find
/// it as <see cref="PluginCallState.Context"/>.
/// </summary>
public sealed class TapContext
{
    /// <summary>An id for the request, for logs.</summary>
    public string? RequestId { get; init; }

    /// <summary>Whatever the host's functions need (a user, a connection, a cache).</summary>
    public object? State { get; init; }
}
