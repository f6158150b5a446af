using WasmKit.BinaryFormat;

namespace WasmKit.Validation;

/// <summary>
/// The stack effect of a numeric operator: one or two operands of given kinds and one result.
/// <see cref="Right"/> is <see cref="OperandStack.Unknown"/> for unary operators.
/// </summary>
internal readonly record struct OperatorSignature(ValueKind Left, ValueKind Right, ValueKind Result)
{
    private const ValueKind I32 = ValueKind.Int32;
    private const ValueKind I64 = ValueKind.Int64;
    private const ValueKind F32 = ValueKind.Float32;
    private const ValueKind F64 = ValueKind.Float64;

    public bool IsUnary => Right == OperandStack.Unknown;

    private static OperatorSignature Unary(ValueKind operand, ValueKind result) => new(operand, OperandStack.Unknown, result);

    private static OperatorSignature Binary(ValueKind operand, ValueKind result) => new(operand, operand, result);

    /// <summary>The signature of a numeric operator (tests, comparisons, arithmetic, conversions, sign extension, saturating truncation).</summary>
    /// <returns><see langword="false"/> when <paramref name="opcode"/> is not a numeric operator.</returns>
    public static bool TryGet(Opcode opcode, out OperatorSignature signature)
    {
        signature = opcode switch
        {
            Opcode.I32Eqz => Unary(I32, I32),
            >= Opcode.I32Eq and <= Opcode.I32GeU => Binary(I32, I32),
            Opcode.I64Eqz => Unary(I64, I32),
            >= Opcode.I64Eq and <= Opcode.I64GeU => Binary(I64, I32),
            >= Opcode.F32Eq and <= Opcode.F32Ge => Binary(F32, I32),
            >= Opcode.F64Eq and <= Opcode.F64Ge => Binary(F64, I32),

            >= Opcode.I32Clz and <= Opcode.I32Popcnt => Unary(I32, I32),
            >= Opcode.I32Add and <= Opcode.I32Rotr => Binary(I32, I32),
            >= Opcode.I64Clz and <= Opcode.I64Popcnt => Unary(I64, I64),
            >= Opcode.I64Add and <= Opcode.I64Rotr => Binary(I64, I64),
            >= Opcode.F32Abs and <= Opcode.F32Sqrt => Unary(F32, F32),
            >= Opcode.F32Add and <= Opcode.F32Copysign => Binary(F32, F32),
            >= Opcode.F64Abs and <= Opcode.F64Sqrt => Unary(F64, F64),
            >= Opcode.F64Add and <= Opcode.F64Copysign => Binary(F64, F64),

            Opcode.I32WrapI64 => Unary(I64, I32),
            Opcode.I32TruncF32S or Opcode.I32TruncF32U => Unary(F32, I32),
            Opcode.I32TruncF64S or Opcode.I32TruncF64U => Unary(F64, I32),
            Opcode.I64ExtendI32S or Opcode.I64ExtendI32U => Unary(I32, I64),
            Opcode.I64TruncF32S or Opcode.I64TruncF32U => Unary(F32, I64),
            Opcode.I64TruncF64S or Opcode.I64TruncF64U => Unary(F64, I64),
            Opcode.F32ConvertI32S or Opcode.F32ConvertI32U => Unary(I32, F32),
            Opcode.F32ConvertI64S or Opcode.F32ConvertI64U => Unary(I64, F32),
            Opcode.F32DemoteF64 => Unary(F64, F32),
            Opcode.F64ConvertI32S or Opcode.F64ConvertI32U => Unary(I32, F64),
            Opcode.F64ConvertI64S or Opcode.F64ConvertI64U => Unary(I64, F64),
            Opcode.F64PromoteF32 => Unary(F32, F64),
            Opcode.I32ReinterpretF32 => Unary(F32, I32),
            Opcode.I64ReinterpretF64 => Unary(F64, I64),
            Opcode.F32ReinterpretI32 => Unary(I32, F32),
            Opcode.F64ReinterpretI64 => Unary(I64, F64),

            Opcode.I32Extend8S or Opcode.I32Extend16S => Unary(I32, I32),
            Opcode.I64Extend8S or Opcode.I64Extend16S or Opcode.I64Extend32S => Unary(I64, I64),

            Opcode.I32TruncSatF32S or Opcode.I32TruncSatF32U => Unary(F32, I32),
            Opcode.I32TruncSatF64S or Opcode.I32TruncSatF64U => Unary(F64, I32),
            Opcode.I64TruncSatF32S or Opcode.I64TruncSatF32U => Unary(F32, I64),
            Opcode.I64TruncSatF64S or Opcode.I64TruncSatF64U => Unary(F64, I64),

            _ => default,
        };
        return signature.Result != OperandStack.Unknown;
    }
}
