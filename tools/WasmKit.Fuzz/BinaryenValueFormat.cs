using System.Globalization;

namespace WasmKit.Fuzz;

/// <summary>
/// Prints WebAssembly values the way binaryen's interpreter prints literals, up to float digits:
/// binaryen picks its own shortest-looking spelling (e.g. <c>1e3</c>, <c>1.e+300</c>); this prints
/// the round-trip form and <see cref="OutputNormalizer"/> compares both by value.
/// </summary>
public static class BinaryenValueFormat
{
    /// <summary>Formats a 32-bit float: NaNs as <c>[-]nan:0xPAYLOAD</c> with the 23-bit payload, others by their double value.</summary>
    public static string Float32(float value)
    {
        if (float.IsNaN(value))
        {
            uint bits = BitConverter.SingleToUInt32Bits(value);
            return $"{((bits >> 31) != 0 ? "-" : "")}nan:0x{bits & 0x7FFFFF:x}";
        }
        return Float64(value);
    }

    /// <summary>Formats a 64-bit float: NaNs as <c>[-]nan:0xPAYLOAD</c> with the 52-bit payload, <c>-0</c>, <c>inf</c>, else round-trip digits.</summary>
    public static string Float64(double value)
    {
        if (double.IsNaN(value))
        {
            ulong bits = BitConverter.DoubleToUInt64Bits(value);
            return $"{((bits >> 63) != 0 ? "-" : "")}nan:0x{bits & 0xF_FFFF_FFFF_FFFFUL:x}";
        }
        if (double.IsPositiveInfinity(value)) return "inf";
        if (double.IsNegativeInfinity(value)) return "-inf";
        if (value == 0) return double.IsNegative(value) ? "-0" : "0";
        // Exact digits for integral values in i64 range (as binaryen prints them), because
        // .NET's shortest form pads with zeros (2^56 becomes 72057594037927940), which reads as an exact integer.
        if (Math.Floor(value) == value && Math.Abs(value) < 9223372036854775808.0) return ((long)value).ToString(CultureInfo.InvariantCulture);
        return value.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Formats one value inside a tuple result or a logging call. Funcrefs print the function's
    /// binaryen name; externrefs print as binaryen 108's <c>anyref</c> (it merged the two types).
    /// </summary>
    public static string Value(ValueKind kind, object? value, Func<Function, string> functionName) => kind switch
    {
        ValueKind.Int32 => ((int)value!).ToString(CultureInfo.InvariantCulture),
        ValueKind.Int64 => ((long)value!).ToString(CultureInfo.InvariantCulture),
        ValueKind.Float32 => Float32((float)value!),
        ValueKind.Float64 => Float64((double)value!),
        ValueKind.FuncRef => value is Function function ? $"funcref({functionName(function)})" : "funcref(null)",
        ValueKind.ExternRef => value is null ? "anyref(null)" : "anyref(object)",
        _ => throw new NotSupportedException($"Values of kind {kind} are not printed by the fuzzer."),
    };

    /// <summary>The type name binaryen prints instead of a single reference result.</summary>
    public static string ReferenceTypeName(ValueKind kind) => kind == ValueKind.FuncRef ? "funcref" : "anyref";
}
