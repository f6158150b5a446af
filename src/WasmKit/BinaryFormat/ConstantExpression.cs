namespace WasmKit.BinaryFormat;

/// <summary>
/// A constant expression (global initializers, segment offsets, element items): its instructions
/// without the final <c>end</c>. The validator checks that only constant instructions appear.
/// </summary>
internal sealed class ConstantExpression
{
    public ConstantExpression(Instruction[] instructions, int offset)
    {
        Instructions = instructions;
        Offset = offset;
    }

    public Instruction[] Instructions { get; }

    /// <summary>Byte offset of the expression in the module.</summary>
    public int Offset { get; }

    /// <summary>An expression of one <c>ref.func</c>, as element segments of function indices mean.</summary>
    public static ConstantExpression RefFunc(uint functionIndex, int offset) =>
        new([new Instruction { Opcode = Opcode.RefFunc, Index = functionIndex, Offset = offset }], offset);
}
