using System.Runtime.CompilerServices;

namespace WasmKit.Runtime;

/// <summary>
/// Floats from raw bits for NaN constants. Not inlined on purpose: the JIT folds a constant
/// bit-cast into a float literal and may quiet a signalling NaN on the way, losing its payload.
/// </summary>
internal static class ConstantBits
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static float F32(int bits) => BitConverter.Int32BitsToSingle(bits);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static double F64(long bits) => BitConverter.Int64BitsToDouble(bits);
}
