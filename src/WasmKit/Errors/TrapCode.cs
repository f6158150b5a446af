namespace WasmKit;

/// <summary>Why a WebAssembly guest trapped.</summary>
public enum TrapCode
{
    /// <summary>The guest executed <c>unreachable</c>.</summary>
    Unreachable,

    /// <summary>A load, store or bulk memory operation went outside the memory.</summary>
    MemoryOutOfBounds,

    /// <summary>A table access or bulk table operation went outside the table.</summary>
    TableOutOfBounds,

    /// <summary><c>call_indirect</c> found a function of another type.</summary>
    IndirectCallTypeMismatch,

    /// <summary><c>call_indirect</c> found a null table element.</summary>
    UninitializedElement,

    /// <summary>Integer division or remainder by zero.</summary>
    IntegerDivideByZero,

    /// <summary>Signed integer division overflowed, or a float-to-int conversion was out of range.</summary>
    IntegerOverflow,

    /// <summary>A float-to-int conversion of NaN.</summary>
    BadConversionToInteger,

    /// <summary>The guest recursed too deeply; raised before the .NET stack could overflow.</summary>
    CallStackExhausted,

    /// <summary>A null reference was dereferenced.</summary>
    NullReference,

    /// <summary>The store ran out of fuel.</summary>
    OutOfFuel,

    /// <summary>The host interrupted the guest (cancellation or deadline).</summary>
    Interrupted,

    /// <summary>A host function failed; see the inner exception.</summary>
    HostError,
}
