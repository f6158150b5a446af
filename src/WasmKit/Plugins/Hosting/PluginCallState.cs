using WasmKit.Udf;

namespace WasmKit.Plugins;

/// <summary>
/// The host state of one plugin instance (<see cref="WasmKit.Backends.IBackendInstance.HostState"/>), set for
/// the duration of each tap call: what the tap SDK's functions and the host's capability functions see
/// (their <c>state</c> argument). Reused across the instance's calls; do not keep it past a call.
/// </summary>
public sealed class PluginCallState
{
    // The fields the call collected, applied to the item only when the whole call succeeded.
    internal readonly List<KeyValuePair<byte[], byte[]>> PendingSets = [];

    internal PluginCallState(UdfDeadline? deadline) => Deadline = deadline;

    /// <summary>The plugin's name.</summary>
    public string Plugin => Binding?.Plugin.Name ?? "";

    /// <summary>The tap being called.</summary>
    public string Tap => Binding?.Declaration.Name ?? "";

    /// <summary>The request's context.</summary>
    public TapContext? Context { get; private set; }

    /// <summary>The request's item (the host's view: every field).</summary>
    public TapItem? Item { get; private set; }

    /// <summary>Cancelled when the request is; asynchronous host functions should pass it on.</summary>
    public CancellationToken CancellationToken { get; private set; }

    internal PluginTapBinding? Binding { get; private set; }

    internal UdfDeadline? Deadline { get; }

    internal byte[]? PendingRender;

    internal string? PendingRejection;

    /// <summary>Why the call must fail although the guest returned normally (a denied or oversized write).</summary>
    internal (TapFailureKind Kind, string Reason)? Violation;

    /// <summary>The bytes of the changes collected so far (bounded by <see cref="PluginHostOptions.MaximumResultBytes"/>).</summary>
    internal long PendingBytes;

    internal void Begin(PluginTapBinding binding, TapItem item, TapContext? context, CancellationToken cancellationToken)
    {
        Binding = binding;
        Item = item;
        Context = context;
        CancellationToken = cancellationToken;
    }

    internal void End()
    {
        Binding = null;
        Item = null;
        Context = null;
        CancellationToken = default;
        PendingSets.Clear();
        PendingRender = null;
        PendingRejection = null;
        Violation = null;
        PendingBytes = 0;
    }
}
