namespace WasmKit.Compilation;

/// <summary>
/// What the JIT might know about one operand: whether it may be a value only known at run time, which
/// constants it may see in its place (directly, through locals, inlining or folding) and which conversion may
/// have produced it. A value without <see cref="Runtime"/> is one of its constants; joining two facts is a
/// bitwise or; <see cref="Unknown"/> is every flag.
/// </summary>
[Flags]
internal enum OperandFacts : ushort
{
    /// <summary>Nothing: the operand of no instruction (the join's identity).</summary>
    None = 0,

    /// <summary>May be a value the JIT cannot see, such as a memory load or arithmetic on one (any value, NaNs included).</summary>
    Runtime = 1 << 0,

    /// <summary>May be the constant +0.</summary>
    PlusZero = 1 << 1,

    /// <summary>May be the constant -0.</summary>
    MinusZero = 1 << 2,

    /// <summary>May be the constant +1.</summary>
    PlusOne = 1 << 3,

    /// <summary>May be the constant -1.</summary>
    MinusOne = 1 << 4,

    /// <summary>May be a signalling NaN constant.</summary>
    SignallingNaN = 1 << 5,

    /// <summary>May be some other constant (a quiet NaN included), which no operation reduces to its other operand.</summary>
    OtherConstant = 1 << 6,

    /// <summary>May be (or fold to) the result of <c>f32.demote_f64</c>.</summary>
    Demoted = 1 << 7,

    /// <summary>May be (or fold to) the result of <c>f64.promote_f32</c>.</summary>
    Promoted = 1 << 8,

    /// <summary>May be any constant.</summary>
    AnyConstant = PlusZero | MinusZero | PlusOne | MinusOne | SignallingNaN | OtherConstant,

    /// <summary>May come from either float conversion.</summary>
    AnyConversion = Demoted | Promoted,

    /// <summary>Nothing is known.</summary>
    Unknown = Runtime | AnyConstant | AnyConversion,
}
