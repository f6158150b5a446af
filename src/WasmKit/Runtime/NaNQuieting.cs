using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace WasmKit.Runtime;

/// <summary>
/// The JIT folds <c>x * 1</c>, <c>x / 1</c>, <c>x - 0</c> and a promote-demote round trip to <c>x</c>,
/// which is exact except that WebAssembly must return a signalling NaN operand quieted. The compiler
/// passes every result of those operations through here (the JIT may see a constant operand through locals,
/// blocks, globals and inlined calls).
/// </summary>
/// <remarks>
/// Branch-free: the quiet bit is ORed in where the value is unordered with itself (compare, and-not, or on
/// one vector register). A branch here split every float operation into basic blocks of its own, which cost
/// the JIT its register allocation across f64 loops (nbody ran 3-4x slower). A NaN the hardware already
/// quieted is unchanged, any other value (±0, infinities) passes bit for bit.
/// </remarks>
internal static class NaNQuieting
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float F32(float value)
    {
        var vector = Vector128.CreateScalarUnsafe(value);
        return (vector | Vector128.AndNot(Vector128.Create(1u << 22).AsSingle(), Vector128.Equals(vector, vector))).ToScalar();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double F64(double value)
    {
        var vector = Vector128.CreateScalarUnsafe(value);
        return (vector | Vector128.AndNot(Vector128.Create(1ul << 51).AsDouble(), Vector128.Equals(vector, vector))).ToScalar();
    }
}
