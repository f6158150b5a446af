using System.Runtime.CompilerServices;

namespace WasmKit.Runtime;

/// <summary>
/// The JIT folds <c>x * 1</c>, <c>x / 1</c>, <c>x - 0</c> and a promote-demote round trip to <c>x</c>,
/// which is exact except that WebAssembly must return a signalling NaN operand quieted. The compiler
/// passes such results through here, and only those whose operand was a literal constant.
/// </summary>
internal static class NaNQuieting
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float F32(float value) => float.IsNaN(value) ? value + value : value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double F64(double value) => double.IsNaN(value) ? value + value : value;
}
