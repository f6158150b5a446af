using WasmKit.BinaryFormat;

namespace WasmKit.Runtime;

/// <summary>Evaluates validated constant expressions at instantiation.</summary>
internal static class ConstantEvaluator
{
    /// <summary>The value of a numeric expression, as bits (i32 sign-extended, floats as their bits).</summary>
    public static long EvaluateBits(ConstantExpression expression, InstanceContext context)
    {
        var ins = Single(expression);
        return ins.Opcode switch
        {
            Opcode.I32Const or Opcode.I64Const or Opcode.F32Const or Opcode.F64Const => ins.Constant,
            Opcode.GlobalGet => context.Globals[ins.Index].Bits,
            _ => throw new InvalidOperationException($"{ins.Opcode} does not give a number."),
        };
    }

    /// <summary>The value of a reference expression.</summary>
    public static object? EvaluateReference(ConstantExpression expression, InstanceContext context)
    {
        var ins = Single(expression);
        return ins.Opcode switch
        {
            Opcode.RefNull => null,
            Opcode.RefFunc => context.Functions[ins.Index],
            Opcode.GlobalGet => context.Globals[ins.Index].Reference,
            _ => throw new InvalidOperationException($"{ins.Opcode} does not give a reference."),
        };
    }

    private static Instruction Single(ConstantExpression expression)
    {
        // WebAssembly 2.0 constant expressions are one instruction; the validator guarantees it.
        if (expression.Instructions.Length != 1)
            throw new InvalidOperationException("Extended constant expressions are not supported.");
        return expression.Instructions[0];
    }
}
