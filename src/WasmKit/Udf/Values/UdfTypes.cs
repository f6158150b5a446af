using System.Diagnostics.CodeAnalysis;

namespace WasmKit.Udf;

/// <summary>Names and .NET mappings of <see cref="UdfType"/> values.</summary>
public static class UdfTypes
{
    /// <summary>The manifest spelling of a type: "string", "i32", "i64", "f32", "f64" or "bool".</summary>
    /// <param name="type">The type.</param>
    /// <returns>The lower-case name.</returns>
    public static string ToManifestName(this UdfType type) => type switch
    {
        UdfType.String => "string",
        UdfType.I32 => "i32",
        UdfType.I64 => "i64",
        UdfType.F32 => "f32",
        UdfType.F64 => "f64",
        UdfType.Bool => "bool",
        _ => type.ToString(),
    };

    /// <summary>Reads a manifest type name (case-insensitive).</summary>
    /// <param name="name">"string", "i32", "i64", "f32", "f64" or "bool".</param>
    /// <param name="type">The type, when the name is known.</param>
    /// <returns>Whether the name is a known type.</returns>
    public static bool TryParse(string? name, out UdfType type)
    {
        switch (name?.Trim().ToLowerInvariant())
        {
            case "string": type = UdfType.String; return true;
            case "i32": type = UdfType.I32; return true;
            case "i64": type = UdfType.I64; return true;
            case "f32": type = UdfType.F32; return true;
            case "f64": type = UdfType.F64; return true;
            case "bool": type = UdfType.Bool; return true;
            default: type = default; return false;
        }
    }

    /// <summary>The .NET type that carries values of a UDF type.</summary>
    /// <param name="type">The type.</param>
    /// <returns><see cref="string"/>, <see cref="int"/>, <see cref="long"/>, <see cref="float"/>, <see cref="double"/> or <see cref="bool"/>.</returns>
    public static Type ToClrType(this UdfType type) => type switch
    {
        UdfType.String => typeof(string),
        UdfType.I32 => typeof(int),
        UdfType.I64 => typeof(long),
        UdfType.F32 => typeof(float),
        UdfType.F64 => typeof(double),
        UdfType.Bool => typeof(bool),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown UDF type."),
    };

    /// <summary>
    /// Converts a .NET value to the canonical .NET type of a UDF type, accepting only conversions that lose nothing:
    /// any integer that fits for i32/i64, integers and floats that are exact for f32/f64.
    /// </summary>
    /// <param name="type">The target type.</param>
    /// <param name="value">The value; <see langword="null"/> never converts.</param>
    /// <param name="converted">The value as <see cref="ToClrType"/> of <paramref name="type"/>.</param>
    /// <returns>Whether the value converts.</returns>
    public static bool TryConvert(UdfType type, object? value, [NotNullWhen(true)] out object? converted)
    {
        converted = null;
        switch (type)
        {
            case UdfType.String:
                if (value is string s) converted = s;
                break;
            case UdfType.Bool:
                if (value is bool b) converted = b;
                break;
            case UdfType.I32:
                if (TryGetInteger(value, out long i32) && i32 is >= int.MinValue and <= int.MaxValue) converted = (int)i32;
                break;
            case UdfType.I64:
                if (TryGetInteger(value, out long i64)) converted = i64;
                break;
            case UdfType.F32:
                if (value is float f) converted = f;
                else if (value is double d && (double)(float)d == d) converted = (float)d;
                else if (value is decimal m && (decimal)(float)m == m) converted = (float)m;
                else if (TryGetInteger(value, out long fi) && (long)(float)fi == fi) converted = (float)fi;
                break;
            case UdfType.F64:
                if (value is double d64) converted = d64;
                else if (value is float f32) converted = (double)f32;
                else if (value is decimal m64 && (decimal)(double)m64 == m64) converted = (double)m64;
                else if (TryGetInteger(value, out long di) && (long)(double)di == di) converted = (double)di;
                break;
        }
        return converted is not null;
    }

    private static bool TryGetInteger(object? value, out long result)
    {
        switch (value)
        {
            case int v: result = v; return true;
            case long v: result = v; return true;
            case short v: result = v; return true;
            case sbyte v: result = v; return true;
            case byte v: result = v; return true;
            case ushort v: result = v; return true;
            case uint v: result = v; return true;
            case ulong v when v <= long.MaxValue: result = (long)v; return true;
            default: result = 0; return false;
        }
    }
}
