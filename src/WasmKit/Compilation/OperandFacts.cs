namespace WasmKit.Compilation;

/// <summary>
/// What the JIT might know about one operand: which constants it may see in its place (through locals,
/// inlining or folding) and which conversion may have produced it. No flag at all means "the JIT cannot
/// see a constant here": the value comes from memory or from arithmetic on such a value. Joining two
/// facts is a bitwise or; <see cref="Unknown"/> is every flag.
/// </summary>
[Flags]
internal enum OperandFacts : byte
{
    /// <summary>Definitely not a constant the JIT can see, and not from a float conversion.</summary>
    NotConstant = 0,

    /// <summary>May be the constant +0.</summary>
    PlusZero = 1 << 0,

    /// <summary>May be the constant -0.</summary>
    MinusZero = 1 << 1,

    /// <summary>May be the constant +1.</summary>
    PlusOne = 1 << 2,

    /// <summary>May be the constant -1.</summary>
    MinusOne = 1 << 3,

    /// <summary>May be a NaN constant.</summary>
    NaN = 1 << 4,

    /// <summary>May be some other constant, which no operation reduces to its other operand.</summary>
    OtherConstant = 1 << 5,

    /// <summary>May be (or fold to) the result of <c>f32.demote_f64</c>.</summary>
    Demoted = 1 << 6,

    /// <summary>May be (or fold to) the result of <c>f64.promote_f32</c>.</summary>
    Promoted = 1 << 7,

    /// <summary>May be any constant.</summary>
    AnyConstant = PlusZero | MinusZero | PlusOne | MinusOne | NaN | OtherConstant,

    /// <summary>May come from either float conversion.</summary>
    AnyConversion = Demoted | Promoted,

    /// <summary>Nothing is known.</summary>
    Unknown = AnyConstant | AnyConversion,
}
