using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using WasmKit.Runtime;

namespace WasmKit.Tests.Runtime;

public class NumericsFloatTests
{
    internal const uint F32SignallingNaN = 0x7fa00000;
    internal const ulong F64SignallingNaN = 0x7ff4000000000000;
    private const uint F32QuietBit = 0x00400000;
    private const ulong F64QuietBit = 0x0008000000000000;

    // Not inlined: the optimizing JIT folds a constant signalling-NaN float into a quiet one (see F32FromBitsOpaque).
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static float F32(uint bits) => BitConverter.UInt32BitsToSingle(bits);

    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static double F64(ulong bits) => BitConverter.UInt64BitsToDouble(bits);
    internal static uint Bits(float value) => BitConverter.SingleToUInt32Bits(value);
    internal static ulong Bits(double value) => BitConverter.DoubleToUInt64Bits(value);

    /// <summary>Compares bit patterns, so -0.0 and +0.0 differ.</summary>
    internal static void AssertSame(float actual, float expected) =>
        Assert.That(Bits(actual), Is.EqualTo(Bits(expected)), $"expected {expected:R} (0x{Bits(expected):x8}), got {actual:R} (0x{Bits(actual):x8})");

    internal static void AssertSame(double actual, double expected) =>
        Assert.That(Bits(actual), Is.EqualTo(Bits(expected)), $"expected {expected:R} (0x{Bits(expected):x16}), got {actual:R} (0x{Bits(actual):x16})");

    internal static void AssertQuietNaN(float value)
    {
        Assert.That(float.IsNaN(value), Is.True, $"{value:R} is not NaN");
        Assert.That(Bits(value) & F32QuietBit, Is.Not.Zero, $"0x{Bits(value):x8} is a signalling NaN");
    }

    internal static void AssertQuietNaN(double value)
    {
        Assert.That(double.IsNaN(value), Is.True, $"{value:R} is not NaN");
        Assert.That(Bits(value) & F64QuietBit, Is.Not.Zero, $"0x{Bits(value):x16} is a signalling NaN");
    }

    [Test]
    public void AbsNegAndCopysignKeepNaNPayloads()
    {
        var signalling = F32(F32SignallingNaN);
        Assert.That(Bits(Numerics.F32Abs(signalling)), Is.EqualTo(0x7fa00000u));
        Assert.That(Bits(Numerics.F32Abs(F32(0xffa00000))), Is.EqualTo(0x7fa00000u));
        Assert.That(Bits(Numerics.F32Neg(signalling)), Is.EqualTo(0xffa00000u));
        Assert.That(Bits(Numerics.F32Neg(F32(0xffa00000))), Is.EqualTo(0x7fa00000u));
        Assert.That(Bits(Numerics.F32Copysign(signalling, -1f)), Is.EqualTo(0xffa00000u));
        Assert.That(Bits(Numerics.F32Copysign(F32(0xffc00001), F32(0x7fc00000))), Is.EqualTo(0x7fc00001u));
        Assert.That(Bits(Numerics.F32Copysign(1f, F32(0xffa00000))), Is.EqualTo(Bits(-1f)));

        var signalling64 = F64(F64SignallingNaN);
        Assert.That(Bits(Numerics.F64Abs(signalling64)), Is.EqualTo(F64SignallingNaN));
        Assert.That(Bits(Numerics.F64Abs(F64(0xfff4000000000000))), Is.EqualTo(F64SignallingNaN));
        Assert.That(Bits(Numerics.F64Neg(signalling64)), Is.EqualTo(0xfff4000000000000UL));
        Assert.That(Bits(Numerics.F64Copysign(signalling64, -0.0)), Is.EqualTo(0xfff4000000000000UL));
        Assert.That(Bits(Numerics.F64Copysign(F64(0xfff8000000000001), 0.0)), Is.EqualTo(0x7ff8000000000001UL));
    }

    [Test]
    public void AbsNegAndCopysignHandleZerosAndInfinities()
    {
        AssertSame(Numerics.F32Abs(-0f), 0f);
        AssertSame(Numerics.F32Neg(0f), -0f);
        AssertSame(Numerics.F32Neg(float.NegativeInfinity), float.PositiveInfinity);
        AssertSame(Numerics.F32Copysign(2f, -0f), -2f);
        AssertSame(Numerics.F32Copysign(-2f, 0f), 2f);
        AssertSame(Numerics.F32Copysign(0f, -3f), -0f);

        AssertSame(Numerics.F64Abs(-0.0), 0.0);
        AssertSame(Numerics.F64Abs(double.NegativeInfinity), double.PositiveInfinity);
        AssertSame(Numerics.F64Neg(0.0), -0.0);
        AssertSame(Numerics.F64Copysign(2.0, -0.0), -2.0);
        AssertSame(Numerics.F64Copysign(double.NegativeInfinity, 1.0), double.PositiveInfinity);
    }

    [Test]
    public void RoundingKeepsTheSignOfZero()
    {
        AssertSame(Numerics.F32Ceil(-0.5f), -0f);
        AssertSame(Numerics.F32Ceil(0.5f), 1f);
        AssertSame(Numerics.F32Ceil(-0f), -0f);
        AssertSame(Numerics.F32Floor(0.5f), 0f);
        AssertSame(Numerics.F32Floor(-0.5f), -1f);
        AssertSame(Numerics.F32Floor(-0f), -0f);
        AssertSame(Numerics.F32Trunc(-0.5f), -0f);
        AssertSame(Numerics.F32Trunc(-1.5f), -1f);
        AssertSame(Numerics.F32Trunc(8388607.5f), 8388607f);
        AssertSame(Numerics.F32Ceil(float.NegativeInfinity), float.NegativeInfinity);
        AssertSame(Numerics.F32Floor(float.Epsilon), 0f);

        AssertSame(Numerics.F64Ceil(-0.5), -0.0);
        AssertSame(Numerics.F64Ceil(4503599627370495.5), 4503599627370496.0);
        AssertSame(Numerics.F64Floor(-0.5), -1.0);
        AssertSame(Numerics.F64Floor(-double.Epsilon), -1.0);
        AssertSame(Numerics.F64Floor(-0.0), -0.0);
        AssertSame(Numerics.F64Trunc(-0.9), -0.0);
        AssertSame(Numerics.F64Trunc(double.PositiveInfinity), double.PositiveInfinity);
    }

    [Test]
    public void NearestRoundsHalfToEven()
    {
        AssertSame(Numerics.F32Nearest(0.5f), 0f);
        AssertSame(Numerics.F32Nearest(1.5f), 2f);
        AssertSame(Numerics.F32Nearest(2.5f), 2f);
        AssertSame(Numerics.F32Nearest(3.5f), 4f);
        AssertSame(Numerics.F32Nearest(-0.5f), -0f);
        AssertSame(Numerics.F32Nearest(-1.5f), -2f);
        AssertSame(Numerics.F32Nearest(-2.5f), -2f);
        AssertSame(Numerics.F32Nearest(0.49999997f), 0f);
        AssertSame(Numerics.F32Nearest(-0f), -0f);
        AssertSame(Numerics.F32Nearest(4194303.5f), 4194304f);
        AssertSame(Numerics.F32Nearest(8388609f), 8388609f);
        AssertSame(Numerics.F32Nearest(float.NegativeInfinity), float.NegativeInfinity);

        AssertSame(Numerics.F64Nearest(0.5), 0.0);
        AssertSame(Numerics.F64Nearest(1.5), 2.0);
        AssertSame(Numerics.F64Nearest(2.5), 2.0);
        AssertSame(Numerics.F64Nearest(-0.5), -0.0);
        AssertSame(Numerics.F64Nearest(-2.5), -2.0);
        AssertSame(Numerics.F64Nearest(0.49999999999999994), 0.0);
        AssertSame(Numerics.F64Nearest(2251799813685247.5), 2251799813685248.0);
        AssertSame(Numerics.F64Nearest(4503599627370497.0), 4503599627370497.0);
    }

    [Test]
    public void RoundingAndSqrtQuietNaNs()
    {
        foreach (var nan in new[] { F32(F32SignallingNaN), F32(0xffa00000), float.NaN, F32(0x7fc00001) })
        {
            AssertQuietNaN(Numerics.F32Ceil(nan));
            AssertQuietNaN(Numerics.F32Floor(nan));
            AssertQuietNaN(Numerics.F32Trunc(nan));
            AssertQuietNaN(Numerics.F32Nearest(nan));
            AssertQuietNaN(Numerics.F32Sqrt(nan));
        }
        foreach (var nan in new[] { F64(F64SignallingNaN), F64(0xfff4000000000000), double.NaN, F64(0x7ff8000000000001) })
        {
            AssertQuietNaN(Numerics.F64Ceil(nan));
            AssertQuietNaN(Numerics.F64Floor(nan));
            AssertQuietNaN(Numerics.F64Trunc(nan));
            AssertQuietNaN(Numerics.F64Nearest(nan));
            AssertQuietNaN(Numerics.F64Sqrt(nan));
        }
    }

    [Test]
    public void CanonicalNaNOperandsGiveCanonicalNaNs()
    {
        // The spec expects nan:canonical (either sign) when every NaN operand is canonical.
        var canonical32 = F32(0x7fc00000);
        foreach (var result in new[]
        {
            Numerics.F32Ceil(canonical32), Numerics.F32Floor(canonical32), Numerics.F32Trunc(canonical32),
            Numerics.F32Nearest(canonical32), Numerics.F32Sqrt(canonical32), Numerics.F32Sqrt(-1f),
            Numerics.F32Min(canonical32, 1f), Numerics.F32Min(1f, canonical32), Numerics.F32Max(-0f, F32(0xffc00000)),
        })
        {
            Assert.That(Bits(result) & 0x7fffffffu, Is.EqualTo(0x7fc00000u));
        }
        var canonical64 = F64(0x7ff8000000000000);
        foreach (var result in new[]
        {
            Numerics.F64Ceil(canonical64), Numerics.F64Floor(canonical64), Numerics.F64Trunc(canonical64),
            Numerics.F64Nearest(canonical64), Numerics.F64Sqrt(canonical64), Numerics.F64Sqrt(-1.0),
            Numerics.F64Min(canonical64, 1.0), Numerics.F64Max(1.0, F64(0xfff8000000000000)),
        })
        {
            Assert.That(Bits(result) & 0x7fffffffffffffffUL, Is.EqualTo(0x7ff8000000000000UL));
        }
    }

    [Test]
    public void Sqrt()
    {
        AssertSame(Numerics.F32Sqrt(4f), 2f);
        AssertSame(Numerics.F32Sqrt(-0f), -0f);
        AssertSame(Numerics.F32Sqrt(float.PositiveInfinity), float.PositiveInfinity);
        AssertQuietNaN(Numerics.F32Sqrt(-1f));
        AssertQuietNaN(Numerics.F32Sqrt(float.NegativeInfinity));
        AssertSame(Numerics.F64Sqrt(2.0), 1.4142135623730951);
        AssertSame(Numerics.F64Sqrt(-0.0), -0.0);
        AssertQuietNaN(Numerics.F64Sqrt(-double.Epsilon));
    }

    [Test]
    public void MinAndMaxOrderSignedZeros()
    {
        AssertSame(Numerics.F32Min(-0f, 0f), -0f);
        AssertSame(Numerics.F32Min(0f, -0f), -0f);
        AssertSame(Numerics.F32Min(0f, 0f), 0f);
        AssertSame(Numerics.F32Max(-0f, 0f), 0f);
        AssertSame(Numerics.F32Max(0f, -0f), 0f);
        AssertSame(Numerics.F32Max(-0f, -0f), -0f);
        AssertSame(Numerics.F32Min(1f, 2f), 1f);
        AssertSame(Numerics.F32Min(2f, 1f), 1f);
        AssertSame(Numerics.F32Max(1f, 2f), 2f);
        AssertSame(Numerics.F32Max(float.NegativeInfinity, -3f), -3f);
        AssertSame(Numerics.F32Min(float.NegativeInfinity, float.NegativeInfinity), float.NegativeInfinity);
        AssertSame(Numerics.F32Max(5f, 5f), 5f);

        AssertSame(Numerics.F64Min(-0.0, 0.0), -0.0);
        AssertSame(Numerics.F64Min(0.0, -0.0), -0.0);
        AssertSame(Numerics.F64Max(-0.0, 0.0), 0.0);
        AssertSame(Numerics.F64Max(0.0, -0.0), 0.0);
        AssertSame(Numerics.F64Min(-1.0, 1.0), -1.0);
        AssertSame(Numerics.F64Max(-1.0, 1.0), 1.0);
        AssertSame(Numerics.F64Max(double.PositiveInfinity, double.MaxValue), double.PositiveInfinity);
    }

    [Test]
    public void MinAndMaxReturnQuietNaNForAnyNaNOperand()
    {
        foreach (var nan in new[] { F32(F32SignallingNaN), F32(0xffa00000), float.NaN, F32(0x7fc00001) })
        {
            foreach (var other in new[] { 1f, -0f, float.PositiveInfinity, float.NegativeInfinity, nan })
            {
                AssertQuietNaN(Numerics.F32Min(nan, other));
                AssertQuietNaN(Numerics.F32Min(other, nan));
                AssertQuietNaN(Numerics.F32Max(nan, other));
                AssertQuietNaN(Numerics.F32Max(other, nan));
            }
        }
        foreach (var nan in new[] { F64(F64SignallingNaN), F64(0xfff4000000000000), double.NaN })
        {
            foreach (var other in new[] { 1.0, -0.0, double.PositiveInfinity, double.NegativeInfinity, nan })
            {
                AssertQuietNaN(Numerics.F64Min(nan, other));
                AssertQuietNaN(Numerics.F64Min(other, nan));
                AssertQuietNaN(Numerics.F64Max(nan, other));
                AssertQuietNaN(Numerics.F64Max(other, nan));
            }
        }
    }

    [Test]
    public void SignallingNaNConstantsSurviveCompiledCodeThroughTheOpaqueLoad()
    {
        Assert.That(Numerics.IsF32SignallingNaNBits(0x7fa00000), Is.True);
        Assert.That(Numerics.IsF32SignallingNaNBits(unchecked((int)0xff800001)), Is.True);
        Assert.That(Numerics.IsF32SignallingNaNBits(0x7fc00000), Is.False);
        Assert.That(Numerics.IsF32SignallingNaNBits(0x7f800000), Is.False); // infinity
        Assert.That(Numerics.IsF32SignallingNaNBits(0x3f800000), Is.False);

        // The shape the IL compiler emits for (i32.reinterpret_f32 (f32.abs (f32.const nan:0x200000))).
        var method = new DynamicMethod("OpaqueSignallingNaN", typeof(int), Type.EmptyTypes, typeof(Numerics).Module, skipVisibility: true);
        var il = method.GetILGenerator();
        il.Emit(OpCodes.Ldc_I4, 0x7fa00000);
        il.Emit(OpCodes.Call, typeof(Numerics).GetMethod(nameof(Numerics.F32FromBitsOpaque))!);
        il.Emit(OpCodes.Call, typeof(Numerics).GetMethod(nameof(Numerics.F32Neg))!);
        il.Emit(OpCodes.Call, typeof(Numerics).GetMethod(nameof(Numerics.F32Abs))!);
        il.Emit(OpCodes.Call, typeof(BitConverter).GetMethod(nameof(BitConverter.SingleToInt32Bits))!);
        il.Emit(OpCodes.Ret);
        var run = method.CreateDelegate<Func<int>>();
        Assert.That(run(), Is.EqualTo(0x7fa00000));
    }
}
