using System.Runtime.CompilerServices;

namespace WasmKit.Runtime;

// Float operations that plain IL arithmetic does not express bit-exactly.
// abs, neg and copysign are sign-bit operations that keep every NaN payload (even signalling ones);
// the rounding operations, min and max return a quiet NaN for any NaN operand: `x + x` (or `a + b`) quiets
// a signalling NaN in hardware, which the library rounding functions are not guaranteed to do.
internal static partial class Numerics
{
    private const int F32SignMask = int.MinValue;
    private const long F64SignMask = long.MinValue;

    /// <summary>
    /// Materializes an f32 constant from its bits without letting the JIT see a constant. The JIT keeps float
    /// constants as doubles, which quiets signalling NaNs: `ldc.r4 0x7fa00000` (and a folded
    /// <c>Int32BitsToSingle(0x7fa00000)</c>) come out as 0x7fe00000. Use it for the constants
    /// <see cref="IsF32SignallingNaNBits"/> accepts; other f32 constants survive <c>ldc.r4</c> unchanged.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static float F32FromBitsOpaque(int bits) => BitConverter.Int32BitsToSingle(bits);

    /// <summary>
    /// f32.reinterpret_i32, out of line: the .NET 10 JIT folds the bit-cast of a narrow load into a
    /// full 4-byte load (dotnet/runtime#133580), so it must not see where the bits come from.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static float F32ReinterpretI32(int bits) => BitConverter.Int32BitsToSingle(bits);

    /// <summary>f64.reinterpret_i64, out of line for the same reason as <see cref="F32ReinterpretI32"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static double F64ReinterpretI64(long bits) => BitConverter.Int64BitsToDouble(bits);

    /// <summary>True when the bits encode a signalling NaN (exponent all ones, quiet bit clear, payload non-zero).</summary>
    public static bool IsF32SignallingNaNBits(int bits) =>
        (bits & 0x7fc00000) == 0x7f800000 && (bits & 0x003fffff) != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float F32Abs(float x) =>
        BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(x) & ~F32SignMask);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float F32Neg(float x) =>
        BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(x) ^ F32SignMask);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float F32Copysign(float a, float b) =>
        BitConverter.Int32BitsToSingle(
            (BitConverter.SingleToInt32Bits(a) & ~F32SignMask) | (BitConverter.SingleToInt32Bits(b) & F32SignMask));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float F32Ceil(float x) => float.IsNaN(x) ? x + x : MathF.Ceiling(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float F32Floor(float x) => float.IsNaN(x) ? x + x : MathF.Floor(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float F32Trunc(float x) => float.IsNaN(x) ? x + x : MathF.Truncate(x);

    /// <remarks>Rounds half to even and keeps the sign of zero results (-0.5 gives -0.0).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float F32Nearest(float x) => float.IsNaN(x) ? x + x : MathF.Round(x, MidpointRounding.ToEven);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float F32Sqrt(float x) => float.IsNaN(x) ? x + x : MathF.Sqrt(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float F32Min(float a, float b)
    {
        if (a < b) return a;
        if (b < a) return b;
        // Equal values have equal bits except for the zeros, where OR-ing the bits picks -0.
        if (a == b) return BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(a) | BitConverter.SingleToInt32Bits(b));
        return a + b;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float F32Max(float a, float b)
    {
        if (a > b) return a;
        if (b > a) return b;
        // AND-ing the bits of two equal zeros picks +0.
        if (a == b) return BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(a) & BitConverter.SingleToInt32Bits(b));
        return a + b;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double F64Abs(double x) =>
        BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(x) & ~F64SignMask);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double F64Neg(double x) =>
        BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(x) ^ F64SignMask);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double F64Copysign(double a, double b) =>
        BitConverter.Int64BitsToDouble(
            (BitConverter.DoubleToInt64Bits(a) & ~F64SignMask) | (BitConverter.DoubleToInt64Bits(b) & F64SignMask));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double F64Ceil(double x) => double.IsNaN(x) ? x + x : Math.Ceiling(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double F64Floor(double x) => double.IsNaN(x) ? x + x : Math.Floor(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double F64Trunc(double x) => double.IsNaN(x) ? x + x : Math.Truncate(x);

    /// <remarks>Rounds half to even and keeps the sign of zero results (-0.5 gives -0.0).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double F64Nearest(double x) => double.IsNaN(x) ? x + x : Math.Round(x, MidpointRounding.ToEven);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double F64Sqrt(double x) => double.IsNaN(x) ? x + x : Math.Sqrt(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double F64Min(double a, double b)
    {
        if (a < b) return a;
        if (b < a) return b;
        if (a == b) return BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(a) | BitConverter.DoubleToInt64Bits(b));
        return a + b;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double F64Max(double a, double b)
    {
        if (a > b) return a;
        if (b > a) return b;
        if (a == b) return BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(a) & BitConverter.DoubleToInt64Bits(b));
        return a + b;
    }
}
