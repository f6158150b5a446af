using WasmKit.BinaryFormat;

namespace WasmKit.Validation;

/// <summary>What a load or store moves: the value kind on the stack and the log2 of its natural alignment (access width in bytes).</summary>
internal readonly record struct MemoryAccess(ValueKind ValueKind, uint NaturalAlignmentLog2, bool IsStore)
{
    /// <summary>The access of a load or store opcode (0x28 to 0x3E).</summary>
    public static MemoryAccess Of(Opcode opcode) => opcode switch
    {
        Opcode.I32Load => new(ValueKind.Int32, 2, false),
        Opcode.I64Load => new(ValueKind.Int64, 3, false),
        Opcode.F32Load => new(ValueKind.Float32, 2, false),
        Opcode.F64Load => new(ValueKind.Float64, 3, false),
        Opcode.I32Load8S or Opcode.I32Load8U => new(ValueKind.Int32, 0, false),
        Opcode.I32Load16S or Opcode.I32Load16U => new(ValueKind.Int32, 1, false),
        Opcode.I64Load8S or Opcode.I64Load8U => new(ValueKind.Int64, 0, false),
        Opcode.I64Load16S or Opcode.I64Load16U => new(ValueKind.Int64, 1, false),
        Opcode.I64Load32S or Opcode.I64Load32U => new(ValueKind.Int64, 2, false),
        Opcode.I32Store => new(ValueKind.Int32, 2, true),
        Opcode.I64Store => new(ValueKind.Int64, 3, true),
        Opcode.F32Store => new(ValueKind.Float32, 2, true),
        Opcode.F64Store => new(ValueKind.Float64, 3, true),
        Opcode.I32Store8 => new(ValueKind.Int32, 0, true),
        Opcode.I32Store16 => new(ValueKind.Int32, 1, true),
        Opcode.I64Store8 => new(ValueKind.Int64, 0, true),
        Opcode.I64Store16 => new(ValueKind.Int64, 1, true),
        Opcode.I64Store32 => new(ValueKind.Int64, 2, true),
        _ => throw new ArgumentOutOfRangeException(nameof(opcode), opcode, "Not a load or store."),
    };
}
