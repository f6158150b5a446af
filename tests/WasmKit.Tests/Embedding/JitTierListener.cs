using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace WasmKit.Tests.Embedding;

/// <summary>
/// Records, from the runtime's own JIT events, the optimisation tier each method whose name contains a
/// marker was compiled at (the runtime's JitOptimizationTier: 2 fully optimised, 3 tier-0, 4 tier-1, ...).
/// </summary>
internal sealed class JitTierListener(string marker) : EventListener
{
    /// <summary>The runtime's tier for code compiled once with full optimisation (what collectible code gets).</summary>
    public const int Optimized = 2;

    /// <summary>The runtime's tier-0: compiled quickly, to be replaced once hot.</summary>
    public const int QuickJitted = 3;

    private const EventKeywords JitKeyword = (EventKeywords)0x10;

    public ConcurrentQueue<(string Method, int Tier)> Compiled { get; } = new();

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, JitKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName is null || !e.EventName.StartsWith("MethodLoadVerbose", StringComparison.Ordinal) || e.PayloadNames is null || e.Payload is null) return;
        // marker is null while the base constructor enables events, before the primary constructor's field is set.
        string? name = e.Payload[e.PayloadNames.IndexOf("MethodName")]?.ToString();
        if (marker is null || name is null || !name.Contains(marker, StringComparison.Ordinal)) return;
        long flags = Convert.ToInt64(e.Payload[e.PayloadNames.IndexOf("MethodFlags")], System.Globalization.CultureInfo.InvariantCulture);
        // MethodFlags bits 7-9 hold the optimisation tier.
        Compiled.Enqueue((name, (int)((flags >> 7) & 7)));
    }
}
