namespace WasmKit.Udf;

/// <summary>
/// The status codes the "wasmkit" document host functions return to the guest (the same values as
/// the <c>WASMKIT_*</c> constants of <c>fixtures/udf/wasmkit_udf.h</c>). Non-negative values are results.
/// </summary>
public enum DocumentStatus
{
    /// <summary>Success.</summary>
    Ok = 0,

    /// <summary>The path names no value: a missing property, an index out of range, JSON null, or a step into a non-container.</summary>
    NotFound = -1,

    /// <summary>The value has another JSON type, or an integer is not integral or out of range.</summary>
    WrongType = -2,

    /// <summary>The guest's buffer is too small; the length needed was stored and nothing else was written.</summary>
    BufferTooSmall = -3,

    /// <summary>The path does not parse.</summary>
    BadPath = -4,

    /// <summary>A pointer and length lie outside the guest's memory.</summary>
    BadPointer = -5,

    /// <summary>The store has no <see cref="DocumentContext"/>, or it holds no document.</summary>
    NoDocument = -6,
}
