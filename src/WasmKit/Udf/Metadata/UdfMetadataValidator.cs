using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace WasmKit.Udf;

/// <summary>Checks metadata against itself and against the module that implements it; every error names the UDF and the field.</summary>
internal static class UdfMetadataValidator
{
    private const int MaxNameLength = 128;

    /// <summary>Validates and returns the parsed version and the defaults converted to their canonical .NET types.</summary>
    public static (UdfVersion Version, object?[] Defaults, FunctionType Signature) Validate(UdfMetadata metadata, WasmKit.Backends.IBackendModule module)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(module);
        string udf = metadata.Name ?? "(null)";

        if (!IsWellFormedName(metadata.Name, allowDots: true, out string? nameProblem))
            throw new UdfValidationException(udf, "name", nameProblem);
        if (!UdfVersion.TryParse(metadata.Version, out var version, out string? versionProblem))
            throw new UdfValidationException(udf, "version", versionProblem);
        if (metadata.Description is null) throw new UdfValidationException(udf, "description", "must not be null");
        if (metadata.Category is null) throw new UdfValidationException(udf, "category", "must not be null");
        if (metadata.Author is null) throw new UdfValidationException(udf, "author", "must not be null");
        if (metadata.ExportName is null) throw new UdfValidationException(udf, "export", "must not be null (use \"\" for the UDF's name)");
        if (metadata.Tags is null) throw new UdfValidationException(udf, "tags", "must not be null");
        for (int i = 0; i < metadata.Tags.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(metadata.Tags[i])) throw new UdfValidationException(udf, $"tags[{i}]", "a tag must not be empty");
        }

        var parameters = metadata.Parameters ?? throw new UdfValidationException(udf, "parameters", "must not be null");
        var defaults = new object?[parameters.Count];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < parameters.Count; i++)
        {
            string field = $"parameters[{i}]";
            var parameter = parameters[i] ?? throw new UdfValidationException(udf, field, "must not be null");
            if (!IsWellFormedName(parameter.Name, allowDots: false, out string? problem))
                throw new UdfValidationException(udf, field + ".name", problem);
            if (!seen.Add(parameter.Name)) throw new UdfValidationException(udf, field + ".name", $"'{parameter.Name}' is declared twice");
            if (!Enum.IsDefined(parameter.Type))
                throw new UdfValidationException(udf, field + ".type", $"{(int)parameter.Type} is not a UDF type");
            if (parameter.Required)
            {
                if (parameter.DefaultValue is not null)
                    throw new UdfValidationException(udf, field + ".default", $"required parameter '{parameter.Name}' cannot have a default");
            }
            else if (parameter.DefaultValue is null)
            {
                throw new UdfValidationException(udf, field + ".default", $"optional parameter '{parameter.Name}' needs a default value");
            }
            else if (UdfTypes.TryConvert(parameter.Type, parameter.DefaultValue, out var converted))
            {
                defaults[i] = converted;
            }
            else
            {
                throw new UdfValidationException(udf, field + ".default",
                    $"{Describe(parameter.DefaultValue)} is not a valid {parameter.Type.ToManifestName()} for parameter '{parameter.Name}'");
            }
        }

        var returns = metadata.Returns ?? throw new UdfValidationException(udf, "returns", "must not be null");
        for (int i = 0; i < returns.Count; i++)
        {
            if (!Enum.IsDefined(returns[i])) throw new UdfValidationException(udf, $"returns[{i}]", $"{(int)returns[i]} is not a UDF type");
        }

        string export = metadata.EffectiveExportName;
        var signature = UdfCallingConvention.ToWasmSignature(parameters.Select(p => p.Type), returns);
        var descriptor = module.Exports.FirstOrDefault(e => e.Name == export);
        if (descriptor is null)
            throw new UdfValidationException(udf, "export", $"module '{module.Name}' has no export named '{export}'");
        if (descriptor.Kind != ExternalKind.Function || descriptor.Type is not FunctionType actual)
            throw new UdfValidationException(udf, "export", $"export '{export}' of module '{module.Name}' is a {descriptor.Kind.ToString().ToLowerInvariant()}, not a function");
        if (!actual.Equals(signature))
            throw new UdfValidationException(udf, "export",
                $"export '{export}' has WebAssembly type {actual}, but the declared parameters ({string.Join(", ", parameters.Select(p => p.Type.ToManifestName()))}) " +
                $"and returns ({string.Join(", ", returns.Select(r => r.ToManifestName()))}) need {signature}");
        if (signature.Parameters.Contains(ValueKind.V128) || actual.Results.Contains(ValueKind.V128))
            throw new UdfValidationException(udf, "export", "v128 values are not supported");

        bool usesStrings = parameters.Any(p => p.Type == UdfType.String) || returns.Contains(UdfType.String);
        if (usesStrings)
        {
            if (module.Memories.Count == 0)
                throw new UdfValidationException(udf, "parameters", $"strings need a memory, and module '{module.Name}' has none");
        }
        if (parameters.Any(p => p.Type == UdfType.String))
        {
            var alloc = module.Exports.FirstOrDefault(e => e.Name == UdfCallingConvention.AllocExport);
            if (alloc is null || alloc.Kind != ExternalKind.Function)
                throw new UdfValidationException(udf, UdfCallingConvention.AllocExport,
                    $"string parameters need the export {UdfCallingConvention.AllocExport}(i32) -> i32, and module '{module.Name}' has none");
            if (!UdfCallingConvention.AllocSignature.Equals(alloc.Type))
                throw new UdfValidationException(udf, UdfCallingConvention.AllocExport,
                    $"{UdfCallingConvention.AllocExport} has type {alloc.Type}, not {UdfCallingConvention.AllocSignature}");
        }
        return (version, defaults, signature);
    }

    /// <summary>A letter or '_' first, then letters, digits, '_', '-' (and '.' for UDF names).</summary>
    internal static bool IsWellFormedName([NotNullWhen(true)] string? name, bool allowDots, [NotNullWhen(false)] out string? problem)
    {
        problem = null;
        if (string.IsNullOrEmpty(name)) problem = "a name is required";
        else if (name.Length > MaxNameLength) problem = $"'{name[..16]}…' is longer than {MaxNameLength} characters";
        else if (!(char.IsAsciiLetter(name[0]) || name[0] == '_')) problem = $"'{name}' must start with a letter or '_'";
        else
        {
            foreach (char c in name)
            {
                if (char.IsAsciiLetterOrDigit(c) || c == '_' || c == '-' || (allowDots && c == '.')) continue;
                problem = $"'{name}' contains '{c}'; use letters, digits, '_', '-'" + (allowDots ? " or '.'" : "");
                break;
            }
        }
        return problem is null;
    }

    private static string Describe(object value) => value switch
    {
        string s => $"\"{s}\" (string)",
        IFormattable f => $"{f.ToString(null, CultureInfo.InvariantCulture)} ({value.GetType().Name})",
        _ => $"{value} ({value.GetType().Name})",
    };
}
