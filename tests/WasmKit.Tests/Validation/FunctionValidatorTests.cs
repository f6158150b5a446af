using WasmKit.BinaryFormat;
using WasmKit.Validation;
using static WasmKit.Tests.Validation.TestModuleBuilder;

namespace WasmKit.Tests.Validation;

public class FunctionValidatorTests
{
    private const ValueKind I32 = ValueKind.Int32;
    private const ValueKind I64 = ValueKind.Int64;
    private const ValueKind F32 = ValueKind.Float32;
    private static readonly FunctionType VoidToVoid = Type([], []);
    private static readonly FunctionType VoidToI32 = Type([], [I32]);

    private static ModuleDefinition Single(FunctionType type, byte[] code, params ValueKind[] locals)
    {
        var builder = new TestModuleBuilder();
        builder.AddFunction(type, code, locals);
        return builder.Build();
    }

    private static void AssertValid(ModuleDefinition module) =>
        Assert.That(() => ModuleValidator.Validate(module), Throws.Nothing);

    private static WasmValidationException AssertInvalid(ModuleDefinition module, string reason)
    {
        var error = Assert.Throws<WasmValidationException>(() => ModuleValidator.Validate(module))!;
        Assert.That(error.Reason, Is.EqualTo(reason));
        return error;
    }

    [Test]
    public void EmptyBodyIsValid() => AssertValid(Single(VoidToVoid, [0x0B]));

    [Test]
    public void ResultMustBeOnTheStack()
    {
        AssertValid(Single(VoidToI32, [0x41, 0x01, 0x0B]));
        AssertInvalid(Single(VoidToI32, [0x0B]), "type mismatch");
        AssertInvalid(Single(VoidToI32, [0x41, 0x01, 0x41, 0x02, 0x0B]), "type mismatch");
        AssertInvalid(Single(VoidToI32, [0x42, 0x01, 0x0B]), "type mismatch");
    }

    [Test]
    public void BinaryOperatorsCheckOperandKinds()
    {
        AssertValid(Single(VoidToI32, [0x41, 0x01, 0x41, 0x02, 0x6A, 0x0B]));             // i32.add
        AssertInvalid(Single(VoidToI32, [0x41, 0x01, 0x42, 0x02, 0x6A, 0x0B]), "type mismatch"); // i32.add of i64
        AssertInvalid(Single(VoidToI32, [0x41, 0x01, 0x6A, 0x0B]), "type mismatch");       // one operand
        AssertValid(Single(VoidToI32, [0x42, 0x01, 0x42, 0x02, 0x51, 0x0B]));             // i64.eq gives i32
        AssertValid(Single(Type([F32], [I64]), [0x20, 0x00, 0xFC, 0x05, 0x0B]));           // i64.trunc_sat_f32_u
        AssertValid(Single(Type([I64], [I64]), [0x20, 0x00, 0xC4, 0x0B]));                 // i64.extend32_s
    }

    [Test]
    public void UnreachableMakesTheStackPolymorphic()
    {
        AssertValid(Single(VoidToI32, [0x00, 0x6A, 0x0B]));                    // unreachable; i32.add
        AssertValid(Single(VoidToI32, [0x00, 0x1B, 0x0B]));                    // unreachable; select
        AssertInvalid(Single(VoidToI32, [0x00, 0x42, 0x00, 0x6A, 0x0B]), "type mismatch"); // i64 below i32.add
        // Values pushed after unreachable still count: two i32 left for a single result.
        AssertInvalid(Single(VoidToI32, [0x00, 0x41, 0x00, 0x41, 0x00, 0x0B]), "type mismatch");
    }

    [Test]
    public void BlocksTakeParametersAndLeaveResults()
    {
        var builder = new TestModuleBuilder();
        uint pair = builder.AddType(Type([I32, I32], [I32, I64]));
        // i32.const 1; i32.const 2; block (type pair) i32.add; i64.const 0; end; drop
        builder.AddFunction(VoidToI32, [0x41, 0x01, 0x41, 0x02, 0x02, (byte)pair, 0x6A, 0x42, 0x00, 0x0B, 0x1A, 0x0B]);
        AssertValid(builder.Build());

        var unknown = new TestModuleBuilder();
        unknown.AddFunction(VoidToVoid, [0x02, 0x05, 0x0B, 0x0B]);
        AssertInvalid(unknown.Build(), "unknown type");
    }

    [Test]
    public void BlockEndChecksItsResults()
    {
        AssertValid(Single(VoidToI32, [0x02, 0x7F, 0x41, 0x00, 0x0B, 0x0B]));
        AssertInvalid(Single(VoidToI32, [0x02, 0x7F, 0x0B, 0x0B]), "type mismatch");
        // The block cannot see its parent's values.
        AssertInvalid(Single(VoidToI32, [0x41, 0x00, 0x02, 0x7F, 0x0B, 0x0B]), "type mismatch");
    }

    [Test]
    public void IfWithoutElseMustPassItsInputsThrough()
    {
        AssertValid(Single(VoidToI32, [0x41, 0x01, 0x04, 0x7F, 0x41, 0x01, 0x05, 0x41, 0x02, 0x0B, 0x0B]));
        AssertInvalid(Single(VoidToI32, [0x41, 0x01, 0x04, 0x7F, 0x41, 0x01, 0x0B, 0x0B]), "type mismatch");
        AssertValid(Single(VoidToVoid, [0x41, 0x01, 0x04, 0x40, 0x0B, 0x0B]));
        AssertInvalid(Single(VoidToVoid, [0x04, 0x40, 0x0B, 0x0B]), "type mismatch"); // no condition
    }

    [Test]
    public void BranchesCarryLabelTypes()
    {
        // block (result i32) i32.const 1 br 0 end
        AssertValid(Single(VoidToI32, [0x02, 0x7F, 0x41, 0x01, 0x0C, 0x00, 0x0B, 0x0B]));
        AssertInvalid(Single(VoidToI32, [0x02, 0x7F, 0x0C, 0x00, 0x0B, 0x0B]), "type mismatch");
        AssertInvalid(Single(VoidToVoid, [0x0C, 0x01, 0x0B]), "unknown label");
        // loop (result i32): a branch to a loop carries its (empty) parameters.
        AssertValid(Single(VoidToVoid, [0x03, 0x40, 0x0C, 0x00, 0x0B, 0x0B]));
        // br_if keeps the values: block (result i32) i32.const 1 i32.const 0 br_if 0 end
        AssertValid(Single(VoidToI32, [0x02, 0x7F, 0x41, 0x01, 0x41, 0x00, 0x0D, 0x00, 0x0B, 0x0B]));
        // br to the function label is a return.
        AssertValid(Single(VoidToI32, [0x41, 0x01, 0x0C, 0x00, 0x0B]));
    }

    [Test]
    public void BranchTableTargetsMustAgree()
    {
        // block (result i32) block i32.const 0 br_table 0 1 end end: arities 0 and 1 differ.
        AssertInvalid(
            Single(VoidToI32, [0x02, 0x7F, 0x02, 0x40, 0x41, 0x00, 0x0E, 0x01, 0x00, 0x01, 0x0B, 0x41, 0x00, 0x0B, 0x0B]),
            "type mismatch");
        // block (result i32) i32.const 7 i32.const 0 br_table 0 0 end
        AssertValid(Single(VoidToI32, [0x02, 0x7F, 0x41, 0x07, 0x41, 0x00, 0x0E, 0x01, 0x00, 0x00, 0x0B, 0x0B]));
        AssertInvalid(Single(VoidToVoid, [0x41, 0x00, 0x0E, 0x01, 0x05, 0x00, 0x0B]), "unknown label");
        // In unreachable code, targets of the same arity but different types are fine:
        // block (result i32) block (result i64) unreachable br_table 0 1 end drop i32.const 0 end
        AssertValid(Single(VoidToI32,
            [0x02, 0x7F, 0x02, 0x7E, 0x00, 0x0E, 0x01, 0x00, 0x01, 0x0B, 0x1A, 0x41, 0x00, 0x0B, 0x0B]));
        // ... but not with a concrete operand: block (result i32) block (result i64) i64.const 0 i32.const 0 br_table 0 1 ...
        AssertInvalid(Single(VoidToI32,
            [0x02, 0x7F, 0x02, 0x7E, 0x42, 0x00, 0x41, 0x00, 0x0E, 0x01, 0x00, 0x01, 0x0B, 0x1A, 0x41, 0x00, 0x0B, 0x0B]),
            "type mismatch");
    }

    [Test]
    public void ReturnChecksTheFunctionResults()
    {
        AssertValid(Single(VoidToI32, [0x41, 0x01, 0x0F, 0x0B]));
        // After return the stack is polymorphic, but values pushed afterwards are concrete.
        AssertValid(Single(VoidToI32, [0x41, 0x01, 0x0F, 0x0B]));
        AssertValid(Single(VoidToI32, [0x00, 0x0F, 0x0B]));
        AssertInvalid(Single(VoidToI32, [0x41, 0x01, 0x0F, 0x42, 0x00, 0x0B]), "type mismatch");
        AssertInvalid(Single(VoidToI32, [0x0F, 0x0B]), "type mismatch");
    }

    [Test]
    public void LocalsIncludeParameters()
    {
        AssertValid(Single(Type([I32], [I64]), [0x20, 0x01, 0x0B], I64));
        AssertInvalid(Single(Type([I32], [I64]), [0x20, 0x00, 0x0B], I64), "type mismatch");
        AssertInvalid(Single(Type([I32], []), [0x20, 0x02, 0x1A, 0x0B], I64), "unknown local");
        AssertValid(Single(Type([I32], [I32]), [0x41, 0x05, 0x22, 0x00, 0x0B])); // local.tee
        AssertInvalid(Single(Type([I32], []), [0x42, 0x05, 0x21, 0x00, 0x0B]), "type mismatch");
    }

    [Test]
    public void GlobalSetNeedsAMutableGlobal()
    {
        var immutable = new TestModuleBuilder().Global(I32, false, I32Const(0));
        immutable.AddFunction(VoidToVoid, [0x41, 0x00, 0x24, 0x00, 0x0B]);
        AssertInvalid(immutable.Build(), "global is immutable");

        var mutable = new TestModuleBuilder().Global(I32, true, I32Const(0));
        mutable.AddFunction(VoidToVoid, [0x41, 0x00, 0x24, 0x00, 0x0B]);
        AssertValid(mutable.Build());

        AssertInvalid(Single(VoidToI32, [0x23, 0x00, 0x0B]), "unknown global");
    }

    [Test]
    public void MemoryAccessNeedsAMemoryAndNaturalAlignment()
    {
        byte[] load = [0x41, 0x00, 0x28, 0x02, 0x00, 0x0B]; // i32.load align=4
        AssertInvalid(Single(VoidToI32, load), "unknown memory");

        var ok = new TestModuleBuilder().Memory();
        ok.AddFunction(VoidToI32, load);
        AssertValid(ok.Build());

        var misaligned = new TestModuleBuilder().Memory();
        misaligned.AddFunction(VoidToI32, [0x41, 0x00, 0x28, 0x03, 0x00, 0x0B]);
        AssertInvalid(misaligned.Build(), "alignment must not be larger than natural");

        var store8 = new TestModuleBuilder().Memory();
        store8.AddFunction(VoidToVoid, [0x41, 0x00, 0x42, 0x00, 0x3C, 0x01, 0x00, 0x0B]); // i64.store8 align=2
        AssertInvalid(store8.Build(), "alignment must not be larger than natural");

        var grow = new TestModuleBuilder().Memory();
        grow.AddFunction(VoidToI32, [0x41, 0x01, 0x40, 0x00, 0x0B]); // memory.grow
        AssertValid(grow.Build());
    }

    [Test]
    public void SelectRules()
    {
        AssertValid(Single(VoidToI32, [0x41, 0x01, 0x41, 0x02, 0x41, 0x00, 0x1B, 0x0B]));
        AssertInvalid(Single(VoidToI32, [0x41, 0x01, 0x42, 0x02, 0x41, 0x00, 0x1B, 0x0B]), "type mismatch");
        // Untyped select of references is rejected.
        AssertInvalid(Single(VoidToVoid, [0xD0, 0x70, 0xD0, 0x70, 0x41, 0x00, 0x1B, 0x1A, 0x0B]), "type mismatch");
        // Typed select of references is fine.
        AssertValid(Single(VoidToVoid, [0xD0, 0x70, 0xD0, 0x70, 0x41, 0x00, 0x1C, 0x01, 0x70, 0x1A, 0x0B]));
        AssertInvalid(Single(VoidToVoid, [0x41, 0x01, 0x41, 0x01, 0x41, 0x00, 0x1C, 0x02, 0x7F, 0x7F, 0x1A, 0x0B]), "invalid result arity");
        AssertInvalid(Single(VoidToVoid, [0x41, 0x01, 0x41, 0x01, 0x41, 0x00, 0x1C, 0x00, 0x1A, 0x0B]), "invalid result arity");
    }

    [Test]
    public void ReferenceInstructions()
    {
        AssertValid(Single(VoidToI32, [0xD0, 0x6F, 0xD1, 0x0B]));
        AssertInvalid(Single(VoidToI32, [0x41, 0x00, 0xD1, 0x0B]), "type mismatch");

        // ref.func 0 in a body needs a declaration elsewhere.
        var undeclared = new TestModuleBuilder();
        undeclared.AddFunction(VoidToVoid, [0xD2, 0x00, 0x1A, 0x0B]);
        AssertInvalid(undeclared.Build(), "undeclared function reference");

        var exported = new TestModuleBuilder().With(m => m.Exports.Add(new ExportDefinition("f", ExternalKind.Function, 0, 0)));
        exported.AddFunction(VoidToVoid, [0xD2, 0x00, 0x1A, 0x0B]);
        AssertValid(exported.Build());

        var declaredByElement = new TestModuleBuilder().With(m => m.Elements.Add(
            new ElementSegment(SegmentMode.Declarative, 0, null, ValueKind.FuncRef, [ConstantExpression.RefFunc(0, 0)], 0)));
        declaredByElement.AddFunction(VoidToVoid, [0xD2, 0x00, 0x1A, 0x0B]);
        AssertValid(declaredByElement.Build());

        AssertInvalid(Single(VoidToVoid, [0xD2, 0x07, 0x1A, 0x0B]), "unknown function");
    }

    [Test]
    public void CallsCheckSignatures()
    {
        var builder = new TestModuleBuilder().ImportFunction(Type([I32], [I64]));
        builder.AddFunction(Type([], [I64]), [0x41, 0x00, 0x10, 0x00, 0x0B]);
        AssertValid(builder.Build());

        var wrong = new TestModuleBuilder().ImportFunction(Type([I32], [I64]));
        wrong.AddFunction(Type([], [I64]), [0x42, 0x00, 0x10, 0x00, 0x0B]);
        AssertInvalid(wrong.Build(), "type mismatch");

        AssertInvalid(Single(VoidToVoid, [0x10, 0x05, 0x0B]), "unknown function");
    }

    [Test]
    public void CallIndirectNeedsAFuncrefTable()
    {
        byte[] code = [0x41, 0x00, 0x11, 0x00, 0x00, 0x0B]; // call_indirect (type 0) (table 0)
        AssertInvalid(Single(VoidToVoid, code), "unknown table");

        var funcref = new TestModuleBuilder().Table();
        funcref.AddFunction(VoidToVoid, code);
        AssertValid(funcref.Build());

        var externref = new TestModuleBuilder().Table(ValueKind.ExternRef);
        externref.AddFunction(VoidToVoid, code);
        AssertInvalid(externref.Build(), "type mismatch");

        var badType = new TestModuleBuilder().Table();
        badType.AddFunction(VoidToVoid, [0x41, 0x00, 0x11, 0x09, 0x00, 0x0B]);
        AssertInvalid(badType.Build(), "unknown type");
    }

    [Test]
    public void TableInstructionsCheckElementKinds()
    {
        var copy = new TestModuleBuilder().Table().Table(ValueKind.ExternRef);
        copy.AddFunction(VoidToVoid, [0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xFC, 0x0E, 0x00, 0x01, 0x0B]);
        AssertInvalid(copy.Build(), "type mismatch");

        var init = new TestModuleBuilder().Table(ValueKind.ExternRef).With(m => m.Elements.Add(
            new ElementSegment(SegmentMode.Passive, 0, null, ValueKind.FuncRef, [], 0)));
        init.AddFunction(VoidToVoid, [0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xFC, 0x0C, 0x00, 0x00, 0x0B]);
        AssertInvalid(init.Build(), "type mismatch");

        var drop = new TestModuleBuilder();
        drop.AddFunction(VoidToVoid, [0xFC, 0x0D, 0x00, 0x0B]);
        AssertInvalid(drop.Build(), "unknown elem segment");

        // table.grow takes the element then the count: ref.null extern; i32.const 1; table.grow 0
        var grow = new TestModuleBuilder().Table(ValueKind.ExternRef);
        grow.AddFunction(VoidToI32, [0xD0, 0x6F, 0x41, 0x01, 0xFC, 0x0F, 0x00, 0x0B]);
        AssertValid(grow.Build());

        var get = new TestModuleBuilder().Table(ValueKind.ExternRef);
        get.AddFunction(VoidToVoid, [0x41, 0x00, 0x25, 0x00, 0xD1, 0x1A, 0x0B]);
        AssertValid(get.Build());
    }

    [Test]
    public void BulkMemoryNeedsTheDataCountSection()
    {
        byte[] init = [0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xFC, 0x08, 0x00, 0x00, 0x0B];
        var noCount = new TestModuleBuilder().Memory().With(m => m.Data.Add(new DataSegment(SegmentMode.Passive, 0, null, ReadOnlyMemory<byte>.Empty, 0)));
        noCount.AddFunction(VoidToVoid, init);
        AssertInvalid(noCount.Build(), "data count section required");

        var noCountNoData = new TestModuleBuilder().Memory();
        noCountNoData.AddFunction(VoidToVoid, init);
        AssertInvalid(noCountNoData.Build(), "unknown data segment");

        var outOfRange = new TestModuleBuilder().Memory().With(m => m.DataCount = 0);
        outOfRange.AddFunction(VoidToVoid, init);
        AssertInvalid(outOfRange.Build(), "unknown data segment");

        var ok = new TestModuleBuilder().Memory().With(m => m.DataCount = 1);
        ok.AddFunction(VoidToVoid, init);
        AssertValid(ok.Build());

        var noMemory = new TestModuleBuilder().With(m => m.DataCount = 1);
        noMemory.AddFunction(VoidToVoid, [0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xFC, 0x0B, 0x00, 0x0B]); // memory.fill
        AssertInvalid(noMemory.Build(), "unknown memory");
    }

    [Test]
    public void SimdIsRejected()
    {
        AssertInvalid(Single(VoidToVoid, [0xFD, 0x0C, .. new byte[16], 0x1A, 0x0B]), "SIMD is not supported yet");
        AssertInvalid(Single(VoidToVoid, [0x0B], ValueKind.V128), "SIMD is not supported yet");
        AssertInvalid(Single(Type([ValueKind.V128], []), [0x0B]), "SIMD is not supported yet");
        AssertInvalid(Single(VoidToVoid, [0x02, 0x7B, 0x00, 0x0B, 0x1A, 0x0B]), "SIMD is not supported yet");
    }

    [Test]
    public void ErrorsNameTheFunctionIndexAndInstructionOffset()
    {
        var builder = new TestModuleBuilder().ImportFunction(VoidToVoid);
        builder.AddFunction(VoidToVoid, [0x0B]);
        int start = builder.AddFunction(VoidToVoid, [0x01, 0x41, 0x00, 0x42, 0x00, 0x6A, 0x1A, 0x0B]);
        var error = AssertInvalid(builder.Build(), "type mismatch");
        Assert.That(error.FunctionIndex, Is.EqualTo(2));
        Assert.That(error.Offset, Is.EqualTo(start + 5));
    }

    [Test]
    public void MissingFinalEndIsMalformed()
    {
        Assert.Throws<WasmFormatException>(() => ModuleValidator.Validate(Single(VoidToVoid, [0x01])));
        Assert.Throws<WasmFormatException>(() => ModuleValidator.Validate(Single(VoidToVoid, [0x0B, 0x01])));
    }
}
