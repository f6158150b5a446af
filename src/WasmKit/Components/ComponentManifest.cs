using System.Text.Json;
using System.Text.RegularExpressions;

namespace WasmKit.Components;

/// <summary>
/// What a component declares about itself in <c>NAME.json</c> beside <c>NAME.wasm</c>: its name and
/// semantic version, the import modules it may use, its resource limits and its UDFs.
/// </summary>
public sealed partial record ComponentManifest
{
    /// <summary>The capabilities assumed when a manifest lists none: the "wasmkit" document functions.</summary>
    public static IReadOnlyList<string> DefaultCapabilities { get; } = ["wasmkit"];

    /// <summary>The component's name.</summary>
    public required string Name { get; init; }

    /// <summary>Its semantic version (e.g. <c>1.2.0</c> or <c>2.0.0-beta.1</c>).</summary>
    public required string Version { get; init; }

    /// <summary>What it does.</summary>
    public string? Description { get; init; }

    /// <summary>The import modules it may use, e.g. "wasmkit" or "wasi_snapshot_preview1".</summary>
    public IReadOnlyList<string> Capabilities { get; init; } = DefaultCapabilities;

    /// <summary>Its resource limits, if it declares any.</summary>
    public ManifestLimits? Limits { get; init; }

    /// <summary>Its UDFs.</summary>
    public IReadOnlyList<ManifestUdf> Udfs { get; init; } = [];

    /// <summary>Parses and checks a manifest.</summary>
    /// <param name="json">The manifest's JSON text.</param>
    /// <param name="filePath">The manifest's path, for error messages.</param>
    /// <returns>The manifest.</returns>
    /// <exception cref="ComponentLoadException">The JSON is malformed, or a field is missing or invalid; names the file and the field.</exception>
    public static ComponentManifest Parse(string json, string? filePath = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Parse(System.Text.Encoding.UTF8.GetBytes(json), filePath);
    }

    /// <summary>Parses and checks a manifest.</summary>
    /// <param name="utf8Json">The manifest's JSON, in UTF-8.</param>
    /// <param name="filePath">The manifest's path, for error messages.</param>
    /// <returns>The manifest.</returns>
    /// <exception cref="ComponentLoadException">The JSON is malformed, or a field is missing or invalid; names the file and the field.</exception>
    public static ComponentManifest Parse(ReadOnlyMemory<byte> utf8Json, string? filePath = null)
    {
        JsonDocument document;
        try
        {
            // Editors may save UTF-8 with a byte order mark; JSON itself has none.
            if (utf8Json.Span.StartsWith("\uFEFF"u8)) utf8Json = utf8Json[3..];
            document = JsonDocument.Parse(utf8Json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException error)
        {
            throw new ComponentLoadException(filePath, null, $"malformed JSON (line {error.LineNumber + 1}, byte {error.BytePositionInLine + 1}): {error.Message}", error);
        }
        using (document)
        {
            return new Reader(filePath).Manifest(document.RootElement);
        }
    }

    /// <summary>Semantic Versioning 2.0.0: MAJOR.MINOR.PATCH, optional -prerelease and +build.</summary>
    [GeneratedRegex(@"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-(0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(\.(0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex SemanticVersion();

    /// <summary>Component names: letters, digits, '.', '_' and '-', starting with a letter or digit.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex ComponentName();

    /// <summary>UDF and parameter names: identifiers.</summary>
    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Identifier();

    /// <summary>Whether <paramref name="version"/> is a semantic version (2.0.0).</summary>
    /// <param name="version">The text.</param>
    /// <returns>True when it is.</returns>
    public static bool IsSemanticVersion(string? version) => version is not null && SemanticVersion().IsMatch(version);

    /// <summary>Walks the JSON, naming the field of every problem.</summary>
    private sealed class Reader(string? filePath)
    {
        public ComponentManifest Manifest(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object) throw Error(null, "the manifest must be a JSON object");
            string name = RequiredString(root, "name", "name");
            if (!ComponentName().IsMatch(name)) throw Error("name", $"'{name}' is not a valid component name (letters, digits, '.', '_', '-')");
            string version = Version(root, "version", "version", null);
            var udfs = new List<ManifestUdf>();
            if (root.TryGetProperty("udfs", out var udfArray) && udfArray.ValueKind != JsonValueKind.Null)
            {
                if (udfArray.ValueKind != JsonValueKind.Array) throw Error("udfs", "must be an array");
                int index = 0;
                foreach (var udf in udfArray.EnumerateArray())
                {
                    var parsed = Udf(udf, $"udfs[{index}]", version);
                    if (udfs.Any(u => u.Name == parsed.Name)) throw Error($"udfs[{index}].name", $"the UDF name '{parsed.Name}' is declared twice");
                    udfs.Add(parsed);
                    index++;
                }
            }
            return new ComponentManifest
            {
                Name = name,
                Version = version,
                Description = OptionalString(root, "description", "description"),
                Capabilities = StringList(root, "capabilities", "capabilities") ?? DefaultCapabilities,
                Limits = Limits(root),
                Udfs = udfs,
            };
        }

        private ManifestLimits? Limits(JsonElement root)
        {
            if (!root.TryGetProperty("limits", out var limits) || limits.ValueKind == JsonValueKind.Null) return null;
            if (limits.ValueKind != JsonValueKind.Object) throw Error("limits", "must be an object");
            // The engine's own cap, not the format's 65,536: a larger limit could never be reached.
            long? pages = PositiveInteger(limits, "memoryPages", "limits.memoryPages", Memory.ImplementationMaximumPages,
                $" ({Memory.ImplementationMaximumPages} pages is the most memory a WasmKit instance can have)");
            long? fuel = PositiveInteger(limits, "fuel", "limits.fuel", long.MaxValue);
            long? timeout = PositiveInteger(limits, "timeoutMs", "limits.timeoutMs", int.MaxValue);
            return new ManifestLimits { MemoryPages = (uint?)pages, Fuel = fuel, TimeoutMs = (int?)timeout };
        }

        private ManifestUdf Udf(JsonElement udf, string field, string componentVersion)
        {
            if (udf.ValueKind != JsonValueKind.Object) throw Error(field, "must be an object");
            string name = RequiredString(udf, "name", field + ".name");
            if (!Identifier().IsMatch(name)) throw Error(field + ".name", $"'{name}' is not an identifier");
            string export = OptionalString(udf, "export", field + ".export") ?? name;
            if (export.Length == 0) throw Error(field + ".export", "must not be empty");
            var parameters = new List<ManifestParameter>();
            if (udf.TryGetProperty("parameters", out var parameterArray) && parameterArray.ValueKind != JsonValueKind.Null)
            {
                if (parameterArray.ValueKind != JsonValueKind.Array) throw Error(field + ".parameters", "must be an array");
                int index = 0;
                foreach (var parameter in parameterArray.EnumerateArray())
                {
                    var parsed = Parameter(parameter, $"{field}.parameters[{index}]");
                    if (parameters.Any(p => p.Name == parsed.Name)) throw Error($"{field}.parameters[{index}].name", $"the parameter name '{parsed.Name}' is declared twice");
                    parameters.Add(parsed);
                    index++;
                }
            }
            var returns = Returns(udf, field + ".returns");
            return new ManifestUdf
            {
                Name = name,
                Export = export,
                Version = Version(udf, "version", field + ".version", componentVersion),
                Description = OptionalString(udf, "description", field + ".description"),
                Category = OptionalString(udf, "category", field + ".category"),
                Tags = StringList(udf, "tags", field + ".tags") ?? [],
                Author = OptionalString(udf, "author", field + ".author"),
                Parameters = parameters,
                Returns = returns,
            };
        }

        private List<string> Returns(JsonElement udf, string field)
        {
            if (!udf.TryGetProperty("returns", out var returns) || returns.ValueKind == JsonValueKind.Null) return [];
            // A single type may be written without the array.
            if (returns.ValueKind == JsonValueKind.String) return [KnownType(returns.GetString(), field)];
            if (returns.ValueKind != JsonValueKind.Array) throw Error(field, "must be an array of type names");
            var types = new List<string>();
            int index = 0;
            foreach (var type in returns.EnumerateArray())
            {
                string item = $"{field}[{index++}]";
                if (type.ValueKind != JsonValueKind.String) throw Error(item, "must be a type name string");
                types.Add(KnownType(type.GetString(), item));
            }
            if (types.Count > 1) throw Error(field, "a UDF returns at most one value");
            return types;
        }

        private ManifestParameter Parameter(JsonElement parameter, string field)
        {
            if (parameter.ValueKind != JsonValueKind.Object) throw Error(field, "must be an object");
            string name = RequiredString(parameter, "name", field + ".name");
            if (!Identifier().IsMatch(name)) throw Error(field + ".name", $"'{name}' is not an identifier");
            string type = KnownType(RequiredString(parameter, "type", field + ".type"), field + ".type");
            bool required = true;
            if (parameter.TryGetProperty("required", out var flag) && flag.ValueKind != JsonValueKind.Null)
            {
                if (flag.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) throw Error(field + ".required", "must be true or false");
                required = flag.GetBoolean();
            }
            JsonElement? defaultValue = null;
            if (parameter.TryGetProperty("default", out var value) && value.ValueKind != JsonValueKind.Null)
            {
                if (!Fits(value, type)) throw Error(field + ".default", $"{value.GetRawText()} is not a valid {type}");
                defaultValue = value.Clone();
            }
            return new ManifestParameter { Name = name, Type = type, Required = required, Default = defaultValue };
        }

        private static bool Fits(JsonElement value, string type) => type switch
        {
            ManifestTypes.String => value.ValueKind == JsonValueKind.String,
            ManifestTypes.Bool => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
            ManifestTypes.I32 => value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out _),
            ManifestTypes.I64 => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
            ManifestTypes.F32 => value.ValueKind == JsonValueKind.Number && value.TryGetSingle(out float f) && float.IsFinite(f),
            _ => value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out double d) && double.IsFinite(d),
        };

        private string KnownType(string? type, string field) =>
            ManifestTypes.IsKnown(type) ? type! : throw Error(field, $"unknown type '{type}' (known: {string.Join(", ", ManifestTypes.All)})");

        private string Version(JsonElement owner, string property, string field, string? fallback)
        {
            string? version = fallback is null ? RequiredString(owner, property, field) : OptionalString(owner, property, field) ?? fallback;
            if (!IsSemanticVersion(version)) throw Error(field, $"'{version}' is not a semantic version (MAJOR.MINOR.PATCH)");
            return version!;
        }

        private string RequiredString(JsonElement owner, string property, string field)
        {
            if (!owner.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null) throw Error(field, "is missing");
            if (value.ValueKind != JsonValueKind.String) throw Error(field, "must be a string");
            string text = value.GetString()!;
            if (string.IsNullOrWhiteSpace(text)) throw Error(field, "must not be empty");
            return text;
        }

        private string? OptionalString(JsonElement owner, string property, string field)
        {
            if (!owner.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null) return null;
            if (value.ValueKind != JsonValueKind.String) throw Error(field, "must be a string");
            return value.GetString();
        }

        private List<string>? StringList(JsonElement owner, string property, string field)
        {
            if (!owner.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null) return null;
            if (value.ValueKind != JsonValueKind.Array) throw Error(field, "must be an array of strings");
            var items = new List<string>();
            int index = 0;
            foreach (var item in value.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(item.GetString())) throw Error($"{field}[{index}]", "must be a non-empty string");
                items.Add(item.GetString()!);
                index++;
            }
            return items;
        }

        private long? PositiveInteger(JsonElement owner, string property, string field, long maximum, string why = "")
        {
            if (!owner.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null) return null;
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out long number) || number < 1 || number > maximum)
                throw Error(field, $"must be an integer from 1 to {maximum}{why}");
            return number;
        }

        private ComponentLoadException Error(string? field, string problem) => new(filePath, field, problem);
    }
}
