using System.Numerics;
using WasmKit.Runtime;
using static WasmKit.Tests.Runtime.NumericsFloatTests;
using static WasmKit.Tests.Runtime.NumericsIntegerTests;

namespace WasmKit.Tests.Runtime;

public class NumericsConversionTests
{
    private const float LargestF32Below2Pow31 = 2147483520f;
    private const float LargestF32Below2Pow32 = 4294967040f;
    private const float LargestF32Below2Pow63 = 9223371487098961920f;
    private const float LargestF32Below2Pow64 = 18446742974197923840f;
    private const double LargestF64Below2Pow63 = 9223372036854774784.0;
    private const double LargestF64Below2Pow64 = 18446744073709549568.0;

    [Test]
    public void I32TruncF32SignedBoundaries()
    {
        Assert.That(Numerics.I32TruncF32S(-2147483648f), Is.EqualTo(int.MinValue));
        Assert.That(Numerics.I32TruncF32S(LargestF32Below2Pow31), Is.EqualTo(2147483520));
        Assert.That(Numerics.I32TruncF32S(-0.9f), Is.EqualTo(0));
        Assert.That(Numerics.I32TruncF32S(-1.9f), Is.EqualTo(-1));
        Assert.That(Numerics.I32TruncF32S(1.9f), Is.EqualTo(1));
        Assert.That(Numerics.I32TruncF32S(float.Epsilon), Is.EqualTo(0));
        AssertTraps(TrapCode.IntegerOverflow, () => Numerics.I32TruncF32S(2147483648f));
        AssertTraps(TrapCode.IntegerOverflow, () => Numerics.I32TruncF32S(-2147483904f));
        AssertTraps(TrapCode.IntegerOverflow, () => Numerics.I32TruncF32S(float.PositiveInfinity));
        AssertTraps(TrapCode.IntegerOverflow, () => Numerics.I32TruncF32S(float.NegativeInfinity));
        AssertTraps(TrapCode.BadConversionToInteger, () => Numerics.I32TruncF32S(float.NaN));
        AssertTraps(TrapCode.BadConversionToInteger, () => Numerics.I32TruncF32S(F32(0xffa00000)));
    }

    [Test]
    public void I32TruncF32UnsignedBoundaries()
    {
        Assert.That(Numerics.I32TruncF32U(-0.99999994f), Is.EqualTo(0));
        Assert.That(Numerics.I32TruncF32U(-0f), Is.EqualTo(0));
        Assert.That(Numerics.I32TruncF32U(2147483648f), Is.EqualTo(int.MinValue));
        Assert.That(Numerics.I32TruncF32U(LargestF32Below2Pow32), Is.EqualTo(unchecked((int)4294967040u)));
        AssertTraps(TrapCode.IntegerOverflow, () => Numerics.I32TruncF32U(-1f));
        AssertTraps(TrapCode.IntegerOverflow, () => Numerics.I32TruncF32U(4294967296f));
        AssertTraps(TrapCode.IntegerOverflow, () => Numerics.I32TruncF32U(float.NegativeInfinity));
        AssertTraps(TrapCode.BadConversionToInteger, () => Numerics.I32TruncF32U(float.NaN));
    }

    [Test]
    public void I32TruncF64Boundaries()
    {
        Assert.That(Numerics.I32TruncF64S(-2147483648.9), Is.EqualTo(int.MinValue));
        Assert.That(Numerics.I32TruncF64S(2147483647.9), Is.EqualTo(int.MaxValue));
        Assert.That(Numerics.I32TruncF64S(-0.9), Is.EqualTo(0));
        AssertTraps(TrapCode.IntegerOverflow, () => Numerics.I32TruncF64S(-2147483649.0));
        AssertTraps(TrapCode.IntegerOverflow, () => Numerics.I32TruncF64S(2147483648.0));
        AssertTraps(TrapCode.IntegerOverflow, () => Numerics.I32TruncF64S(double.PositiveInfinity));
        AssertTraps(TrapCode.BadConversionToInteger, () => Numerics.I32TruncF64S(double.NaN));

        Assert.That(Numerics.I32TruncF64U(-0.9999999999999999), Is.EqualTo(0));
        Assert.That(Numerics.I32TruncF64U(4294967295.9), Is.EqualTo(-1));
        Assert.That(Numerics.I32TruncF64U(2147483648.0), Is.EqualTo(int.MinValue));
        Assert.That(Numerics.I32TruncF64U(1e-300), Is.EqualTo(0));
        AssertTraps(TrapCode.IntegerOverflow, () => Numerics.I32TruncF64U(-1.0));
        AssertTraps(TrapCode.IntegerOverflow, () => Numerics.I32TruncF64U(4294967296.0));
        AssertTraps(TrapCode.IntegerOverflow, () => Numerics.I32TruncF64U(1e300));
        AssertTraps(TrapCode.BadConversionToInteger, () => Numerics.I32TruncF64U(F64(F64SignallingNaN)));
    }

    [Test]
    public void I64TruncF32Boundaries()
    {
        Assert.That(Numerics.I64TruncF32S(-9223372036854775808f), Is.EqualTo(long.MinValue));
        Assert.That(Numerics.I64TruncF32S(LargestF32Below2Pow63), Is.EqualTo(9223371487098961920L));
        Assert.That(Numerics.I64TruncF32S(-1.5f), Is.EqualTo(-1L));
        AssertTraps(TrapCode.IntegerOverflow, () => Numerics.I64TruncF32S(9223372036854775808f));
        AssertTraps(TrapCode.IntegerOverflow, () => Numerics.I64TruncF32S(-9223373136366403584f));
        AssertTraps(TrapCode.BadConversionToInteger, () => Numerics.I64TruncF32S(float.NaN));

        Assert.That(Numerics.I64TruncF32U(-0.99999994f), Is.EqualTo(0L));
        Assert.That(Numerics.I64TruncF32U(9223372036854775808f), Is.EqualTo(long.MinValue));
        Assert.That(Numerics.I64TruncF32U(LargestF32Below2Pow64), Is.EqualTo(unchecked((long)0xFFFFFF0000000000UL)));
        Assert.That(Numerics.I64TruncF32U(LargestF32Below2Pow63), Is.EqualTo(9223371487098961920L));
        AssertTraps(TrapCode.IntegerOverflow, () => Numerics.I64TruncF32U(-1f));
        AssertTraps(TrapCode.IntegerOverflow, () => Numerics.I64TruncF32U(18446744073709551616f));
        AssertTraps(TrapCode.IntegerOverflow, () => Numerics.I64TruncF32U(float.PositiveInfinity));
        AssertTraps(TrapCode.BadConversionToInteger, () => Numerics.I64TruncF32U(float.NaN));
    }

    [Test]
    public void I64TruncF64Boundaries()
    {
        Assert.That(Numerics.I64TruncF64S(-9223372036854775808.0), Is.EqualTo(long.MinValue));
        Assert.That(Numerics.I64TruncF64S(LargestF64Below2Pow63), Is.EqualTo(9223372036854774784L));
        Assert.That(Numerics.I64TruncF64S(-0.5), Is.EqualTo(0L));
        AssertTraps(TrapCode.IntegerOverflow, () => Numerics.I64TruncF64S(9223372036854775808.0));
        AssertTraps(TrapCode.IntegerOverflow, () => Numerics.I64TruncF64S(-9223372036854777856.0));
        AssertTraps(TrapCode.BadConversionToInteger, () => Numerics.I64TruncF64S(-double.NaN));

        Assert.That(Numerics.I64TruncF64U(-0.9999999999999999), Is.EqualTo(0L));
        Assert.That(Numerics.I64TruncF64U(4294967296.0), Is.EqualTo(4294967296L));
        Assert.That(Numerics.I64TruncF64U(9223372036854775808.0), Is.EqualTo(long.MinValue));
        Assert.That(Numerics.I64TruncF64U(9223372036854777856.0), Is.EqualTo(unchecked((long)0x8000000000000800UL)));
        Assert.That(Numerics.I64TruncF64U(LargestF64Below2Pow63), Is.EqualTo(9223372036854774784L));
        Assert.That(Numerics.I64TruncF64U(LargestF64Below2Pow64), Is.EqualTo(unchecked((long)0xFFFFFFFFFFFFF800UL)));
        AssertTraps(TrapCode.IntegerOverflow, () => Numerics.I64TruncF64U(-1.0));
        AssertTraps(TrapCode.IntegerOverflow, () => Numerics.I64TruncF64U(18446744073709551616.0));
        AssertTraps(TrapCode.IntegerOverflow, () => Numerics.I64TruncF64U(double.NegativeInfinity));
        AssertTraps(TrapCode.BadConversionToInteger, () => Numerics.I64TruncF64U(double.NaN));
    }

    [Test]
    public void SaturatingTruncationsClampAndMapNaNToZero()
    {
        Assert.That(Numerics.I32TruncSatF32S(float.NaN), Is.EqualTo(0));
        Assert.That(Numerics.I32TruncSatF32S(F32(0xffa00000)), Is.EqualTo(0));
        Assert.That(Numerics.I32TruncSatF32S(2147483648f), Is.EqualTo(int.MaxValue));
        Assert.That(Numerics.I32TruncSatF32S(LargestF32Below2Pow31), Is.EqualTo(2147483520));
        Assert.That(Numerics.I32TruncSatF32S(-2147483648f), Is.EqualTo(int.MinValue));
        Assert.That(Numerics.I32TruncSatF32S(-2147483904f), Is.EqualTo(int.MinValue));
        Assert.That(Numerics.I32TruncSatF32S(float.NegativeInfinity), Is.EqualTo(int.MinValue));
        Assert.That(Numerics.I32TruncSatF32S(-1.9f), Is.EqualTo(-1));

        Assert.That(Numerics.I32TruncSatF32U(float.NaN), Is.EqualTo(0));
        Assert.That(Numerics.I32TruncSatF32U(-0.9f), Is.EqualTo(0));
        Assert.That(Numerics.I32TruncSatF32U(-1f), Is.EqualTo(0));
        Assert.That(Numerics.I32TruncSatF32U(float.NegativeInfinity), Is.EqualTo(0));
        Assert.That(Numerics.I32TruncSatF32U(LargestF32Below2Pow32), Is.EqualTo(unchecked((int)4294967040u)));
        Assert.That(Numerics.I32TruncSatF32U(4294967296f), Is.EqualTo(-1));
        Assert.That(Numerics.I32TruncSatF32U(float.PositiveInfinity), Is.EqualTo(-1));

        Assert.That(Numerics.I32TruncSatF64S(double.NaN), Is.EqualTo(0));
        Assert.That(Numerics.I32TruncSatF64S(-2147483648.9), Is.EqualTo(int.MinValue));
        Assert.That(Numerics.I32TruncSatF64S(-2147483649.0), Is.EqualTo(int.MinValue));
        Assert.That(Numerics.I32TruncSatF64S(2147483647.9), Is.EqualTo(int.MaxValue));
        Assert.That(Numerics.I32TruncSatF64S(2147483648.0), Is.EqualTo(int.MaxValue));
        Assert.That(Numerics.I32TruncSatF64S(-1e300), Is.EqualTo(int.MinValue));

        Assert.That(Numerics.I32TruncSatF64U(double.NaN), Is.EqualTo(0));
        Assert.That(Numerics.I32TruncSatF64U(-0.9999999999999999), Is.EqualTo(0));
        Assert.That(Numerics.I32TruncSatF64U(-1e300), Is.EqualTo(0));
        Assert.That(Numerics.I32TruncSatF64U(4294967295.9), Is.EqualTo(-1));
        Assert.That(Numerics.I32TruncSatF64U(4294967294.9), Is.EqualTo(-2));
        Assert.That(Numerics.I32TruncSatF64U(1e300), Is.EqualTo(-1));

        Assert.That(Numerics.I64TruncSatF32S(float.NaN), Is.EqualTo(0L));
        Assert.That(Numerics.I64TruncSatF32S(9223372036854775808f), Is.EqualTo(long.MaxValue));
        Assert.That(Numerics.I64TruncSatF32S(LargestF32Below2Pow63), Is.EqualTo(9223371487098961920L));
        Assert.That(Numerics.I64TruncSatF32S(-9223372036854775808f), Is.EqualTo(long.MinValue));
        Assert.That(Numerics.I64TruncSatF32S(float.NegativeInfinity), Is.EqualTo(long.MinValue));

        Assert.That(Numerics.I64TruncSatF32U(float.NaN), Is.EqualTo(0L));
        Assert.That(Numerics.I64TruncSatF32U(-5f), Is.EqualTo(0L));
        Assert.That(Numerics.I64TruncSatF32U(LargestF32Below2Pow64), Is.EqualTo(unchecked((long)0xFFFFFF0000000000UL)));
        Assert.That(Numerics.I64TruncSatF32U(9223372036854775808f), Is.EqualTo(long.MinValue));
        Assert.That(Numerics.I64TruncSatF32U(18446744073709551616f), Is.EqualTo(-1L));
        Assert.That(Numerics.I64TruncSatF32U(float.PositiveInfinity), Is.EqualTo(-1L));

        Assert.That(Numerics.I64TruncSatF64S(double.NaN), Is.EqualTo(0L));
        Assert.That(Numerics.I64TruncSatF64S(9223372036854775808.0), Is.EqualTo(long.MaxValue));
        Assert.That(Numerics.I64TruncSatF64S(LargestF64Below2Pow63), Is.EqualTo(9223372036854774784L));
        Assert.That(Numerics.I64TruncSatF64S(-9223372036854775808.0), Is.EqualTo(long.MinValue));
        Assert.That(Numerics.I64TruncSatF64S(-9223372036854777856.0), Is.EqualTo(long.MinValue));
        Assert.That(Numerics.I64TruncSatF64S(-1.5), Is.EqualTo(-1L));

        Assert.That(Numerics.I64TruncSatF64U(double.NaN), Is.EqualTo(0L));
        Assert.That(Numerics.I64TruncSatF64U(-0.5), Is.EqualTo(0L));
        Assert.That(Numerics.I64TruncSatF64U(double.NegativeInfinity), Is.EqualTo(0L));
        Assert.That(Numerics.I64TruncSatF64U(9223372036854775808.0), Is.EqualTo(long.MinValue));
        Assert.That(Numerics.I64TruncSatF64U(LargestF64Below2Pow64), Is.EqualTo(unchecked((long)0xFFFFFFFFFFFFF800UL)));
        Assert.That(Numerics.I64TruncSatF64U(18446744073709551616.0), Is.EqualTo(-1L));
        Assert.That(Numerics.I64TruncSatF64U(double.PositiveInfinity), Is.EqualTo(-1L));
    }

    [Test]
    public void IntToFloatSpecCases()
    {
        AssertSame(Numerics.F32ConvertI32S(16777217), 16777216f);
        AssertSame(Numerics.F32ConvertI32S(16777219), 16777220f);
        AssertSame(Numerics.F32ConvertI32S(int.MinValue), -2147483648f);
        AssertSame(Numerics.F32ConvertI32S(int.MaxValue), 2147483648f);

        AssertSame(Numerics.F32ConvertI32U(-1), 4294967296f);
        AssertSame(Numerics.F32ConvertI32U(int.MinValue), 2147483648f);
        AssertSame(Numerics.F32ConvertI32U(0x12345678), 305419904f);
        AssertSame(Numerics.F32ConvertI32U(unchecked((int)0x80000080)), 2147483648f);
        AssertSame(Numerics.F32ConvertI32U(unchecked((int)0x80000081)), 2147483904f);
        AssertSame(Numerics.F32ConvertI32U(unchecked((int)0x80000082)), 2147483904f);
        AssertSame(Numerics.F32ConvertI32U(unchecked((int)0xfffffe80)), 4294966784f);
        AssertSame(Numerics.F32ConvertI32U(unchecked((int)0xfffffe81)), 4294967040f);

        AssertSame(Numerics.F32ConvertI64S(long.MaxValue), 9223372036854775808f);
        AssertSame(Numerics.F32ConvertI64S(long.MinValue), -9223372036854775808f);
        AssertSame(Numerics.F32ConvertI64S(314159265358979), 314159275180032f);
        AssertSame(Numerics.F32ConvertI64S(-16777217), -16777216f);
        AssertSame(Numerics.F32ConvertI64S(0x7fffff4000000001), 9223371487098961920f);
        AssertSame(Numerics.F32ConvertI64S(unchecked((long)0x8000004000000001UL)), -9223371487098961920f);
        AssertSame(Numerics.F32ConvertI64S(0x0020000020000001), 9007200328482816f);
        AssertSame(Numerics.F32ConvertI64S(unchecked((long)0xffdfffffdfffffffUL)), -9007200328482816f);
        // Double rounding through double would give 2^60 (the tie-to-even of 2^60 + 2^36).
        AssertSame(Numerics.F32ConvertI64S((1L << 60) + (1L << 36) + 1), 1152921642045800448f);
        AssertSame(Numerics.F32ConvertI64S(-((1L << 60) + (1L << 36) + 1)), -1152921642045800448f);
        AssertSame(Numerics.F32ConvertI64S((1L << 53) + 1), 9007199254740992f);

        AssertSame(Numerics.F32ConvertI64U(-1), 18446744073709551616f);
        AssertSame(Numerics.F32ConvertI64U(long.MinValue), 9223372036854775808f);
        AssertSame(Numerics.F32ConvertI64U(0x0020000020000001), 9007200328482816f);
        AssertSame(Numerics.F32ConvertI64U(0x7fffffbfffffffff), 9223371487098961920f);
        AssertSame(Numerics.F32ConvertI64U(unchecked((long)0x8000008000000001UL)), 9223373136366403584f);
        AssertSame(Numerics.F32ConvertI64U(unchecked((long)0xfffffe8000000001UL)), 18446742974197923840f);
        // 2^63 + 2^39 + 1: just above the float midpoint, but double rounding lands on it and then rounds to 2^63.
        AssertSame(Numerics.F32ConvertI64U(unchecked((long)0x8000008000000001UL)), 9223373136366403584f);
        AssertSame(Numerics.F32ConvertI64U(unchecked((long)0x8000008000000000UL)), 9223372036854775808f);

        AssertSame(Numerics.F64ConvertI32S(int.MinValue), -2147483648.0);
        AssertSame(Numerics.F64ConvertI32U(-1), 4294967295.0);
        AssertSame(Numerics.F64ConvertI32U(int.MinValue), 2147483648.0);

        AssertSame(Numerics.F64ConvertI64S(long.MaxValue), 9223372036854775808.0);
        AssertSame(Numerics.F64ConvertI64S(long.MinValue), -9223372036854775808.0);
        AssertSame(Numerics.F64ConvertI64S(9007199254740993), 9007199254740992.0);
        AssertSame(Numerics.F64ConvertI64S(-9007199254740993), -9007199254740992.0);
        AssertSame(Numerics.F64ConvertI64S(9007199254740995), 9007199254740996.0);
        AssertSame(Numerics.F64ConvertI64S(4669201609102990), 4669201609102990.0);

        AssertSame(Numerics.F64ConvertI64U(-1), 1.8446744073709552E+19);
        AssertSame(Numerics.F64ConvertI64U(long.MinValue), 9223372036854775808.0);
        AssertSame(Numerics.F64ConvertI64U(long.MaxValue), 9223372036854775808.0);
        AssertSame(Numerics.F64ConvertI64U(unchecked((long)0x8000000000000400UL)), 9223372036854775808.0);
        AssertSame(Numerics.F64ConvertI64U(unchecked((long)0x8000000000000401UL)), 9223372036854777856.0);
        AssertSame(Numerics.F64ConvertI64U(unchecked((long)0x8000000000000402UL)), 9223372036854777856.0);
        AssertSame(Numerics.F64ConvertI64U(unchecked((long)0xfffffffffffff400UL)), 18446744073709547520.0);
        AssertSame(Numerics.F64ConvertI64U(unchecked((long)0xfffffffffffff401UL)), 18446744073709549568.0);
        AssertSame(Numerics.F64ConvertI64U(9007199254740993), 9007199254740992.0);
        AssertSame(Numerics.F64ConvertI64U(9007199254740995), 9007199254740996.0);
    }

    [Test]
    public void IntToFloatIsCorrectlyRoundedAcrossMagnitudes()
    {
        foreach (var value in InterestingIntegers())
        {
            var magnitude = value < 0 ? (ulong)-value : (ulong)value;
            Check(value, Numerics.F32ConvertI64S(value), (float)Reference(magnitude, value < 0, 24));
            Check(value, Numerics.F32ConvertI64U(value), (float)Reference((ulong)value, false, 24));
            Check(value, Numerics.F64ConvertI64S(value), Reference(magnitude, value < 0, 53));
            Check(value, Numerics.F64ConvertI64U(value), Reference((ulong)value, false, 53));
            var low = (int)value;
            Check(low, Numerics.F32ConvertI32S(low), (float)Reference(low < 0 ? (ulong)-(long)low : (ulong)low, low < 0, 24));
            Check(low, Numerics.F32ConvertI32U(low), (float)Reference((uint)low, false, 24));
            Check(low, Numerics.F64ConvertI32U(low), Reference((uint)low, false, 53));
        }

        static void Check<T>(long input, T actual, T expected) where T : IEquatable<T>
        {
            if (!actual.Equals(expected)) Assert.Fail($"0x{input:x16}: expected {expected:R}, got {actual:R}");
        }
    }

    /// <summary>Rounds a magnitude to the given number of significant bits, ties to even, by integer arithmetic.</summary>
    private static double Reference(ulong magnitude, bool negative, int precision)
    {
        var kept = magnitude;
        var shift = 0;
        var bitLength = 64 - BitOperations.LeadingZeroCount(magnitude);
        if (bitLength > precision)
        {
            shift = bitLength - precision;
            kept = magnitude >> shift;
            var dropped = magnitude - (kept << shift);
            var half = 1UL << (shift - 1);
            if (dropped > half || (dropped == half && (kept & 1) == 1)) kept++;
        }
        var result = Math.ScaleB((long)kept, shift); // kept <= 2^precision converts exactly
        return negative ? -result : result;
    }

    /// <summary>Random values of every bit length, plus values at, just above and just below rounding midpoints.</summary>
    private static IEnumerable<long> InterestingIntegers()
    {
        var random = new Random(20240611);
        for (var i = 0; i < 4000; i++)
        {
            var bitLength = 1 + (i % 64);
            var value = (ulong)random.NextInt64() << 1 ^ (ulong)random.Next(2);
            value = bitLength == 64 ? value | 1UL << 63 : (value & ((1UL << bitLength) - 1)) | 1UL << (bitLength - 1);
            yield return (long)value;
            yield return -(long)value;
            foreach (var precision in new[] { 24, 53 })
            {
                if (bitLength <= precision + 1) continue;
                var half = 1UL << (bitLength - precision - 1);
                var midpoint = (value & ~(2 * half - 1)) | half;
                yield return (long)midpoint;
                yield return (long)(midpoint + 1);
                yield return (long)(midpoint - 1);
                yield return -(long)(midpoint + 1);
                yield return -(long)midpoint;
                yield return (long)(midpoint | 1UL << (bitLength - precision)); // odd kept bits: ties round up
            }
        }
    }

    [Test]
    public void DemoteAndPromote()
    {
        AssertSame(Numerics.F32DemoteF64(1e300), float.PositiveInfinity);
        AssertSame(Numerics.F32DemoteF64(-1e300), float.NegativeInfinity);
        AssertSame(Numerics.F32DemoteF64(-0.0), -0f);
        AssertSame(Numerics.F32DemoteF64(1e-300), 0f);
        AssertSame(Numerics.F32DemoteF64(-1e-300), -0f);
        AssertSame(Numerics.F32DemoteF64(16777217.0), 16777216f);
        AssertSame(Numerics.F32DemoteF64(16777219.0), 16777220f);
        AssertSame(Numerics.F32DemoteF64(3.4028235677973362e+38), float.MaxValue); // 0x1.fffffefffffffp+127
        AssertSame(Numerics.F32DemoteF64(3.4028235677973366e+38), float.PositiveInfinity); // 0x1.ffffffp+127, a tie
        AssertSame(Numerics.F32DemoteF64(1.401298464324817e-45), float.Epsilon);
        AssertSame(Numerics.F32DemoteF64(7.006492321624085e-46), 0f); // half the smallest subnormal ties to even zero
        AssertQuietNaN(Numerics.F32DemoteF64(F64(F64SignallingNaN)));
        AssertQuietNaN(Numerics.F32DemoteF64(F64(0xfff0000000000001)));
        Assert.That(Bits(Numerics.F32DemoteF64(double.NaN)) & 0x7fffffffu, Is.EqualTo(0x7fc00000u));

        AssertSame(Numerics.F64PromoteF32(float.MaxValue), 3.4028234663852886e+38);
        AssertSame(Numerics.F64PromoteF32(float.Epsilon), 1.401298464324817e-45);
        AssertSame(Numerics.F64PromoteF32(-0f), -0.0);
        AssertQuietNaN(Numerics.F64PromoteF32(F32(F32SignallingNaN)));
        Assert.That(Bits(Numerics.F64PromoteF32(F32(0x7fc00000))) & 0x7fffffffffffffffUL, Is.EqualTo(0x7ff8000000000000UL));
    }
}
