using System.Text.Json;
using WasmKit.Components;

namespace WasmKit.Udf;

/// <summary>Turns the UDF entries of a component manifest into <see cref="UdfMetadata"/> and its limits into <see cref="UdfLimits"/>.</summary>
public static class UdfManifestConversion
{
    /// <summary>Converts one manifest UDF entry.</summary>
    /// <param name="udf">The entry.</param>
    /// <returns>The metadata (not yet checked against a module; <see cref="UdfRegistry.Register(UdfMetadata, Module, UdfLimits?)"/> does that).</returns>
    /// <exception cref="UdfValidationException">A type name is unknown or a default does not fit its type.</exception>
    public static UdfMetadata ToUdfMetadata(this ManifestUdf udf)
    {
        ArgumentNullException.ThrowIfNull(udf);
        string name = udf.Name ?? "(null)";
        var parameters = new UdfParameter[udf.Parameters?.Count ?? 0];
        for (int i = 0; i < parameters.Length; i++)
        {
            var parameter = udf.Parameters![i];
            string field = $"parameters[{i}]";
            if (!UdfTypes.TryParse(parameter.Type, out var type))
                throw new UdfValidationException(name, field + ".type", $"'{parameter.Type}' is not a UDF type (string, i32, i64, f32, f64, bool)");
            object? defaultValue = null;
            if (parameter.Default is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } json &&
                !TryReadDefault(type, json, out defaultValue))
            {
                throw new UdfValidationException(name, field + ".default",
                    $"{json.GetRawText()} is not a valid {type.ToManifestName()} for parameter '{parameter.Name}'");
            }
            parameters[i] = new UdfParameter(parameter.Name, type, parameter.Required, defaultValue);
        }
        var returns = new UdfType[udf.Returns?.Count ?? 0];
        for (int i = 0; i < returns.Length; i++)
        {
            if (!UdfTypes.TryParse(udf.Returns![i], out returns[i]))
                throw new UdfValidationException(name, $"returns[{i}]", $"'{udf.Returns[i]}' is not a UDF type (string, i32, i64, f32, f64, bool)");
        }
        return new UdfMetadata
        {
            Name = udf.Name!,
            Version = udf.Version,
            Description = udf.Description ?? "",
            ExportName = udf.Export ?? "",
            Parameters = parameters,
            Returns = returns,
            Category = udf.Category ?? "",
            Tags = udf.Tags ?? [],
            Author = udf.Author ?? "",
        };
    }

    /// <summary>Converts manifest limits.</summary>
    /// <param name="limits">The limits, or <see langword="null"/>.</param>
    /// <returns>The UDF limits (<see cref="UdfLimits.None"/> for <see langword="null"/>).</returns>
    public static UdfLimits ToUdfLimits(this ManifestLimits? limits) => limits is null ? UdfLimits.None : new UdfLimits
    {
        MemoryPages = limits.MemoryPages,
        Fuel = limits.Fuel,
        Timeout = limits.TimeoutMs is int ms ? TimeSpan.FromMilliseconds(ms) : null,
    };

    private static bool TryReadDefault(UdfType type, JsonElement json, out object? value)
    {
        value = null;
        switch (type)
        {
            case UdfType.String when json.ValueKind == JsonValueKind.String:
                value = json.GetString();
                break;
            case UdfType.Bool when json.ValueKind is JsonValueKind.True or JsonValueKind.False:
                value = json.GetBoolean();
                break;
            case UdfType.I32 when json.ValueKind == JsonValueKind.Number && json.TryGetInt32(out int i32):
                value = i32;
                break;
            case UdfType.I64 when json.ValueKind == JsonValueKind.Number && json.TryGetInt64(out long i64):
                value = i64;
                break;
            // JSON decimals are rarely exact binary floats, so f32/f64 defaults take the nearest value.
            case UdfType.F32 when json.ValueKind == JsonValueKind.Number && float.IsFinite(json.GetSingle()):
                value = json.GetSingle();
                break;
            case UdfType.F64 when json.ValueKind == JsonValueKind.Number:
                value = json.GetDouble();
                break;
        }
        return value is not null;
    }
}
