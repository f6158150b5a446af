namespace WasmKit.BinaryFormat;

/// <summary>
/// One decoded instruction. Which fields mean something depends on <see cref="Opcode"/>;
/// the named properties say which. <c>br_table</c> targets live in <see cref="InstructionReader.BranchTargets"/>.
/// </summary>
internal struct Instruction
{
    public Opcode Opcode;

    /// <summary>Byte offset of the opcode in the module.</summary>
    public int Offset;

    /// <summary>First immediate: a local, global, function, type, label, table, element or data index, or a memarg's alignment exponent.</summary>
    public uint Index;

    /// <summary>Second immediate: the table of <c>call_indirect</c>/<c>table.init</c>, the source table of <c>table.copy</c>, or a memarg's offset.</summary>
    public uint Index2;

    /// <summary>The constant of i32/i64.const (sign-extended), or the bits of f32/f64.const.</summary>
    public long Constant;

    public BlockType BlockType;

    /// <summary>The heap type of <c>ref.null</c>, or the single operand type of typed <c>select</c>.</summary>
    public ValueKind ValueType;

    /// <summary>The number of types in a typed <c>select</c> (valid only when it is 1).</summary>
    public int SelectTypeCount;

    public readonly uint Alignment => Index;

    public readonly uint MemoryOffset => Index2;

    public readonly int I32 => (int)Constant;

    public readonly long I64 => Constant;

    public readonly float F32 => BitConverter.Int32BitsToSingle((int)Constant);

    public readonly double F64 => BitConverter.Int64BitsToDouble(Constant);
}
