namespace WasmKit.Udf;

/// <summary>The type of a UDF parameter or result, as declared in its manifest.</summary>
public enum UdfType
{
    /// <summary>UTF-8 text, passed to WebAssembly as two i32 values (pointer, byte length); <see cref="string"/> in .NET.</summary>
    String,

    /// <summary>A 32-bit integer, <see cref="int"/> in .NET.</summary>
    I32,

    /// <summary>A 64-bit integer, <see cref="long"/> in .NET.</summary>
    I64,

    /// <summary>A 32-bit float, <see cref="float"/> in .NET.</summary>
    F32,

    /// <summary>A 64-bit float, <see cref="double"/> in .NET.</summary>
    F64,

    /// <summary>A truth value, passed to WebAssembly as an i32 (0 or 1); <see cref="bool"/> in .NET.</summary>
    Bool,
}
