namespace WasmKit;

/// <summary>The kind of a WebAssembly value. The numeric values are the binary-format type codes.</summary>
public enum ValueKind : byte
{
    /// <summary>A 32-bit integer, <see cref="int"/> in .NET.</summary>
    Int32 = 0x7F,

    /// <summary>A 64-bit integer, <see cref="long"/> in .NET.</summary>
    Int64 = 0x7E,

    /// <summary>A 32-bit IEEE 754 float, <see cref="float"/> in .NET.</summary>
    Float32 = 0x7D,

    /// <summary>A 64-bit IEEE 754 float, <see cref="double"/> in .NET.</summary>
    Float64 = 0x7C,

    /// <summary>A 128-bit SIMD vector (decoded, not yet executable).</summary>
    V128 = 0x7B,

    /// <summary>A reference to a function, a <see cref="Function"/> or <see langword="null"/> in .NET.</summary>
    FuncRef = 0x70,

    /// <summary>An opaque host reference, any <see cref="object"/> or <see langword="null"/> in .NET.</summary>
    ExternRef = 0x6F,
}

/// <summary>Helpers for <see cref="ValueKind"/>.</summary>
public static class ValueKindExtensions
{
    /// <summary>Whether <paramref name="kind"/> is a reference type (funcref or externref).</summary>
    public static bool IsReference(this ValueKind kind) => kind is ValueKind.FuncRef or ValueKind.ExternRef;

    /// <summary>The text-format name of the kind, e.g. <c>i32</c>.</summary>
    public static string ToWasmName(this ValueKind kind) => kind switch
    {
        ValueKind.Int32 => "i32",
        ValueKind.Int64 => "i64",
        ValueKind.Float32 => "f32",
        ValueKind.Float64 => "f64",
        ValueKind.V128 => "v128",
        ValueKind.FuncRef => "funcref",
        ValueKind.ExternRef => "externref",
        _ => $"0x{(byte)kind:x2}",
    };
}
