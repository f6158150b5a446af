using System.Runtime.CompilerServices;

namespace WasmKit.Runtime;

/// <summary>
/// The JIT folds <c>x * 1</c>, <c>x / 1</c>, <c>x - 0</c> and a promote-demote round trip to <c>x</c>,
/// which is exact except that WebAssembly must return a signalling NaN operand quieted. The compiler
/// passes a result of those operations through here unless <see cref="Compilation.ConstantOperandAnalysis"/>
/// proves the JIT cannot see such a constant operand (it may see one through locals, blocks, globals and
/// inlined calls): off the NaN case it is one compare and a predicted branch.
/// </summary>
internal static class NaNQuieting
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float F32(float value) => float.IsNaN(value) ? value + value : value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double F64(double value) => double.IsNaN(value) ? value + value : value;
}
