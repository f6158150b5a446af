using System.Buffers.Binary;
using System.Globalization;
using Wt = global::Wasmtime;

namespace WasmKit.SpecTests;

/// <summary>
/// Script values for Wasmtime: arguments as <see cref="Wt.ValueBox"/>, results brought to the boxed form
/// <see cref="SpecValues"/> compares (int, long, float, double, <see cref="ExternRef"/>, null), plus v128 and funcref,
/// which WasmKit's side cannot express. The comparison rules are SpecValues' (bit-exact floats, canonical and
/// arithmetic NaNs); a v128 is compared lane by lane with the same rules.
/// </summary>
internal static class WasmtimeSpecValues
{
    public static Wt.ValueBox ToArgument(WastValue value)
    {
        if (SpecValues.IsV128(value)) return new Wt.V128(V128Bytes(value));
        return value.Type switch
        {
            "funcref" when value.Text == "null" => Wt.Function.Null,
            _ => SpecValues.ToArgument(value) switch
            {
                int i => i,
                long l => l,
                float f => f,
                double d => d,
                ExternRef e => Wt.ValueBox.AsBox<object>(e),
                null => Wt.ValueBox.AsBox<object>(null),
                var other => throw new UnsupportedCommandException($"argument {other}"),
            },
        };
    }

    /// <summary>A Wasmtime result in the form the comparison expects.</summary>
    public static object? FromResult(object? value) => value switch
    {
        Wt.Function { IsNull: true } => null,
        Wt.Function => FunctionReference.Instance,
        Wt.V128 v => new V128Value(Bytes(v)),
        _ => value,
    };

    /// <summary>Null when <paramref name="actual"/> matches; otherwise why not.</summary>
    public static string? Mismatch(WastValue expected, object? actual)
    {
        if (SpecValues.IsV128(expected)) return V128Mismatch(expected, actual);
        if (expected.Type == "funcref")
        {
            if (expected.Text == "null") return actual is null ? null : "not null";
            return actual is FunctionReference ? null : "not a function";
        }
        return SpecValues.Mismatch(expected, actual);
    }

    public static string Describe(WastValue value) =>
        SpecValues.IsV128(value) && value.Value is { } lanes ? $"v128:{value.LaneType}x[{string.Join(" ", lanes.EnumerateArray())}]" : SpecValues.Describe(value);

    public static string Describe(object? value) => value switch
    {
        V128Value v => "v128:0x" + Convert.ToHexString(v.Bytes),
        FunctionReference => "funcref",
        _ => SpecValues.Describe(value),
    };

    private static string? V128Mismatch(WastValue expected, object? actual)
    {
        if (actual is not V128Value v128) return $"expected a v128, got {Describe(actual)}";
        var lanes = Lanes(expected);
        int width = 16 / lanes.Count;
        for (int lane = 0; lane < lanes.Count; lane++)
        {
            var bytes = v128.Bytes.AsSpan(lane * width, width);
            string text = lanes[lane];
            string? why = expected.LaneType switch
            {
                "f32" => SpecValues.Mismatch(new WastValue("f32", Json(text)), BinaryPrimitives.ReadSingleLittleEndian(bytes)),
                "f64" => SpecValues.Mismatch(new WastValue("f64", Json(text)), BinaryPrimitives.ReadDoubleLittleEndian(bytes)),
                _ => LaneBits(bytes) == (ParseLane(text) & LaneMask(width)) ? null : "different bits",
            };
            if (why is not null) return $"lane {lane}: {why}";
        }
        return null;
    }

    private static byte[] V128Bytes(WastValue value)
    {
        var lanes = Lanes(value);
        if (value.LaneType is "f32" or "f64" && lanes.Any(l => l.StartsWith("nan:", StringComparison.Ordinal)))
            throw new UnsupportedCommandException("a NaN pattern as a v128 argument");
        int width = 16 / lanes.Count;
        var bytes = new byte[16];
        for (int lane = 0; lane < lanes.Count; lane++)
        {
            ulong bits = ParseLane(lanes[lane]);
            for (int b = 0; b < width; b++) bytes[lane * width + b] = (byte)(bits >> (8 * b));
        }
        return bytes;
    }

    private static List<string> Lanes(WastValue value)
    {
        if (value.Value is not { ValueKind: System.Text.Json.JsonValueKind.Array } array)
            throw new UnsupportedCommandException("v128 without lanes");
        var lanes = array.EnumerateArray().Select(l => l.GetString() ?? "").ToList();
        int expectedCount = value.LaneType switch
        {
            "i8" => 16,
            "i16" => 8,
            "i32" or "f32" => 4,
            "i64" or "f64" => 2,
            _ => throw new UnsupportedCommandException($"v128 lane type {value.LaneType}"),
        };
        if (lanes.Count != expectedCount) throw new UnsupportedCommandException($"v128 with {lanes.Count} {value.LaneType} lanes");
        return lanes;
    }

    private static ulong ParseLane(string text) => ulong.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);

    private static ulong LaneMask(int width) => width == 8 ? ulong.MaxValue : (1UL << (8 * width)) - 1;

    private static ulong LaneBits(ReadOnlySpan<byte> bytes)
    {
        ulong bits = 0;
        for (int b = bytes.Length - 1; b >= 0; b--) bits = (bits << 8) | bytes[b];
        return bits;
    }

    private static System.Text.Json.JsonElement Json(string text) =>
        System.Text.Json.JsonSerializer.SerializeToElement(text);

    private static byte[] Bytes(Wt.V128 value)
    {
        var bytes = new byte[16];
        value.CopyTo(bytes);
        return bytes;
    }

    /// <summary>A v128 result, little-endian bytes.</summary>
    private sealed record V128Value(byte[] Bytes);

    /// <summary>A non-null funcref result (the spec scripts only ask whether it is null).</summary>
    private sealed class FunctionReference
    {
        public static readonly FunctionReference Instance = new();
    }
}
