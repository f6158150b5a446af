using System.Globalization;

namespace WasmKit.SpecTests;

/// <summary>Converts script values to the engine's boxed values and checks results against expectations.</summary>
internal static class SpecValues
{
    public static bool IsV128(WastValue value) => value.Type == "v128";

    /// <summary>Boxes an argument the way the engine expects it (i32=int, i64=long, f32=float, f64=double).</summary>
    public static object? ToArgument(WastValue value)
    {
        string text = value.Text ?? throw new UnsupportedCommandException($"{value.Type} argument without a value");
        return value.Type switch
        {
            "i32" => (int)ParseUInt32(text),
            "i64" => (long)ParseUInt64(text),
            "f32" => BitConverter.Int32BitsToSingle((int)ParseUInt32(text)),
            "f64" => BitConverter.Int64BitsToDouble((long)ParseUInt64(text)),
            "externref" => text == "null" ? null : new ExternRef(ParseUInt32(text)),
            "funcref" when text == "null" => null,
            _ => throw new UnsupportedCommandException($"argument of type {value.Type} ({text})"),
        };
    }

    /// <summary>Null when <paramref name="actual"/> matches; otherwise why not.</summary>
    public static string? Mismatch(WastValue expected, object? actual)
    {
        string? text = expected.Text;
        switch (expected.Type)
        {
            case "i32":
                if (actual is not int i32) return WrongType("int", actual);
                return text is not null && (uint)i32 == ParseUInt32(text) ? null : "different value";
            case "i64":
                if (actual is not long i64) return WrongType("long", actual);
                return text is not null && (ulong)i64 == ParseUInt64(text) ? null : "different value";
            case "f32":
            {
                if (actual is not float f32) return WrongType("float", actual);
                uint bits = (uint)BitConverter.SingleToInt32Bits(f32);
                return text switch
                {
                    "nan:canonical" => (bits & 0x7fffffffu) == 0x7fc00000u ? null : "not a canonical NaN",
                    "nan:arithmetic" => (bits & 0x7f800000u) == 0x7f800000u && (bits & 0x00400000u) != 0 ? null : "not an arithmetic NaN",
                    null => "no expected value",
                    _ => bits == ParseUInt32(text) ? null : "different bits",
                };
            }
            case "f64":
            {
                if (actual is not double f64) return WrongType("double", actual);
                ulong bits = (ulong)BitConverter.DoubleToInt64Bits(f64);
                return text switch
                {
                    "nan:canonical" => (bits & 0x7fffffffffffffffUL) == 0x7ff8000000000000UL ? null : "not a canonical NaN",
                    "nan:arithmetic" => (bits & 0x7ff0000000000000UL) == 0x7ff0000000000000UL && (bits & 0x0008000000000000UL) != 0
                        ? null : "not an arithmetic NaN",
                    null => "no expected value",
                    _ => bits == ParseUInt64(text) ? null : "different bits",
                };
            }
            case "externref":
                if (text == "null") return actual is null ? null : "not null";
                if (text is null) return actual is not null ? null : "null";
                return Equals(actual, new ExternRef(ParseUInt32(text))) ? null : "different reference";
            case "funcref":
                if (text == "null") return actual is null ? null : "not null";
                return actual is Function ? null : "not a function";
            default:
                throw new UnsupportedCommandException($"result of type {expected.Type}");
        }
    }

    public static string Describe(WastValue value) =>
        value.Text is string text ? $"{value.Type}:{text}" : IsV128(value) ? $"v128:{value.Value}" : value.Type;

    public static string Describe(object? value) => value switch
    {
        null => "null",
        int i => $"i32:{(uint)i}",
        long l => $"i64:{(ulong)l}",
        float f => $"f32:{(uint)BitConverter.SingleToInt32Bits(f)} ({f.ToString("R", CultureInfo.InvariantCulture)})",
        double d => $"f64:{(ulong)BitConverter.DoubleToInt64Bits(d)} ({d.ToString("R", CultureInfo.InvariantCulture)})",
        ExternRef e => e.ToString(),
        Function f => $"funcref ({f})",
        _ => $"{value.GetType().Name} ({value})",
    };

    private static string WrongType(string wanted, object? actual) => $"expected a boxed {wanted}, got {Describe(actual)}";

    private static uint ParseUInt32(string text) => uint.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);

    private static ulong ParseUInt64(string text) => ulong.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
}
