using System.Reflection.Emit;
using WasmKit.BinaryFormat;
using WasmKit.Runtime;

namespace WasmKit.Compilation;

internal sealed partial class FunctionCompiler
{
    private const ValueKind I32 = ValueKind.Int32;
    private const ValueKind I64 = ValueKind.Int64;
    private const ValueKind F32 = ValueKind.Float32;
    private const ValueKind F64 = ValueKind.Float64;

    /// <summary>
    /// Numeric instructions. Those whose IL opcode has exactly the WebAssembly meaning are emitted
    /// inline; the rest call the <see cref="Numerics"/> helper of the same name, which the JIT inlines.
    /// </summary>
    private bool TryCompileNumericInstruction(in Instruction ins)
    {
        var opcode = ins.Opcode;
        if (!TryGetNumericSignature(opcode, out int operands, out var result)) return false;
        for (int i = 0; i < operands; i++) Pop();
        if (!TryEmitInlineNumeric(opcode))
            _il.Emit(OpCodes.Call, _module.Helper(typeof(Numerics), opcode.ToString()));
        if (MayBeFoldedToItsOperand(opcode) && ConstantOperands.NeedsQuieting(ins.Offset))
            _il.Emit(OpCodes.Call, _module.Helper(typeof(NaNQuieting), result == F32 ? nameof(NaNQuieting.F32) : nameof(NaNQuieting.F64)));
        Push(result);
        return true;
    }

    /// <summary>Which float operations need the fix-up; analysed on the first one met, so integer-only bodies skip the pass.</summary>
    private ConstantOperandAnalysis ConstantOperands => _constantOperandsOwner is FunctionCompiler owner
        ? owner.ConstantOperands
        : _constantOperands ??= ConstantOperandAnalysis.Analyze(_definition, _functionIndex, _body);

    /// <summary>For a region method, the function's compiler, which holds the analysis of the whole body.</summary>
    private readonly FunctionCompiler? _constantOperandsOwner;

    private ConstantOperandAnalysis? _constantOperands;

    private bool TryEmitInlineNumeric(Opcode opcode)
    {
        switch (opcode)
        {
            case Opcode.I32Eqz: _il.Emit(OpCodes.Ldc_I4_0); _il.Emit(OpCodes.Ceq); return true;
            case Opcode.I64Eqz: _il.Emit(OpCodes.Ldc_I8, 0L); _il.Emit(OpCodes.Ceq); return true;

            case Opcode.I32Eq or Opcode.I64Eq or Opcode.F32Eq or Opcode.F64Eq: _il.Emit(OpCodes.Ceq); return true;
            case Opcode.I32Ne or Opcode.I64Ne or Opcode.F32Ne or Opcode.F64Ne: EmitNegated(OpCodes.Ceq); return true;
            case Opcode.I32LtS or Opcode.I64LtS or Opcode.F32Lt or Opcode.F64Lt: _il.Emit(OpCodes.Clt); return true;
            case Opcode.I32LtU or Opcode.I64LtU: _il.Emit(OpCodes.Clt_Un); return true;
            case Opcode.I32GtS or Opcode.I64GtS or Opcode.F32Gt or Opcode.F64Gt: _il.Emit(OpCodes.Cgt); return true;
            case Opcode.I32GtU or Opcode.I64GtU: _il.Emit(OpCodes.Cgt_Un); return true;
            case Opcode.I32LeS or Opcode.I64LeS: EmitNegated(OpCodes.Cgt); return true;
            case Opcode.I32LeU or Opcode.I64LeU: EmitNegated(OpCodes.Cgt_Un); return true;
            case Opcode.I32GeS or Opcode.I64GeS: EmitNegated(OpCodes.Clt); return true;
            case Opcode.I32GeU or Opcode.I64GeU: EmitNegated(OpCodes.Clt_Un); return true;
            // For floats, le is "not (greater or unordered)": cgt.un is true for NaN operands.
            case Opcode.F32Le or Opcode.F64Le: EmitNegated(OpCodes.Cgt_Un); return true;
            case Opcode.F32Ge or Opcode.F64Ge: EmitNegated(OpCodes.Clt_Un); return true;

            case Opcode.I32Add or Opcode.I64Add or Opcode.F32Add or Opcode.F64Add: _il.Emit(OpCodes.Add); return true;
            case Opcode.I32Sub or Opcode.I64Sub or Opcode.F32Sub or Opcode.F64Sub: _il.Emit(OpCodes.Sub); return true;
            case Opcode.I32Mul or Opcode.I64Mul or Opcode.F32Mul or Opcode.F64Mul: _il.Emit(OpCodes.Mul); return true;
            case Opcode.F32Div or Opcode.F64Div: _il.Emit(OpCodes.Div); return true;
            case Opcode.I32And or Opcode.I64And: _il.Emit(OpCodes.And); return true;
            case Opcode.I32Or or Opcode.I64Or: _il.Emit(OpCodes.Or); return true;
            case Opcode.I32Xor or Opcode.I64Xor: _il.Emit(OpCodes.Xor); return true;

            // IL leaves over-wide shift counts undefined; WebAssembly takes them modulo the width.
            case Opcode.I32Shl: EmitShift(OpCodes.Shl, 31, wide: false); return true;
            case Opcode.I32ShrS: EmitShift(OpCodes.Shr, 31, wide: false); return true;
            case Opcode.I32ShrU: EmitShift(OpCodes.Shr_Un, 31, wide: false); return true;
            case Opcode.I64Shl: EmitShift(OpCodes.Shl, 63, wide: true); return true;
            case Opcode.I64ShrS: EmitShift(OpCodes.Shr, 63, wide: true); return true;
            case Opcode.I64ShrU: EmitShift(OpCodes.Shr_Un, 63, wide: true); return true;

            case Opcode.I32WrapI64: _il.Emit(OpCodes.Conv_I4); return true;
            case Opcode.I64ExtendI32S: _il.Emit(OpCodes.Conv_I8); return true;
            case Opcode.I64ExtendI32U: _il.Emit(OpCodes.Conv_U8); return true;
            case Opcode.F32ConvertI32S: _il.Emit(OpCodes.Conv_R4); return true;
            case Opcode.F64ConvertI32S: _il.Emit(OpCodes.Conv_R8); return true;
            case Opcode.F32DemoteF64: _il.Emit(OpCodes.Conv_R4); return true;
            case Opcode.F64PromoteF32: _il.Emit(OpCodes.Conv_R8); return true;
            case Opcode.I32ReinterpretF32: _il.Emit(OpCodes.Call, Members.SingleToInt32Bits); return true;
            case Opcode.I64ReinterpretF64: _il.Emit(OpCodes.Call, Members.DoubleToInt64Bits); return true;
            default: return false;
        }
    }

    /// <summary>
    /// Float operations the JIT may reduce to their operand (<c>x * 1</c>, <c>x - 0</c>, a promote-demote round
    /// trip), which skips the hardware's quieting of a signalling NaN. The JIT sees a constant operand through
    /// locals, blocks, globals and inlined calls; <see cref="ConstantOperandAnalysis"/> tells where it cannot,
    /// and everywhere else the result gets the fix-up (a compare and a well-predicted branch off the NaN case).
    /// </summary>
    internal static bool MayBeFoldedToItsOperand(Opcode opcode) => opcode is
        Opcode.F32Add or Opcode.F32Sub or Opcode.F32Mul or Opcode.F32Div or
        Opcode.F64Add or Opcode.F64Sub or Opcode.F64Mul or Opcode.F64Div or
        Opcode.F32DemoteF64 or Opcode.F64PromoteF32;

    private void EmitNegated(OpCode compare)
    {
        _il.Emit(compare);
        _il.Emit(OpCodes.Ldc_I4_0);
        _il.Emit(OpCodes.Ceq);
    }

    private void EmitShift(OpCode shift, int mask, bool wide)
    {
        if (wide) _il.Emit(OpCodes.Conv_I4);
        _il.Emit(OpCodes.Ldc_I4, mask);
        _il.Emit(OpCodes.And);
        _il.Emit(shift);
    }

    internal static bool TryGetNumericSignature(Opcode opcode, out int operands, out ValueKind result)
    {
        (operands, result) = opcode switch
        {
            Opcode.I32Eqz => (1, I32),
            >= Opcode.I32Eq and <= Opcode.I32GeU => (2, I32),
            Opcode.I64Eqz => (1, I32),
            >= Opcode.I64Eq and <= Opcode.I64GeU => (2, I32),
            >= Opcode.F32Eq and <= Opcode.F64Ge => (2, I32),
            >= Opcode.I32Clz and <= Opcode.I32Popcnt => (1, I32),
            >= Opcode.I32Add and <= Opcode.I32Rotr => (2, I32),
            >= Opcode.I64Clz and <= Opcode.I64Popcnt => (1, I64),
            >= Opcode.I64Add and <= Opcode.I64Rotr => (2, I64),
            >= Opcode.F32Abs and <= Opcode.F32Sqrt => (1, F32),
            >= Opcode.F32Add and <= Opcode.F32Copysign => (2, F32),
            >= Opcode.F64Abs and <= Opcode.F64Sqrt => (1, F64),
            >= Opcode.F64Add and <= Opcode.F64Copysign => (2, F64),
            Opcode.I32WrapI64 or (>= Opcode.I32TruncF32S and <= Opcode.I32TruncF64U) => (1, I32),
            >= Opcode.I64ExtendI32S and <= Opcode.I64TruncF64U => (1, I64),
            >= Opcode.F32ConvertI32S and <= Opcode.F32DemoteF64 => (1, F32),
            >= Opcode.F64ConvertI32S and <= Opcode.F64PromoteF32 => (1, F64),
            Opcode.I32ReinterpretF32 => (1, I32),
            Opcode.I64ReinterpretF64 => (1, I64),
            Opcode.F32ReinterpretI32 => (1, F32),
            Opcode.F64ReinterpretI64 => (1, F64),
            Opcode.I32Extend8S or Opcode.I32Extend16S => (1, I32),
            >= Opcode.I64Extend8S and <= Opcode.I64Extend32S => (1, I64),
            >= Opcode.I32TruncSatF32S and <= Opcode.I32TruncSatF64U => (1, I32),
            >= Opcode.I64TruncSatF32S and <= Opcode.I64TruncSatF64U => (1, I64),
            _ => (-1, default),
        };
        return operands >= 0;
    }
}
