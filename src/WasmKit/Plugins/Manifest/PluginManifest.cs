using System.Text.Json;
using System.Text.RegularExpressions;
using WasmKit.Components;

namespace WasmKit.Plugins;

/// <summary>
/// What a plugin declares about itself (<c>NAME.json</c> beside <c>NAME.wasm</c>): its name and semantic
/// version, the host functions it may import (capabilities), its limits, and the taps it implements with
/// the item fields each may read and write. Manifests are untrusted: <see cref="Parse"/> checks every field.
/// </summary>
public sealed partial record PluginManifest
{
    /// <summary>The largest manifest accepted, in bytes.</summary>
    public const int MaximumBytes = 64 * 1024;

    /// <summary>The most taps one manifest may declare.</summary>
    public const int MaximumTaps = 64;

    /// <summary>The most fields one tap may list to read, or to write.</summary>
    public const int MaximumFieldsPerTap = 256;

    /// <summary>The plugin's name: letters, digits, '.', '_' and '-'.</summary>
    public required string Name { get; init; }

    /// <summary>Its semantic version.</summary>
    public required string Version { get; init; }

    /// <summary>What it does.</summary>
    public string? Description { get; init; }

    /// <summary>The host functions (import names of module <c>wasmkit_host</c>) it may import, e.g. <c>db_query</c>.</summary>
    public IReadOnlyList<string> Capabilities { get; init; } = [];

    /// <summary>Its limits; unset members take the host's defaults.</summary>
    public PluginLimits Limits { get; init; } = new();

    /// <summary>The taps it implements, each at most once.</summary>
    public required IReadOnlyList<PluginTapDeclaration> Taps { get; init; }

    /// <summary>Parses and checks a manifest.</summary>
    /// <param name="utf8Json">The manifest's JSON, in UTF-8 (a byte order mark is skipped).</param>
    /// <param name="source">The manifest's file or plugin name, for error messages.</param>
    /// <returns>The manifest.</returns>
    /// <exception cref="PluginLoadException">The manifest is too large or malformed, has unknown members, or a field is missing or invalid; names the field.</exception>
    public static PluginManifest Parse(ReadOnlySpan<byte> utf8Json, string? source = null)
    {
        if (utf8Json.Length > MaximumBytes)
            throw new PluginLoadException(source, null, $"the manifest has {utf8Json.Length} bytes, more than the {MaximumBytes} allowed");
        if (utf8Json.StartsWith("\uFEFF"u8)) utf8Json = utf8Json[3..];
        PluginManifestDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(utf8Json, PluginManifestJsonContext.Default.PluginManifestDocument);
        }
        catch (JsonException error)
        {
            throw new PluginLoadException(source, string.IsNullOrEmpty(error.Path) || error.Path == "$" ? null : error.Path.TrimStart('$', '.'),
                $"malformed manifest (line {error.LineNumber + 1}, byte {error.BytePositionInLine + 1}): {error.Message}", error);
        }
        if (document is null) throw new PluginLoadException(source, null, "the manifest must be a JSON object, not null");
        return new Checker(source).Manifest(document);
    }

    /// <summary>Plugin names, as component names.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex PluginName();

    /// <summary>Tap and capability names: identifiers.</summary>
    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex Identifier();

    /// <summary>Item field names a manifest may grant: no character that JSON would escape, so the host writes them as they are.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9_$#@][A-Za-z0-9_$#@.:-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex FieldName();

    /// <summary>Whether a manifest may name this item field.</summary>
    /// <param name="name">The field name.</param>
    /// <returns>True when it is a valid field name.</returns>
    public static bool IsValidFieldName(string? name) => name is not null && FieldName().IsMatch(name);

    private sealed class Checker(string? source)
    {
        public PluginManifest Manifest(PluginManifestDocument document)
        {
            string name = Required(document.Name, "name");
            if (!PluginName().IsMatch(name)) throw Error("name", $"'{name}' is not a valid plugin name (letters, digits, '.', '_', '-'; at most 128)");
            string version = Required(document.Version, "version");
            if (!ComponentManifest.IsSemanticVersion(version)) throw Error("version", $"'{version}' is not a semantic version (MAJOR.MINOR.PATCH)");
            var capabilities = Names(document.Capabilities, "capabilities", 64, Identifier(), "an identifier");
            if (document.Taps is null || document.Taps.Count == 0) throw Error("taps", "must list at least one tap");
            if (document.Taps.Count > MaximumTaps) throw Error("taps", $"lists {document.Taps.Count} taps, more than the {MaximumTaps} allowed");
            var taps = new List<PluginTapDeclaration>();
            for (int i = 0; i < document.Taps.Count; i++)
            {
                var tap = Tap(document.Taps[i], $"taps[{i}]");
                if (taps.Any(t => t.Name == tap.Name)) throw Error($"taps[{i}].name", $"the tap '{tap.Name}' is declared twice");
                taps.Add(tap);
            }
            return new PluginManifest
            {
                Name = name,
                Version = version,
                Description = document.Description,
                Capabilities = capabilities,
                Limits = Limits(document.Limits),
                Taps = taps,
            };
        }

        private PluginLimits Limits(PluginLimitsDocument? limits)
        {
            if (limits is null) return new PluginLimits();
            return new PluginLimits
            {
                Fuel = InRange(limits.Fuel, "limits.fuel", long.MaxValue),
                TimeoutMs = (int?)InRange(limits.TimeoutMs, "limits.timeoutMs", int.MaxValue),
                MemoryPages = (uint?)InRange(limits.MemoryPages, "limits.memoryPages", Memory.ImplementationMaximumPages),
            };
        }

        private PluginTapDeclaration Tap(PluginTapDocument? tap, string field)
        {
            if (tap is null) throw Error(field, "must be an object");
            string name = Required(tap.Name, field + ".name");
            if (!Identifier().IsMatch(name)) throw Error(field + ".name", $"'{name}' is not an identifier");
            string export = tap.Export ?? name;
            if (export.Length is 0 or > 256) throw Error(field + ".export", "must be 1 to 256 characters");
            var read = tap.Read is [PluginTapDeclaration.AllFields]
                ? [PluginTapDeclaration.AllFields]
                : Names(tap.Read, field + ".read", MaximumFieldsPerTap, FieldName(), "a field name (or the list [\"*\"] for every field)");
            var write = Names(tap.Write, field + ".write", MaximumFieldsPerTap, FieldName(), "a field name");
            return new PluginTapDeclaration { Name = name, Export = export, Read = read, Write = write, Weight = tap.Weight ?? 0 };
        }

        private List<string> Names(List<string?>? names, string field, int maximum, Regex pattern, string what)
        {
            if (names is null) return [];
            if (names.Count > maximum) throw Error(field, $"lists {names.Count} names, more than the {maximum} allowed");
            var checkedNames = new List<string>(names.Count);
            for (int i = 0; i < names.Count; i++)
            {
                string? item = names[i];
                if (item is null || !pattern.IsMatch(item)) throw Error($"{field}[{i}]", $"'{item}' is not {what}");
                if (checkedNames.Contains(item)) throw Error($"{field}[{i}]", $"'{item}' is listed twice");
                checkedNames.Add(item);
            }
            return checkedNames;
        }

        private long? InRange(long? value, string field, long maximum)
        {
            if (value is null) return null;
            if (value < 1 || value > maximum) throw Error(field, $"must be an integer from 1 to {maximum}");
            return value;
        }

        private string Required(string? value, string field) =>
            string.IsNullOrWhiteSpace(value) ? throw Error(field, "is missing") : value;

        private PluginLoadException Error(string field, string problem) => new(source, field, problem);
    }
}
