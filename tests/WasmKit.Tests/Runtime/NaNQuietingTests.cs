using System.Text;
using WasmKit.Tests.Support;

namespace WasmKit.Tests.Runtime;

/// <summary>
/// Float results that the spec requires to be NaN-quieted, whatever shape the operands have. The JIT folds
/// <c>x * 1</c>, <c>x / 1</c>, <c>x - 0</c> and <c>x + -0</c> to <c>x</c> once it sees the constant, also when
/// the constant reaches the operation through a local, a block, a global or an inlined call.
/// </summary>
[TestFixture(CodeTiering.Tiered)]
[TestFixture(CodeTiering.Collectible)]
public class NaNQuietingTests(CodeTiering tiering)
{
    private const ulong F64Signalling = 0x7ff4000000000001;
    private const ulong F64NegativeSignalling = 0xfff0000000000005;
    private const ulong F64Canonical = 0x7ff8000000000000;
    private const ulong F64QuietBit = 1UL << 51;
    private const ulong F64PayloadMask = (1UL << 52) - 1;
    private const uint F32Signalling = 0x7fa00001;
    private const uint F32NegativeSignalling = 0xff800005;
    private const uint F32Canonical = 0x7fc00000;
    private const uint F32QuietBit = 1U << 22;
    private const uint F32PayloadMask = (1U << 23) - 1;

    private static readonly string[] BinaryOperators = ["add", "sub", "mul", "div", "min", "max"];
    private static readonly string[] UnaryOperators = ["sqrt", "ceil", "floor", "trunc", "nearest"];
    private static readonly string[] Shapes = ["literal", "local", "block", "global", "call", "param"];
    private static readonly string[] Widths = ["f32", "f64"];

    private Instance _instance = null!;

    [OneTimeSetUp]
    public void CompileTheModule() => _instance = Wat.Instantiate(BuildModule(), new Linker(new Engine(new EngineOptions { CodeTiering = tiering })));

    /// <summary>Binary operators whose other operand is the identity value for the operation (1 for mul/div, ±0 for add/sub).</summary>
    public static IEnumerable<TestCaseData> BinaryCases() =>
        from op in BinaryOperators
        from width in Widths
        from shape in Shapes
        from side in new[] { "left", "right" }
        select new TestCaseData(width, op, shape, side).SetName($"{width}.{op} with the NaN on the {side}, other operand from a {shape}");

    /// <summary>Unary operators and conversions whose signalling-NaN operand arrives in a given shape.</summary>
    public static IEnumerable<TestCaseData> UnaryCases() =>
        (from op in UnaryOperators
         from width in Widths
         from shape in Shapes
         select new TestCaseData(width, op, shape).SetName($"{width}.{op} of a NaN from a {shape}"))
        .Concat(from shape in Shapes
                select new TestCaseData("f64", "promote", shape).SetName($"f64.promote_f32 of a NaN from a {shape}"))
        .Concat(from shape in Shapes
                select new TestCaseData("f32", "demote", shape).SetName($"f32.demote_f64 of a NaN from a {shape}"));

    [TestCaseSource(nameof(BinaryCases))]
    public void BinaryResultIsAQuietNaN(string width, string op, string shape, string side)
    {
        string name = $"{width}_{op}_{shape}_{side}";
        if (width == "f64")
        {
            foreach (ulong nan in new[] { F64Signalling, F64NegativeSignalling })
                AssertArithmeticNaN64(_instance.GetFunction<long, long>(name)!((long)nan), name);
            AssertCanonicalNaN64(_instance.GetFunction<long, long>(name)!((long)F64Canonical), name);
        }
        else
        {
            foreach (uint nan in new[] { F32Signalling, F32NegativeSignalling })
                AssertArithmeticNaN32(_instance.GetFunction<int, int>(name)!((int)nan), name);
            AssertCanonicalNaN32(_instance.GetFunction<int, int>(name)!((int)F32Canonical), name);
        }
    }

    [TestCaseSource(nameof(UnaryCases))]
    public void UnaryResultIsAQuietNaN(string width, string op, string shape)
    {
        string name = $"{width}_{op}_{shape}";
        // promote takes f32 bits, demote f64 bits; the others take bits of their own width.
        bool takesF64 = op == "demote" || (width == "f64" && op != "promote");
        if (width == "f64")
        {
            var function = _instance.GetFunction<long, long>(name)!;
            long signalling = takesF64 ? (long)F64Signalling : F32Signalling;
            long canonical = takesF64 ? (long)F64Canonical : F32Canonical;
            AssertArithmeticNaN64(function(signalling), name);
            AssertCanonicalNaN64(function(canonical), name);
        }
        else
        {
            if (takesF64)
            {
                var demote = _instance.GetFunction<long, int>(name)!;
                AssertArithmeticNaN32(demote((long)F64Signalling), name);
                AssertCanonicalNaN32(demote((long)F64Canonical), name);
            }
            else
            {
                var function = _instance.GetFunction<int, int>(name)!;
                AssertArithmeticNaN32(function((int)F32Signalling), name);
                AssertCanonicalNaN32(function((int)F32Canonical), name);
            }
        }
    }

    /// <summary>The acceptance module of issue 10: the 1.0 comes out of a block.</summary>
    [Test]
    public void MultiplyByOneFromABlockQuietsTheNaN()
    {
        var instance = Wat.Instantiate("""
            (module
              (func (export "f") (param i64) (result i64)
                (i64.reinterpret_f64 (f64.mul (f64.reinterpret_i64 (local.get 0)) (block (result f64) (f64.const 1))))))
            """, new Linker(new Engine(new EngineOptions { CodeTiering = tiering })));
        long result = instance.GetFunction<long, long>("f")!(9219994337134247936);
        Assert.That(result, Is.EqualTo(9222246136947933184), $"0x{result:x16}");
    }

    private static void AssertArithmeticNaN64(long result, string function)
    {
        ulong bits = (ulong)result;
        Assert.That(double.IsNaN(BitConverter.UInt64BitsToDouble(bits)), Is.True, $"{function}: 0x{bits:x16} is not NaN");
        Assert.That(bits & F64QuietBit, Is.Not.Zero, $"{function}: 0x{bits:x16} is a signalling NaN");
    }

    private static void AssertCanonicalNaN64(long result, string function)
    {
        AssertArithmeticNaN64(result, function);
        Assert.That((ulong)result & F64PayloadMask, Is.EqualTo(F64QuietBit), $"{function}: 0x{(ulong)result:x16} is not canonical");
    }

    private static void AssertArithmeticNaN32(int result, string function)
    {
        uint bits = (uint)result;
        Assert.That(float.IsNaN(BitConverter.UInt32BitsToSingle(bits)), Is.True, $"{function}: 0x{bits:x8} is not NaN");
        Assert.That(bits & F32QuietBit, Is.Not.Zero, $"{function}: 0x{bits:x8} is a signalling NaN");
    }

    private static void AssertCanonicalNaN32(int result, string function)
    {
        AssertArithmeticNaN32(result, function);
        Assert.That((uint)result & F32PayloadMask, Is.EqualTo(F32QuietBit), $"{function}: 0x{(uint)result:x8} is not canonical");
    }

    private static string IntegerOf(string width) => width == "f64" ? "i64" : "i32";

    /// <summary>The constant that makes the operation the identity on its other operand.</summary>
    private static string IdentityFor(string op) => op switch
    {
        "add" => "-0",
        "sub" => "0",
        _ => "1",
    };

    /// <summary>An expression producing <paramref name="value"/> (of type <paramref name="width"/>) through <paramref name="shape"/>.</summary>
    private static string Through(string shape, string width, string value, string literal) => shape switch
    {
        "literal" => value,
        "local" => $"(local.set $t_{width} {value}) (local.get $t_{width})",
        "block" => $"(block (result {width}) {value})",
        // The global is set before being read so that mutable globals carry signalling NaNs too.
        "global" => $"(global.set $g_{width} {value}) (global.get $g_{width})",
        "call" => $"(call $id_{width} {value})",
        "param" => literal,
        _ => throw new ArgumentOutOfRangeException(nameof(shape)),
    };

    private static string BuildModule()
    {
        var text = new StringBuilder("(module\n");
        foreach (var width in Widths)
        {
            text.AppendLine($"  (global $g_{width} (mut {width}) ({width}.const 0))");
            text.AppendLine($"  (func $id_{width} (param {width}) (result {width}) (local.get 0))");
            foreach (var op in BinaryOperators)
            foreach (var shape in Shapes)
            foreach (var side in new[] { "left", "right" })
            {
                string integer = IntegerOf(width);
                string nan = $"({width}.reinterpret_{integer} (local.get $x))";
                string identity = $"({width}.const {IdentityFor(op)})";
                string name = $"{width}_{op}_{shape}_{side}";
                string body;
                if (shape == "param")
                {
                    // The identity value reaches the operation as a parameter of a callee the JIT may inline.
                    string inner = side == "left" ? "(local.get 0) (local.get 1)" : "(local.get 1) (local.get 0)";
                    text.AppendLine($"  (func ${name} (param {width} {width}) (result {width}) ({width}.{op} {inner}))");
                    body = $"(call ${name} {nan} {identity})";
                }
                else
                {
                    string other = Through(shape, width, identity, identity);
                    body = side == "left" ? $"({width}.{op} {nan} {other})" : $"({width}.{op} {other} {nan})";
                }
                text.AppendLine($"  (func (export \"{name}\") (param $x {integer}) (result {integer}) (local $t_{width} {width})");
                text.AppendLine($"    ({integer}.reinterpret_{width} {body}))");
            }
            foreach (var op in UnaryOperators)
            foreach (var shape in Shapes)
            {
                string integer = IntegerOf(width);
                string nan = $"({width}.reinterpret_{integer} (local.get $x))";
                string operand = Through(shape, width, nan, $"(call $id_{width} {nan})");
                text.AppendLine($"  (func (export \"{width}_{op}_{shape}\") (param $x {integer}) (result {integer}) (local $t_{width} {width})");
                text.AppendLine($"    ({integer}.reinterpret_{width} ({width}.{op} {operand})))");
            }
        }
        foreach (var shape in Shapes)
        {
            string promoteOperand = Through(shape, "f32", "(f32.reinterpret_i32 (i32.wrap_i64 (local.get $x)))",
                "(call $id_f32 (f32.reinterpret_i32 (i32.wrap_i64 (local.get $x))))");
            text.AppendLine($"  (func (export \"f64_promote_{shape}\") (param $x i64) (result i64) (local $t_f32 f32)");
            text.AppendLine($"    (i64.reinterpret_f64 (f64.promote_f32 {promoteOperand})))");
            string demoteOperand = Through(shape, "f64", "(f64.reinterpret_i64 (local.get $x))", "(call $id_f64 (f64.reinterpret_i64 (local.get $x)))");
            text.AppendLine($"  (func (export \"f32_demote_{shape}\") (param $x i64) (result i32) (local $t_f64 f64)");
            text.AppendLine($"    (i32.reinterpret_f32 (f32.demote_f64 {demoteOperand})))");
        }
        text.AppendLine(")");
        return text.ToString();
    }
}
