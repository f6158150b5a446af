using WasmKit.BinaryFormat;
using static WasmKit.Validation.ValidationMessages;

namespace WasmKit.Validation;

/// <summary>
/// Checks constant expressions (global initializers, segment offsets, element items): only
/// <c>t.const</c>, <c>ref.null</c>, <c>ref.func</c> and <c>global.get</c> of an immutable imported
/// global may appear, and together they must leave exactly one value of the expected kind.
/// </summary>
internal static class ConstantExpressionValidator
{
    public static void Validate(ModuleDefinition module, ConstantExpression expression, ValueKind expected)
    {
        // Constant instructions only push, so the result is the last pushed kind and the stack height is the count.
        int height = 0;
        var result = OperandStack.Unknown;
        foreach (var ins in expression.Instructions)
        {
            result = ResultOf(module, in ins);
            height++;
        }
        if (height != 1 || result != expected)
            throw new WasmValidationException(TypeMismatch, offset: expression.Offset);
    }

    private static ValueKind ResultOf(ModuleDefinition module, in Instruction ins)
    {
        switch (ins.Opcode)
        {
            case Opcode.I32Const: return ValueKind.Int32;
            case Opcode.I64Const: return ValueKind.Int64;
            case Opcode.F32Const: return ValueKind.Float32;
            case Opcode.F64Const: return ValueKind.Float64;
            case Opcode.RefNull: return ins.ValueType;
            case Opcode.RefFunc:
                if (ins.Index >= (uint)module.TotalFunctionCount) throw Error(UnknownFunction, ins);
                return ValueKind.FuncRef;
            case Opcode.GlobalGet:
            {
                // WebAssembly 2.0: only imported globals are visible to constant expressions.
                if (ins.Index >= (uint)module.ImportedGlobalCount) throw Error(UnknownGlobal, ins);
                var global = module.GetGlobalType((int)ins.Index);
                if (global.Mutable) throw Error(ConstantExpressionRequired, ins);
                return global.ValueKind;
            }
            default:
                if (ins.Opcode.IsSimd()) throw Error(SimdNotSupported, ins);
                throw Error(ConstantExpressionRequired, ins);
        }
    }

    private static WasmValidationException Error(string message, in Instruction ins) => new(message, offset: ins.Offset);
}
