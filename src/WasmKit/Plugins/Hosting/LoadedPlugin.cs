using WasmKit.Backends;
using WasmKit.Components;
using WasmKit.Pooling;
using WasmKit.Udf;

namespace WasmKit.Plugins;

/// <summary>One loaded plugin: its checked manifest, its compiled module, its instance pool and its statistics.</summary>
public sealed class LoadedPlugin
{
    internal LoadedPlugin(PluginHost host, PluginManifest manifest, LoadedComponent component, string? source)
    {
        Host = host;
        Manifest = manifest;
        Component = component;
        Source = source;
    }

    /// <summary>The plugin's name (from its manifest).</summary>
    public string Name => Manifest.Name;

    /// <summary>The plugin's version.</summary>
    public string Version => Manifest.Version;

    /// <summary>The checked manifest.</summary>
    public PluginManifest Manifest { get; }

    /// <summary>The compiled module, as the host's <see cref="ComponentLoader"/> loaded it.</summary>
    public LoadedComponent Component { get; }

    /// <summary>Where the plugin came from (a file path or the name given at load).</summary>
    public string? Source { get; }

    /// <summary>Counters of its tap calls.</summary>
    public PluginStatistics Statistics { get; } = new();

    /// <summary>Its instance pool's counters (rents, creations, resets, discards).</summary>
    public InstancePoolMetrics PoolMetrics => Pool.Metrics;

    internal PluginHost Host { get; }

    internal InstancePool Pool { get; set; } = null!;

    /// <summary>
    /// One place per instance, taken before renting: first come, first served, so that a caller that just gave an
    /// instance back cannot take it again ahead of those waiting (the pool's own gate lets newcomers pass).
    /// </summary>
    internal SemaphoreSlim Admission { get; set; } = null!;

    /// <summary>How the pool makes each instance (for measuring fresh instantiation against a pooled reset).</summary>
    internal BackendInstanceOptions InstanceOptions { get; set; } = null!;

    internal ExportInvoker Alloc { get; set; } = null!;

    internal UdfWatchdog? Watchdog { get; set; }

    internal IReadOnlyList<PluginTapBinding> Bindings { get; set; } = [];

    /// <summary>Whether the module imports an asynchronous host function, so its guests may block their thread.</summary>
    internal bool ImportsAsyncFunctions { get; set; }

    /// <inheritdoc />
    public override string ToString() => $"{Name}@{Version}";
}
