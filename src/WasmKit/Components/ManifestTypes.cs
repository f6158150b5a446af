namespace WasmKit.Components;

/// <summary>The value types a manifest may name, and how they map onto WebAssembly signatures.</summary>
public static class ManifestTypes
{
    /// <summary>UTF-8 text: two i32 parameters (ptr, len); as a result one i64, (ptr &lt;&lt; 32) | len.</summary>
    public const string String = "string";

    /// <summary>A 32-bit integer.</summary>
    public const string I32 = "i32";

    /// <summary>A 64-bit integer.</summary>
    public const string I64 = "i64";

    /// <summary>A 32-bit float.</summary>
    public const string F32 = "f32";

    /// <summary>A 64-bit float.</summary>
    public const string F64 = "f64";

    /// <summary>A boolean: an i32, 0 or 1.</summary>
    public const string Bool = "bool";

    /// <summary>Every type name.</summary>
    public static IReadOnlyList<string> All { get; } = [String, I32, I64, F32, F64, Bool];

    /// <summary>Whether <paramref name="type"/> is a known type name.</summary>
    /// <param name="type">The name.</param>
    /// <returns>True for the names in <see cref="All"/>.</returns>
    public static bool IsKnown(string? type) => type is String or I32 or I64 or F32 or F64 or Bool;

    /// <summary>The WebAssembly parameter kinds one parameter of <paramref name="type"/> takes.</summary>
    /// <param name="type">A known type name.</param>
    /// <returns>The kinds, in order.</returns>
    /// <exception cref="ArgumentException">The type is unknown.</exception>
    public static IReadOnlyList<ValueKind> ParameterKinds(string type) => type switch
    {
        String => [ValueKind.Int32, ValueKind.Int32],
        I32 or Bool => [ValueKind.Int32],
        I64 => [ValueKind.Int64],
        F32 => [ValueKind.Float32],
        F64 => [ValueKind.Float64],
        _ => throw new ArgumentException($"Unknown manifest type '{type}'.", nameof(type)),
    };

    /// <summary>The WebAssembly result kind of <paramref name="type"/>.</summary>
    /// <param name="type">A known type name.</param>
    /// <returns>The kind.</returns>
    /// <exception cref="ArgumentException">The type is unknown.</exception>
    public static ValueKind ResultKind(string type) => type switch
    {
        String or I64 => ValueKind.Int64,
        I32 or Bool => ValueKind.Int32,
        F32 => ValueKind.Float32,
        F64 => ValueKind.Float64,
        _ => throw new ArgumentException($"Unknown manifest type '{type}'.", nameof(type)),
    };
}
