using System.Text.Json;

namespace WasmKit.Components;

/// <summary>One declared parameter of a UDF in a component manifest.</summary>
public sealed record ManifestParameter
{
    /// <summary>The parameter's name.</summary>
    public required string Name { get; init; }

    /// <summary>Its type: one of <see cref="ManifestTypes.All"/> ("string", "i32", "i64", "f32", "f64", "bool").</summary>
    public required string Type { get; init; }

    /// <summary>Whether a caller must pass it (default true).</summary>
    public bool Required { get; init; } = true;

    /// <summary>The value used when it is not passed, checked against <see cref="Type"/>; null if none.</summary>
    public JsonElement? Default { get; init; }
}
