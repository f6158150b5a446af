using System.Text.Json;
using System.Text.Json.Serialization;

namespace WasmKit.Plugins;

/// <summary>The manifest's JSON as written, before validation (System.Text.Json binds it through <see cref="PluginManifestJsonContext"/>).</summary>
internal sealed class PluginManifestDocument
{
    public string? Name { get; set; }
    public string? Version { get; set; }
    public string? Description { get; set; }
    public List<string?>? Capabilities { get; set; }
    public PluginLimitsDocument? Limits { get; set; }
    public List<PluginTapDocument?>? Taps { get; set; }
}

/// <summary>The manifest's <c>limits</c> object as written.</summary>
internal sealed class PluginLimitsDocument
{
    public long? Fuel { get; set; }
    public long? TimeoutMs { get; set; }
    public long? MemoryPages { get; set; }
}

/// <summary>One entry of the manifest's <c>taps</c> array as written.</summary>
internal sealed class PluginTapDocument
{
    public string? Name { get; set; }
    public string? Export { get; set; }
    public List<string?>? Read { get; set; }
    public List<string?>? Write { get; set; }
    public int? Weight { get; set; }
}

/// <summary>Source-generated (reflection-free) binding of plugin manifests; unknown members are errors, so typos do not pass silently.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    MaxDepth = 8)]
[JsonSerializable(typeof(PluginManifestDocument))]
internal sealed partial class PluginManifestJsonContext : JsonSerializerContext
{
}
