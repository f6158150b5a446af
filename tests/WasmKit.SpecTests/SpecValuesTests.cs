using System.Text.Json;

namespace WasmKit.SpecTests;

/// <summary>The harness's own value rules: argument boxing and result matching, NaNs by bits.</summary>
public sealed class SpecValuesTests
{
    [TestCase("i32", "4294967295", -1)]
    [TestCase("i32", "2147483648", int.MinValue)]
    public void I32ArgumentsAreTheUnsignedBits(string type, string text, int expected) =>
        Assert.That(SpecValues.ToArgument(Value(type, text)), Is.EqualTo(expected));

    [Test]
    public void I64ArgumentsAreTheUnsignedBits() =>
        Assert.That(SpecValues.ToArgument(Value("i64", "18446744073709551615")), Is.EqualTo(-1L));

    [Test]
    public void FloatArgumentsKeepTheirBits()
    {
        var f32 = (float)SpecValues.ToArgument(Value("f32", "2141192192"))!; // a signalling NaN payload
        Assert.That(BitConverter.SingleToInt32Bits(f32), Is.EqualTo(2141192192));
        var f64 = (double)SpecValues.ToArgument(Value("f64", "9221120237041090560"))!;
        Assert.That(BitConverter.DoubleToInt64Bits(f64), Is.EqualTo(9221120237041090560L));
    }

    [Test]
    public void ReferencesBecomeNullOrHostObjects()
    {
        Assert.That(SpecValues.ToArgument(Value("externref", "null")), Is.Null);
        Assert.That(SpecValues.ToArgument(Value("externref", "7")), Is.EqualTo(new ExternRef(7)));
        Assert.That(SpecValues.ToArgument(Value("funcref", "null")), Is.Null);
    }

    [Test]
    public void FloatsCompareByBits()
    {
        Assert.That(SpecValues.Mismatch(Value("f32", "2147483648"), -0.0f), Is.Null);
        Assert.That(SpecValues.Mismatch(Value("f32", "0"), -0.0f), Is.Not.Null);
        Assert.That(SpecValues.Mismatch(Value("f64", "0"), 0.0), Is.Null);
        Assert.That(SpecValues.Mismatch(Value("f64", "9223372036854775808"), 0.0), Is.Not.Null);
    }

    [Test]
    public void CanonicalNanAcceptsEitherSignButNoPayload()
    {
        Assert.That(SpecValues.Mismatch(Value("f32", "nan:canonical"), F32(0x7fc00000)), Is.Null);
        Assert.That(SpecValues.Mismatch(Value("f32", "nan:canonical"), F32(unchecked((int)0xffc00000))), Is.Null);
        Assert.That(SpecValues.Mismatch(Value("f32", "nan:canonical"), F32(0x7fc00001)), Is.Not.Null);
        Assert.That(SpecValues.Mismatch(Value("f64", "nan:canonical"), F64(0x7ff8000000000000)), Is.Null);
        Assert.That(SpecValues.Mismatch(Value("f64", "nan:canonical"), F64(0x7ff8000000000001)), Is.Not.Null);
    }

    [Test]
    public void ArithmeticNanNeedsTheQuietBit()
    {
        Assert.That(SpecValues.Mismatch(Value("f32", "nan:arithmetic"), F32(0x7fc00001)), Is.Null);
        Assert.That(SpecValues.Mismatch(Value("f32", "nan:arithmetic"), F32(0x7fa00000)), Is.Not.Null);
        Assert.That(SpecValues.Mismatch(Value("f32", "nan:arithmetic"), 1.0f), Is.Not.Null);
        Assert.That(SpecValues.Mismatch(Value("f64", "nan:arithmetic"), F64(unchecked((long)0xfff8000000000123))), Is.Null);
        Assert.That(SpecValues.Mismatch(Value("f64", "nan:arithmetic"), F64(0x7ff4000000000000)), Is.Not.Null);
    }

    [Test]
    public void ResultsMustHaveTheEngineBoxedType()
    {
        Assert.That(SpecValues.Mismatch(Value("i32", "4294967295"), -1), Is.Null);
        Assert.That(SpecValues.Mismatch(Value("i32", "1"), 1L), Is.Not.Null);
        Assert.That(SpecValues.Mismatch(Value("i64", "1"), 1L), Is.Null);
        Assert.That(SpecValues.Mismatch(Value("externref", "3"), new ExternRef(3)), Is.Null);
        Assert.That(SpecValues.Mismatch(Value("externref", "3"), new ExternRef(4)), Is.Not.Null);
        Assert.That(SpecValues.Mismatch(Value("externref", "null"), null), Is.Null);
        Assert.That(SpecValues.Mismatch(Value("funcref", "null"), new ExternRef(1)), Is.Not.Null);
    }

    [Test]
    public void V128IsUnsupported() =>
        Assert.That(() => SpecValues.ToArgument(new WastValue("v128", JsonDocument.Parse("[\"0\",\"0\"]").RootElement)),
            Throws.TypeOf<UnsupportedCommandException>());

    // Not inlined: the JIT may fold a constant signalling NaN into a quiet one.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static float F32(int bits) => BitConverter.Int32BitsToSingle(bits);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static double F64(long bits) => BitConverter.Int64BitsToDouble(bits);

    private static WastValue Value(string type, string text) => new(type, JsonDocument.Parse(JsonSerializer.Serialize(text)).RootElement);
}
