using WasmKit.BinaryFormat;
using WasmKit.Compilation;
using WasmKit.Tests.Fuzzing;
using WasmKit.Tests.Support;

namespace WasmKit.Tests.Runtime;

/// <summary>
/// Which float operations keep the NaN-quieting fix-up: only those where the JIT may see a constant that
/// reduces the operation to its operand. Arithmetic on loaded values (matrix and n-body kernels) drops it.
/// </summary>
public class ConstantOperandAnalysisTests
{
    /// <summary>The fix-up decision of each float operation of function <paramref name="name"/>, in code order.</summary>
    private static List<(Opcode Opcode, bool KeepsFixUp)> DecisionsOf(byte[] wasm, string name)
    {
        var definition = ModuleDecoder.Decode(wasm);
        int functionIndex = (int)definition.Exports.Single(e => e.Name == name).Index;
        var body = definition.Bodies[functionIndex - definition.ImportedFunctionCount];
        var analysis = ConstantOperandAnalysis.Analyze(definition, functionIndex, body);
        return [.. analysis.Decisions.OrderBy(d => d.Key)
            .Select(d => (new InstructionReader(definition.Bytes, d.Key, body.CodeEnd).Read().Opcode, d.Value))];
    }

    private static List<(Opcode Opcode, bool KeepsFixUp)> DecisionsOf(string body, string signature = "(param i32) (result f64)", string locals = "") =>
        DecisionsOf(Wat.ToWasm($"""
            (module
              (memory 1)
              (global $mutable (mut f64) (f64.const 1))
              (global $immutable f64 (f64.const 1))
              (func $one (result f64) (f64.const 1))
              (func (export "f") {signature} {locals} {body}))
            """), "f");

    [Test]
    public void ArithmeticOnLoadedValuesDropsTheFixUp()
    {
        var decisions = DecisionsOf("""
            (f64.div (f64.sub (f64.add (f64.mul (f64.load (local.get 0)) (f64.load offset=8 (local.get 0)))
                                       (f64.load offset=16 (local.get 0)))
                              (f64.const 1))
                     (f64.const 3))
            """);
        Assert.That(decisions, Is.EqualTo(new[] { (Opcode.F64Mul, false), (Opcode.F64Add, false), (Opcode.F64Sub, false), (Opcode.F64Div, false) }));
    }

    [TestCase("(f64.const 1)", "mul", true, true)]
    [TestCase("(f64.const -1)", "mul", true, true)]
    [TestCase("(f64.const 2)", "mul", false, false)]
    [TestCase("(f64.const 1)", "div", true, false)]
    [TestCase("(f64.const -1)", "div", true, false)]
    [TestCase("(f64.const 0.5)", "div", false, false)]
    [TestCase("(f64.const -0)", "add", true, true)]
    [TestCase("(f64.const 0)", "add", false, false)]
    [TestCase("(f64.const 1)", "add", false, false)]
    [TestCase("(f64.const 0)", "sub", true, false)]
    [TestCase("(f64.const -0)", "sub", false, true)]
    [TestCase("(f64.const 1)", "sub", false, false)]
    [TestCase("(f64.const nan)", "mul", false, false)]
    [TestCase("(f64.const nan:0x4000000000001)", "mul", true, true)]
    [TestCase("(f64.const nan:0x4000000000001)", "div", true, true)]
    [TestCase("(f64.const nan:0x4000000000001)", "add", true, true)]
    [TestCase("(local.get 1)", "mul", true, true)]
    [TestCase("(local.get 1)", "div", true, true)]
    [TestCase("(call $one)", "mul", true, true)]
    [TestCase("(block (result f64) (f64.const 2))", "mul", true, true)]
    [TestCase("(global.get $mutable)", "mul", true, true)]
    [TestCase("(global.get $immutable)", "mul", false, false)]
    [TestCase("(f64.add (f64.const 0.5) (f64.const 0.5))", "mul", true, true)]
    [TestCase("(f64.convert_i32_s (local.get 0))", "mul", true, true)]
    [TestCase("(f64.convert_i32_s (i32.load (local.get 0)))", "mul", false, false)]
    [TestCase("(f64.sqrt (f64.load (local.get 0)))", "mul", false, false)]
    [TestCase("(select (f64.const 2) (f64.const 1) (local.get 0))", "mul", true, true)]
    [TestCase("(select (f64.const 2) (f64.const 1) (local.get 0))", "div", true, false)]
    [TestCase("(select (f64.const 2) (f64.const 3) (local.get 0))", "mul", false, false)]
    public void TheOtherOperandDecides(string other, string op, bool keepsWhenRight, bool keepsWhenLeft)
    {
        var opcode = Enum.Parse<Opcode>("F64" + char.ToUpperInvariant(op[0]) + op[1..]);
        var right = DecisionsOf($"(f64.{op} (f64.load (local.get 0)) {other})", "(param i32 f64) (result f64)");
        Assert.That(right[^1], Is.EqualTo((opcode, keepsWhenRight)), "the other operand on the right");
        // A constant dividend never makes a quotient its divisor, unless it is a signalling NaN.
        var left = DecisionsOf($"(f64.{op} {other} (f64.load (local.get 0)))", "(param i32 f64) (result f64)");
        Assert.That(left[^1], Is.EqualTo((opcode, keepsWhenLeft)), "the other operand on the left");
    }

    [Test]
    public void ALocalIsEverythingStoredIntoItAndItsInitialZero()
    {
        const string locals = "(local $never f64) (local $one f64) (local $loaded f64) (local $carried f64)";
        var decisions = DecisionsOf("""
            (local.set $loaded (f64.load (local.get 0)))
            (local.set $one (f64.const 1))
            (local.set $one (f64.load (local.get 0)))
            (loop $again
              ;; loop-carried: starts at the loaded value, then becomes a product of loaded values
              (local.set $carried (f64.mul (local.get $loaded) (local.get $loaded)))
              (br_if $again (i32.eqz (local.get 0))))
            (f64.sub (local.get $loaded) (local.get $never))
            (f64.mul (local.get $loaded) (local.get $one))
            (f64.mul (local.get $loaded) (local.get $carried))
            (f64.div (local.tee $carried (f64.const 1)) (local.get $loaded))
            drop drop drop drop
            (f64.const 0)
            """, locals: locals);
        Assert.That(decisions, Is.EqualTo(new[]
        {
            (Opcode.F64Mul, false), // loaded * loaded
            (Opcode.F64Sub, true), // the local never written is still +0
            (Opcode.F64Mul, true), // $one held 1 at some point
            (Opcode.F64Mul, true), // $carried got 1 from the tee below
            (Opcode.F64Div, false), // a constant dividend
        }));
    }

    [Test]
    public void TheInitialZeroCountsOnlyWhereAReadMayComeFirst()
    {
        const string locals = "(local $early f64) (local $inBlock f64) (local $inThen f64) (local $late f64)";
        var decisions = DecisionsOf("""
            (local.set $early (f64.load (local.get 0)))
            (block
              (br_if 0 (local.get 0))
              (local.set $inBlock (f64.load (local.get 0)))
              (loop
                (drop (f64.sub (f64.load (local.get 0)) (local.get $inBlock)))))
            (drop (f64.sub (f64.load (local.get 0)) (local.get $inBlock)))
            (if (local.get 0)
              (then (local.set $inThen (f64.load (local.get 0))))
              (else (drop (f64.sub (f64.load (local.get 0)) (local.get $inThen)))))
            (drop (f64.sub (f64.load (local.get 0)) (local.get $late)))
            (local.set $late (f64.load (local.get 0)))
            (f64.sub (f64.load (local.get 0)) (local.get $early))
            """, locals: locals);
        Assert.That(decisions, Is.EqualTo(new[]
        {
            (Opcode.F64Sub, false), // written earlier in an enclosing frame
            (Opcode.F64Sub, true), // the br_if may skip the write
            (Opcode.F64Sub, true), // the write was on the other branch
            (Opcode.F64Sub, true), // read before the write
            (Opcode.F64Sub, false),
        }));
    }

    [Test]
    public void PromoteDemoteKeepsTheFixUpOnlyOnARoundTrip()
    {
        var decisions = DecisionsOf("""
            (f64.promote_f32 (f32.demote_f64 (f64.load (local.get 0))))
            (f32.demote_f64 (f64.promote_f32 (f32.load (local.get 0))))
            (f32.demote_f64 (f64.load (local.get 0)))
            drop
            f64.promote_f32
            f64.add
            """);
        Assert.That(decisions, Is.EqualTo(new[]
        {
            (Opcode.F32DemoteF64, false), (Opcode.F64PromoteF32, true), // promote of a demote
            (Opcode.F64PromoteF32, false), (Opcode.F32DemoteF64, true), // demote of a promote
            (Opcode.F32DemoteF64, false),
            (Opcode.F64PromoteF32, true), // of the demote of a promote
            (Opcode.F64Add, false),
        }));
    }

    [Test]
    public void ParametersAreUnknownBecauseTheJitMayInlineACallerPassingAConstant()
    {
        var decisions = DecisionsOf("(f64.mul (local.get 0) (local.get 1))", "(param f64 f64) (result f64)");
        Assert.That(decisions, Is.EqualTo(new[] { (Opcode.F64Mul, true) }));
    }

    [Test]
    public void ABodyItDoesNotModelKeepsEveryFixUp()
    {
        var definition = ModuleDecoder.Decode(Wat.ToWasm("""
            (module
              (memory 1)
              (func (export "f") (param i32) (result f64)
                (drop (v128.const i64x2 0 0))
                (f64.mul (f64.load (local.get 0)) (f64.load (local.get 0)))))
            """));
        var analysis = ConstantOperandAnalysis.Analyze(definition, 0, definition.Bodies[0]);
        Assert.That(analysis.Decisions, Is.Empty);
        Assert.That(analysis.NeedsQuieting(0), Is.True);
    }

    [Test]
    public void LocalsThatDoNotSettleWithinTheBoundKeepEveryFixUp()
    {
        // Each pass carries the 1 one local further back along the chain: more locals than passes.
        var chain = new System.Text.StringBuilder();
        for (int i = 1; i < 10; i++) chain.Append($"(local.set {i} (local.get {i + 1})) ");
        chain.Append("(local.set 10 (f64.const 1)) ");
        var wasm = Wat.ToWasm($"""
            (module
              (memory 1)
              (func (export "f") (param i32) (result f64) (local f64 f64 f64 f64 f64 f64 f64 f64 f64 f64)
                {chain}
                (f64.mul (f64.load (local.get 0)) (local.get 1))))
            """);
        var definition = ModuleDecoder.Decode(wasm);
        var analysis = ConstantOperandAnalysis.Analyze(definition, 0, definition.Bodies[0]);
        Assert.That(analysis.Decisions, Is.Empty);
        Assert.That(analysis.NeedsQuieting(0), Is.True);
    }

    /// <summary>
    /// The programs' kernels are inlined into main by clang; what keeps the fix-up there is arithmetic with an
    /// integer converted to a float (matmul's <c>(i % 7) - 3</c>) and accumulators that start at a literal.
    /// </summary>
    [TestCase("nbody", 2)]
    [TestCase("matmul", 2)]
    public void ProgramKernelsDropTheFixUp(string program, int mostKept)
    {
        string path = Path.Combine(DifferentialFuzzTests.RepositoryRoot(), "fixtures", "programs", "wasm", program + ".wasm");
        var definition = ModuleDecoder.Decode(File.ReadAllBytes(path));
        int main = (int)definition.FunctionNames.Single(name => name.Value == "__original_main").Key;
        var analysis = ConstantOperandAnalysis.Analyze(definition, main, definition.Bodies[main - definition.ImportedFunctionCount]);
        int kept = analysis.Decisions.Values.Count(keeps => keeps), dropped = analysis.Decisions.Count - kept;
        TestContext.Out.WriteLine($"{program} main: {dropped} fix-ups dropped, {kept} kept");
        Assert.That(kept, Is.LessThanOrEqualTo(mostKept), $"{dropped} dropped, {kept} kept");
        Assert.That(dropped, Is.GreaterThan(4 * kept), $"{dropped} dropped, {kept} kept");
    }
}
