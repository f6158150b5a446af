using System.Runtime.CompilerServices;

namespace WasmKit.Runtime;

// Conversions between integers and floats.
// Range checks compare against exactly representable powers of two, so they are exact at the boundaries;
// in-range values then use casts whose result is fully defined for those inputs.
// Integer-to-float conversions round once, to nearest even: they only hand the hardware conversions
// values that are exact in a double (or use the correctly rounded signed 64-bit conversion).
internal static partial class Numerics
{
    private const float F32TwoPow31 = 2147483648f;
    private const float F32TwoPow32 = 4294967296f;
    private const float F32TwoPow63 = 9223372036854775808f;
    private const float F32TwoPow64 = 18446744073709551616f;
    private const double F64TwoPow31 = 2147483648.0;
    private const double F64TwoPow32 = 4294967296.0;
    private const double F64TwoPow63 = 9223372036854775808.0;
    private const double F64TwoPow64 = 18446744073709551616.0;

    // Trapping float-to-int conversions: NaN fails every range check and traps as a bad conversion.

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32TruncF32S(float x)
    {
        if (x >= -F32TwoPow31 && x < F32TwoPow31) return (int)x;
        throw Traps.Create(float.IsNaN(x) ? TrapCode.BadConversionToInteger : TrapCode.IntegerOverflow);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32TruncF32U(float x)
    {
        if (x > -1f && x < F32TwoPow32) return (int)(long)x;
        throw Traps.Create(float.IsNaN(x) ? TrapCode.BadConversionToInteger : TrapCode.IntegerOverflow);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32TruncF64S(double x)
    {
        if (x > -F64TwoPow31 - 1.0 && x < F64TwoPow31) return (int)x;
        throw Traps.Create(double.IsNaN(x) ? TrapCode.BadConversionToInteger : TrapCode.IntegerOverflow);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32TruncF64U(double x)
    {
        if (x > -1.0 && x < F64TwoPow32) return (int)(long)x;
        throw Traps.Create(double.IsNaN(x) ? TrapCode.BadConversionToInteger : TrapCode.IntegerOverflow);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64TruncF32S(float x)
    {
        if (x >= -F32TwoPow63 && x < F32TwoPow63) return (long)x;
        throw Traps.Create(float.IsNaN(x) ? TrapCode.BadConversionToInteger : TrapCode.IntegerOverflow);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64TruncF32U(float x)
    {
        if (x > -1f && x < F32TwoPow64) return TruncateToUInt64Bits(x);
        throw Traps.Create(float.IsNaN(x) ? TrapCode.BadConversionToInteger : TrapCode.IntegerOverflow);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64TruncF64S(double x)
    {
        if (x >= -F64TwoPow63 && x < F64TwoPow63) return (long)x;
        throw Traps.Create(double.IsNaN(x) ? TrapCode.BadConversionToInteger : TrapCode.IntegerOverflow);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64TruncF64U(double x)
    {
        if (x > -1.0 && x < F64TwoPow64) return TruncateToUInt64Bits(x);
        throw Traps.Create(double.IsNaN(x) ? TrapCode.BadConversionToInteger : TrapCode.IntegerOverflow);
    }

    // Saturating float-to-int conversions: NaN gives 0, out-of-range values clamp.

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32TruncSatF32S(float x)
    {
        if (float.IsNaN(x)) return 0;
        if (x < -F32TwoPow31) return int.MinValue;
        if (x >= F32TwoPow31) return int.MaxValue;
        return (int)x;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32TruncSatF32U(float x)
    {
        if (!(x > -1f)) return 0; // also NaN
        if (x >= F32TwoPow32) return -1;
        return (int)(long)x;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32TruncSatF64S(double x)
    {
        if (double.IsNaN(x)) return 0;
        if (x <= -F64TwoPow31 - 1.0) return int.MinValue;
        if (x >= F64TwoPow31) return int.MaxValue;
        return (int)x;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32TruncSatF64U(double x)
    {
        if (!(x > -1.0)) return 0; // also NaN
        if (x >= F64TwoPow32) return -1;
        return (int)(long)x;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64TruncSatF32S(float x)
    {
        if (float.IsNaN(x)) return 0;
        if (x < -F32TwoPow63) return long.MinValue;
        if (x >= F32TwoPow63) return long.MaxValue;
        return (long)x;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64TruncSatF32U(float x)
    {
        if (!(x > -1f)) return 0; // also NaN
        if (x >= F32TwoPow64) return -1;
        return TruncateToUInt64Bits(x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64TruncSatF64S(double x)
    {
        if (double.IsNaN(x)) return 0;
        if (x < -F64TwoPow63) return long.MinValue;
        if (x >= F64TwoPow63) return long.MaxValue;
        return (long)x;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64TruncSatF64U(double x)
    {
        if (!(x > -1.0)) return 0; // also NaN
        if (x >= F64TwoPow64) return -1;
        return TruncateToUInt64Bits(x);
    }

    /// <summary>Truncates x in (-1, 2^64) to the bits of a ulong without the runtime's unsigned conversion.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long TruncateToUInt64Bits(float x) =>
        // For x >= 2^63 the subtraction is exact (x is a multiple of 2^40 there), leaving a value below 2^63.
        x < F32TwoPow63 ? (long)x : (long)(x - F32TwoPow63) ^ long.MinValue;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long TruncateToUInt64Bits(double x) =>
        x < F64TwoPow63 ? (long)x : (long)(x - F64TwoPow63) ^ long.MinValue;

    // Integer-to-float conversions.

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float F32ConvertI32S(int a) => (float)(double)a;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float F32ConvertI32U(int a) => (float)(double)(uint)a;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float F32ConvertI64S(long a)
    {
        // |a| <= 2^53 is exact in a double, so the only rounding is the one to float.
        if ((ulong)(a + (1L << 53)) <= 1UL << 54) return (float)(double)a;
        return (float)((double)StickyShiftRight11(a) * 2048.0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float F32ConvertI64U(long a)
    {
        if ((ulong)a <= 1UL << 53) return (float)(double)a;
        return (float)((double)(long)StickyShiftRight11((ulong)a) * 2048.0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double F64ConvertI32S(int a) => a;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double F64ConvertI32U(int a) => (uint)a;

    /// <remarks>The signed 64-bit conversion is a single correctly rounded hardware instruction (cvtsi2sd, scvtf).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double F64ConvertI64S(long a) => a;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double F64ConvertI64U(long a)
    {
        if (a >= 0) return a;
        // Halve into signed range keeping the lost bit as a sticky bit: it lies far below the rounding
        // position, so the signed conversion rounds exactly as the unsigned value would, and doubling is exact.
        ulong bits = (ulong)a;
        return (double)(long)((bits >> 1) | (bits & 1)) * 2.0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float F32DemoteF64(double x) => (float)x;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double F64PromoteF32(float x) => x;

    /// <summary>
    /// Drops the low 11 bits, OR-ing "any of them was set" into the new lowest bit. The result fits 53 bits,
    /// so it converts to double exactly, and (times 2^11) it rounds to float like the original: float keeps 24
    /// of the original's more than 53 significant bits, so only whether the dropped bits were zero matters.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long StickyShiftRight11(long value) => (value >> 11) | (((value & 0x7FF) + 0x7FF) >> 11);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong StickyShiftRight11(ulong value) => (value >> 11) | (((value & 0x7FF) + 0x7FF) >> 11);
}
