using System.Text;
using WasmKit.Tests.Support;

namespace WasmKit.Tests.Runtime;

/// <summary>
/// A signalling NaN through an operation whose other operand is the constant that lets the JIT reduce it to the
/// NaN operand, with the constant reaching the operation along each path the JIT can see through (and a few it
/// cannot). The result must be the NaN quieted: the same bits with the quiet bit set (up to the sign for the
/// operations a JIT may turn into a negation, whose NaN sign WebAssembly leaves open). Each function repeats the
/// operation in a loop so that tiered code also runs optimised (on-stack replacement) before it returns.
/// </summary>
[TestFixture(CodeTiering.Tiered)]
[TestFixture(CodeTiering.Collectible)]
public class NaNQuietingShapesTests(CodeTiering tiering)
{
    private const int Iterations = 20_000;
    private const ulong F64QuietBit = 1UL << 51;
    private const ulong F64SignBit = 1UL << 63;
    private const uint F32QuietBit = 1U << 22;
    private const uint F32SignBit = 1U << 31;
    private static readonly ulong[] F64SignallingNaNs = [0x7ff4000000000001, 0xfff0000000000005];
    private static readonly uint[] F32SignallingNaNs = [0x7fa00001, 0xff800005];

    /// <summary>A shape: where the constant comes from, written before the loop (<c>Setup</c>) and in it (<c>Expression</c>, over <c>X</c>).</summary>
    private sealed record Shape(string Name, string Width, string Setup, string Expression, bool MayFlipSign = false);

    private static readonly Shape[] Shapes =
    [
        new("constant through a local", "f64", "(local.set $t (f64.const 1))", "(f64.mul X (local.get $t))"),
        new("a local's initial zero", "f64", "", "(f64.sub X (local.get $never))"),
        new("parameter of an inlined callee (sub 0)", "f64", "", "(call $sub X (f64.const 0))"),
        new("parameter of an inlined callee (mul 1)", "f64", "", "(call $mul (f64.const 1) X)"),
        new("parameter of an inlined callee (div -1)", "f64", "", "(call $div X (f64.const -1))", MayFlipSign: true),
        new("call returning a constant", "f64", "", "(f64.mul X (call $one))"),
        new("block result", "f64", "", "(f64.div X (block (result f64) (f64.const 1)))"),
        new("mutable global set before", "f64", "(global.set $set (f64.const 1))", "(f64.mul X (global.get $set))"),
        new("mutable global never set", "f64", "", "(f64.add X (global.get $neverSet))"),
        new("immutable global", "f64", "", "(f64.mul (global.get $immutable) X)"),
        new("loop-carried local", "f64", "(local.set $t (f64.const 1))", "(f64.mul X (local.tee $t (f64.mul (local.get $t) (f64.const 1))))"),
        new("select of constants", "f64", "", "(f64.mul X (select (f64.const 1) (f64.const 2) (i32.const 1)))"),
        new("tee", "f64", "", "(f64.mul (local.tee $t (f64.const 1)) X)"),
        new("memory load", "f64", "(i64.store (i32.const 0) (local.get $x))", "(f64.mul (f64.load (i32.const 0)) (f64.const 1))"),
        new("constant stored to memory before the loop", "f64", "(f64.store (i32.const 8) (f64.const 1))", "(f64.mul X (f64.load (i32.const 8)))"),
        new("constant stored to memory just before the load", "f64", "",
            "(f64.mul X (block (result f64) (f64.store (i32.const 8) (f64.const 1)) (f64.load (i32.const 8))))"),
        new("add -0 on the left", "f64", "", "(f64.add (f64.const -0) X)"),
        new("mul -1", "f64", "", "(f64.mul X (f64.const -1))", MayFlipSign: true),
        new("-0 minus", "f64", "", "(f64.sub (f64.const -0) X)", MayFlipSign: true),
        new("integer converted to 1", "f64", "", "(f64.mul X (f64.convert_i32_s (i32.sub (i32.const 2) (i32.const 1))))"),
        new("constant through a local (f32)", "f32", "(local.set $t32 (f32.const 1))", "(f32.mul X (local.get $t32))"),
        new("demote of a promote", "f32", "", "(f32.demote_f64 (f64.promote_f32 X))"),
        new("demote of a promote through a local", "f32", "", "(f32.demote_f64 (local.tee $t (f64.promote_f32 X)))"),
        new("a local's initial zero (f32)", "f32", "", "(f32.sub X (local.get $never32))"),
    ];

    private Instance _instance = null!;

    [OneTimeSetUp]
    public void CompileTheModule() =>
        _instance = Wat.Instantiate(BuildModule(), new Linker(new Engine(new EngineOptions { CodeTiering = tiering })));

    public static IEnumerable<TestCaseData> Cases() =>
        Shapes.Select((shape, index) => new TestCaseData(index).SetName($"{shape.Width} NaN quieted: {shape.Name}"));

    [TestCaseSource(nameof(Cases))]
    public void TheResultIsTheNaNQuieted(int index)
    {
        var shape = Shapes[index];
        var function = _instance.GetFunction<long, int, long>($"shape{index}")!;
        if (shape.Width == "f64")
        {
            foreach (ulong nan in F64SignallingNaNs)
            {
                ulong result = (ulong)function((long)nan, Iterations);
                ulong mask = shape.MayFlipSign ? ~F64SignBit : ~0UL;
                Assert.That(result & mask, Is.EqualTo((nan | F64QuietBit) & mask), $"0x{nan:x16} gave 0x{result:x16}");
            }
        }
        else
        {
            foreach (uint nan in F32SignallingNaNs)
            {
                uint result = (uint)function(nan, Iterations);
                uint mask = shape.MayFlipSign ? ~F32SignBit : ~0U;
                Assert.That(result & mask, Is.EqualTo((nan | F32QuietBit) & mask), $"0x{nan:x8} gave 0x{result:x8}");
            }
        }
    }

    private static string BuildModule()
    {
        var text = new StringBuilder("""
            (module
              (memory 1)
              (global $set (mut f64) (f64.const 0))
              (global $neverSet (mut f64) (f64.const -0))
              (global $immutable f64 (f64.const 1))
              (func $sub (param f64 f64) (result f64) (f64.sub (local.get 0) (local.get 1)))
              (func $mul (param f64 f64) (result f64) (f64.mul (local.get 0) (local.get 1)))
              (func $div (param f64 f64) (result f64) (f64.div (local.get 0) (local.get 1)))
              (func $one (result f64) (f64.const 1))

            """);
        for (int i = 0; i < Shapes.Length; i++)
        {
            var shape = Shapes[i];
            bool wide = shape.Width == "f64";
            string operand = wide ? "(f64.reinterpret_i64 (local.get $x))" : "(f32.reinterpret_i32 (i32.wrap_i64 (local.get $x)))";
            string result = wide ? "(i64.reinterpret_f64 (local.get $r))" : "(i64.extend_i32_u (i32.reinterpret_f32 (local.get $r32)))";
            string target = wide ? "$r" : "$r32";
            text.AppendLine($$"""
                  (func (export "shape{{i}}") (param $x i64) (param $n i32) (result i64)
                    (local $r f64) (local $t f64) (local $never f64) (local $r32 f32) (local $t32 f32) (local $never32 f32)
                    {{shape.Setup}}
                    (loop $again
                      (local.set {{target}} {{shape.Expression.Replace("X", operand)}})
                      (br_if $again (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
                    {{result}})
                """);
        }
        text.AppendLine(")");
        return text.ToString();
    }
}
