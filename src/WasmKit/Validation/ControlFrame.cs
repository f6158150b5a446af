using System.Collections.Immutable;
using WasmKit.BinaryFormat;

namespace WasmKit.Validation;

/// <summary>
/// One entry of the validator's control stack: the block's kind, the types it takes and leaves,
/// the operand stack height at entry, and whether the rest of the block is unreachable.
/// </summary>
internal struct ControlFrame
{
    /// <summary><c>block</c>, <c>loop</c>, <c>if</c>, or <c>else</c> once the else branch began; the function's own frame is a block.</summary>
    public Opcode Opcode;

    public ImmutableArray<ValueKind> StartTypes;

    public ImmutableArray<ValueKind> EndTypes;

    public int Height;

    public bool Unreachable;

    /// <summary>The types a branch to this frame carries: a loop's start, any other block's end.</summary>
    public readonly ImmutableArray<ValueKind> LabelTypes => Opcode == Opcode.Loop ? StartTypes : EndTypes;
}
