using WasmKit.Runtime;

namespace WasmKit.Tests.Runtime;

public class NumericsIntegerTests
{
    internal static void AssertTraps(TrapCode code, TestDelegate action)
    {
        var trap = Assert.Throws<WasmTrapException>(action);
        Assert.That(trap!.Code, Is.EqualTo(code));
    }

    [Test]
    public void I32DivSignedTruncatesTowardZeroAndTraps()
    {
        Assert.That(Numerics.I32DivS(7, 2), Is.EqualTo(3));
        Assert.That(Numerics.I32DivS(-7, 2), Is.EqualTo(-3));
        Assert.That(Numerics.I32DivS(7, -2), Is.EqualTo(-3));
        Assert.That(Numerics.I32DivS(int.MinValue, 1), Is.EqualTo(int.MinValue));
        Assert.That(Numerics.I32DivS(int.MinValue, 2), Is.EqualTo(-0x40000000));
        Assert.That(Numerics.I32DivS(int.MaxValue, -1), Is.EqualTo(-int.MaxValue));
        AssertTraps(TrapCode.IntegerOverflow, () => Numerics.I32DivS(int.MinValue, -1));
        AssertTraps(TrapCode.IntegerDivideByZero, () => Numerics.I32DivS(1, 0));
        AssertTraps(TrapCode.IntegerDivideByZero, () => Numerics.I32DivS(int.MinValue, 0));
    }

    [Test]
    public void I32DivUnsignedReinterpretsOperands()
    {
        Assert.That(Numerics.I32DivU(-1, 2), Is.EqualTo(0x7FFFFFFF));
        Assert.That(Numerics.I32DivU(int.MinValue, -1), Is.EqualTo(0));
        Assert.That(Numerics.I32DivU(int.MinValue, 2), Is.EqualTo(0x40000000));
        Assert.That(Numerics.I32DivU(-5, -5), Is.EqualTo(1));
        AssertTraps(TrapCode.IntegerDivideByZero, () => Numerics.I32DivU(1, 0));
    }

    [Test]
    public void I32RemSignedTakesDividendSignAndNeverOverflows()
    {
        Assert.That(Numerics.I32RemS(int.MinValue, -1), Is.EqualTo(0));
        Assert.That(Numerics.I32RemS(int.MaxValue, -1), Is.EqualTo(0));
        Assert.That(Numerics.I32RemS(-7, 2), Is.EqualTo(-1));
        Assert.That(Numerics.I32RemS(7, -2), Is.EqualTo(1));
        Assert.That(Numerics.I32RemS(int.MinValue, 2), Is.EqualTo(0));
        Assert.That(Numerics.I32RemS(int.MinValue, 3), Is.EqualTo(-2));
        AssertTraps(TrapCode.IntegerDivideByZero, () => Numerics.I32RemS(1, 0));
        AssertTraps(TrapCode.IntegerDivideByZero, () => Numerics.I32RemS(int.MinValue, 0));
    }

    [Test]
    public void I32RemUnsignedReinterpretsOperands()
    {
        Assert.That(Numerics.I32RemU(-2, 3), Is.EqualTo(2)); // 4294967294 % 3
        Assert.That(Numerics.I32RemU(int.MinValue, -1), Is.EqualTo(int.MinValue));
        Assert.That(Numerics.I32RemU(5, -1), Is.EqualTo(5));
        AssertTraps(TrapCode.IntegerDivideByZero, () => Numerics.I32RemU(1, 0));
    }

    [Test]
    public void I64DivisionAndRemainder()
    {
        Assert.That(Numerics.I64DivS(-7, 2), Is.EqualTo(-3L));
        Assert.That(Numerics.I64DivS(long.MinValue, 2), Is.EqualTo(long.MinValue / 2));
        Assert.That(Numerics.I64DivS(long.MaxValue, -1), Is.EqualTo(-long.MaxValue));
        AssertTraps(TrapCode.IntegerOverflow, () => Numerics.I64DivS(long.MinValue, -1));
        AssertTraps(TrapCode.IntegerDivideByZero, () => Numerics.I64DivS(1, 0));

        Assert.That(Numerics.I64DivU(-1, 2), Is.EqualTo(long.MaxValue));
        Assert.That(Numerics.I64DivU(long.MinValue, -1), Is.EqualTo(0L));
        AssertTraps(TrapCode.IntegerDivideByZero, () => Numerics.I64DivU(1, 0));

        Assert.That(Numerics.I64RemS(long.MinValue, -1), Is.EqualTo(0L));
        Assert.That(Numerics.I64RemS(-7, 2), Is.EqualTo(-1L));
        Assert.That(Numerics.I64RemS(7, -2), Is.EqualTo(1L));
        AssertTraps(TrapCode.IntegerDivideByZero, () => Numerics.I64RemS(long.MinValue, 0));

        Assert.That(Numerics.I64RemU(-2, 3), Is.EqualTo(2L)); // 18446744073709551614 % 3
        Assert.That(Numerics.I64RemU(-1, 10), Is.EqualTo(5L));
        Assert.That(Numerics.I64RemU(long.MinValue, -1), Is.EqualTo(long.MinValue));
        AssertTraps(TrapCode.IntegerDivideByZero, () => Numerics.I64RemU(1, 0));
    }

    [Test]
    public void RotationsUseTheCountModuloTheWidth()
    {
        Assert.That(Numerics.I32Rotl(unchecked((int)0xfe00dc00), 4), Is.EqualTo(unchecked((int)0xe00dc00f)));
        Assert.That(Numerics.I32Rotl(unchecked((int)0xfe00dc00), 36), Is.EqualTo(unchecked((int)0xe00dc00f)));
        Assert.That(Numerics.I32Rotl(1, -1), Is.EqualTo(int.MinValue));
        Assert.That(Numerics.I32Rotr(unchecked((int)0xb0c1d2e3), 5), Is.EqualTo(0x1d860e97));
        Assert.That(Numerics.I32Rotr(1, 32), Is.EqualTo(1));
        Assert.That(Numerics.I32Rotr(1, -1), Is.EqualTo(2));

        Assert.That(Numerics.I64Rotl(unchecked((long)0xabcd987602468aceUL), 1), Is.EqualTo(0x579b30ec048d159dL));
        Assert.That(Numerics.I64Rotl(unchecked((long)0xabcd987602468aceUL), 65), Is.EqualTo(0x579b30ec048d159dL));
        Assert.That(Numerics.I64Rotl(1, 0x1_0000_003FL), Is.EqualTo(long.MinValue));
        Assert.That(Numerics.I64Rotr(unchecked((long)0xabcd987602468aceUL), 1), Is.EqualTo(0x55e6cc3b01234567L));
        Assert.That(Numerics.I64Rotr(1, -1), Is.EqualTo(2L));
    }

    [Test]
    public void ShiftsMaskTheCount()
    {
        Assert.That(Numerics.I32Shl(1, 31), Is.EqualTo(int.MinValue));
        Assert.That(Numerics.I32Shl(1, 32), Is.EqualTo(1));
        Assert.That(Numerics.I32Shl(1, 33), Is.EqualTo(2));
        Assert.That(Numerics.I32Shl(1, -1), Is.EqualTo(int.MinValue));
        Assert.That(Numerics.I32ShrS(int.MinValue, 31), Is.EqualTo(-1));
        Assert.That(Numerics.I32ShrS(int.MinValue, 32), Is.EqualTo(int.MinValue));
        Assert.That(Numerics.I32ShrU(int.MinValue, 31), Is.EqualTo(1));
        Assert.That(Numerics.I32ShrU(-1, 33), Is.EqualTo(0x7FFFFFFF));

        Assert.That(Numerics.I64Shl(1, 63), Is.EqualTo(long.MinValue));
        Assert.That(Numerics.I64Shl(1, 64), Is.EqualTo(1L));
        Assert.That(Numerics.I64Shl(1, 0x1_0000_0001L), Is.EqualTo(2L));
        Assert.That(Numerics.I64ShrS(long.MinValue, 63), Is.EqualTo(-1L));
        Assert.That(Numerics.I64ShrS(long.MinValue, 64), Is.EqualTo(long.MinValue));
        Assert.That(Numerics.I64ShrU(long.MinValue, 63), Is.EqualTo(1L));
        Assert.That(Numerics.I64ShrU(-1, -1), Is.EqualTo(1L));
        Assert.That(Numerics.I64ShrU(-1, 65), Is.EqualTo(long.MaxValue));
    }

    [Test]
    public void BitCountsOfZeroAreTheWidth()
    {
        Assert.That(Numerics.I32Clz(0), Is.EqualTo(32));
        Assert.That(Numerics.I32Clz(1), Is.EqualTo(31));
        Assert.That(Numerics.I32Clz(int.MinValue), Is.EqualTo(0));
        Assert.That(Numerics.I32Ctz(0), Is.EqualTo(32));
        Assert.That(Numerics.I32Ctz(int.MinValue), Is.EqualTo(31));
        Assert.That(Numerics.I32Ctz(1), Is.EqualTo(0));
        Assert.That(Numerics.I32Popcnt(0), Is.EqualTo(0));
        Assert.That(Numerics.I32Popcnt(-1), Is.EqualTo(32));
        Assert.That(Numerics.I32Popcnt(unchecked((int)0xAAAAAAAA)), Is.EqualTo(16));

        Assert.That(Numerics.I64Clz(0), Is.EqualTo(64L));
        Assert.That(Numerics.I64Clz(1), Is.EqualTo(63L));
        Assert.That(Numerics.I64Clz(long.MinValue), Is.EqualTo(0L));
        Assert.That(Numerics.I64Ctz(0), Is.EqualTo(64L));
        Assert.That(Numerics.I64Ctz(long.MinValue), Is.EqualTo(63L));
        Assert.That(Numerics.I64Popcnt(-1), Is.EqualTo(64L));
        Assert.That(Numerics.I64Popcnt(unchecked((long)0x8000_0000_0000_0001UL)), Is.EqualTo(2L));
    }

    [Test]
    public void SignExtensionUsesOnlyTheLowBits()
    {
        Assert.That(Numerics.I32Extend8S(0x7f), Is.EqualTo(127));
        Assert.That(Numerics.I32Extend8S(0x80), Is.EqualTo(-128));
        Assert.That(Numerics.I32Extend8S(0x12345680), Is.EqualTo(-128));
        Assert.That(Numerics.I32Extend8S(unchecked((int)0xFFFFFF00)), Is.EqualTo(0));
        Assert.That(Numerics.I32Extend16S(0x7fff), Is.EqualTo(32767));
        Assert.That(Numerics.I32Extend16S(0x8000), Is.EqualTo(-32768));
        Assert.That(Numerics.I32Extend16S(0x12348000), Is.EqualTo(-32768));

        Assert.That(Numerics.I64Extend8S(0x80), Is.EqualTo(-128L));
        Assert.That(Numerics.I64Extend8S(0x0123456789abcd7fL), Is.EqualTo(127L));
        Assert.That(Numerics.I64Extend16S(0x0123456789ab8000L), Is.EqualTo(-32768L));
        Assert.That(Numerics.I64Extend32S(0x80000000L), Is.EqualTo(-2147483648L));
        Assert.That(Numerics.I64Extend32S(0x1_7fffffffL), Is.EqualTo(0x7fffffffL));
        Assert.That(Numerics.I64Extend32S(-1L << 32), Is.EqualTo(0L));
    }
}
