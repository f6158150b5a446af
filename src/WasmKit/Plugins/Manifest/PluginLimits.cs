namespace WasmKit.Plugins;

/// <summary>The resource limits a plugin manifest asks for; null members take the host's defaults (<see cref="PluginHostOptions"/>).</summary>
public sealed record PluginLimits
{
    /// <summary>The fuel one request's calls into the plugin may use (the engine's units: calls and loop iterations).</summary>
    public long? Fuel { get; init; }

    /// <summary>How long one tap call may run, in milliseconds.</summary>
    public int? TimeoutMs { get; init; }

    /// <summary>The most 64 KiB memory pages an instance may use.</summary>
    public uint? MemoryPages { get; init; }
}
