using WasmKit.BinaryFormat;
using WasmKit.Validation;
using static WasmKit.Tests.Validation.TestModuleBuilder;

namespace WasmKit.Tests.Validation;

public class ModuleValidatorTests
{
    private const ValueKind I32 = ValueKind.Int32;
    private const ValueKind I64 = ValueKind.Int64;
    private static readonly FunctionType VoidToVoid = Type([], []);

    private static void AssertValid(TestModuleBuilder builder) =>
        Assert.That(() => ModuleValidator.Validate(builder.Build()), Throws.Nothing);

    private static void AssertInvalid(TestModuleBuilder builder, string reason)
    {
        var error = Assert.Throws<WasmValidationException>(() => ModuleValidator.Validate(builder.Build()))!;
        Assert.That(error.Reason, Is.EqualTo(reason));
    }

    [Test]
    public void EmptyModuleIsValid() => AssertValid(new TestModuleBuilder());

    [Test]
    public void FunctionTypeIndicesMustExist()
    {
        AssertInvalid(new TestModuleBuilder().With(m =>
            m.AddImport(new ImportDefinition("env", "f", ExternalKind.Function, 3, default, default, default, 0))), "unknown type");
        AssertInvalid(new TestModuleBuilder().With(m =>
        {
            m.FunctionTypeIndices.Add(0);
            m.Bodies.Add(new FunctionBody([], 8, 8, 8));
        }), "unknown type");
    }

    [Test]
    public void AtMostOneMemory()
    {
        AssertValid(new TestModuleBuilder().Memory());
        AssertInvalid(new TestModuleBuilder().Memory().Memory(), "multiple memories");
        AssertInvalid(new TestModuleBuilder()
            .With(m => m.AddImport(new ImportDefinition("env", "m", ExternalKind.Memory, 0, default, new MemoryType(new Limits(1, null)), default, 0)))
            .Memory(), "multiple memories");
    }

    [Test]
    public void LimitsAreChecked()
    {
        AssertInvalid(new TestModuleBuilder().Memory(2, 1), "size minimum must not be greater than maximum");
        AssertInvalid(new TestModuleBuilder().Table(ValueKind.FuncRef, 2, 1), "size minimum must not be greater than maximum");
        AssertInvalid(new TestModuleBuilder().Memory(65537), "memory size must be at most 65536 pages (4GiB)");
        AssertInvalid(new TestModuleBuilder().Memory(0, 65537), "memory size must be at most 65536 pages (4GiB)");
        AssertValid(new TestModuleBuilder().Memory(65536, 65536));
        AssertValid(new TestModuleBuilder().Table(ValueKind.ExternRef, 0, uint.MaxValue));
    }

    [Test]
    public void GlobalInitializersAreConstantAndTyped()
    {
        AssertValid(new TestModuleBuilder().Global(I32, false, I32Const(1)));
        AssertInvalid(new TestModuleBuilder().Global(I64, false, I32Const(1)), "type mismatch");
        AssertInvalid(new TestModuleBuilder().Global(I32, false), "type mismatch");
        AssertInvalid(new TestModuleBuilder().Global(I32, false, I32Const(1), I32Const(2)), "type mismatch");
        AssertInvalid(new TestModuleBuilder().Global(I32, false, I32Const(1), Nop()), "constant expression required");
        AssertValid(new TestModuleBuilder().Global(ValueKind.ExternRef, false, RefNull(ValueKind.ExternRef)));
        AssertInvalid(new TestModuleBuilder().Global(ValueKind.FuncRef, false, RefNull(ValueKind.ExternRef)), "type mismatch");
    }

    [Test]
    public void GlobalGetInConstantExpressionsSeesOnlyImmutableImports()
    {
        AssertValid(new TestModuleBuilder().ImportGlobal(I32, false).Global(I32, false, GlobalGet(0)));
        AssertInvalid(new TestModuleBuilder().ImportGlobal(I32, true).Global(I32, false, GlobalGet(0)), "constant expression required");
        AssertInvalid(new TestModuleBuilder().Global(I32, false, I32Const(0)).Global(I32, false, GlobalGet(0)), "unknown global");
        AssertInvalid(new TestModuleBuilder().ImportGlobal(I32, false).Global(I32, false, GlobalGet(1)), "unknown global");
    }

    [Test]
    public void RefFuncInAGlobalMustNameAFunction()
    {
        var builder = new TestModuleBuilder().Global(ValueKind.FuncRef, false, RefFunc(0));
        builder.AddFunction(VoidToVoid, [0xD2, 0x00, 0x1A, 0x0B]); // declared by the global
        AssertValid(builder);
        AssertInvalid(new TestModuleBuilder().Global(ValueKind.FuncRef, false, RefFunc(0)), "unknown function");
    }

    [Test]
    public void ElementSegmentsAreChecked()
    {
        static ElementSegment Active(uint table, ValueKind kind, params ConstantExpression[] items) =>
            new(SegmentMode.Active, table, new ConstantExpression([I32Const(0)], 0), kind, items, 0);

        var valid = new TestModuleBuilder().Table().With(m => m.Elements.Add(Active(0, ValueKind.FuncRef, ConstantExpression.RefFunc(0, 0))));
        valid.AddFunction(VoidToVoid, [0x0B]);
        AssertValid(valid);

        AssertInvalid(new TestModuleBuilder().With(m => m.Elements.Add(Active(0, ValueKind.FuncRef))), "unknown table");
        AssertInvalid(new TestModuleBuilder().Table(ValueKind.ExternRef).With(m => m.Elements.Add(Active(0, ValueKind.FuncRef))), "type mismatch");
        AssertInvalid(new TestModuleBuilder().Table().With(m => m.Elements.Add(Active(0, ValueKind.FuncRef, ConstantExpression.RefFunc(4, 0)))), "unknown function");
        AssertInvalid(new TestModuleBuilder().Table().With(m => m.Elements.Add(
            new ElementSegment(SegmentMode.Active, 0, new ConstantExpression([new Instruction { Opcode = Opcode.I64Const }], 0), ValueKind.FuncRef, [], 0))),
            "type mismatch");
        AssertInvalid(new TestModuleBuilder().With(m => m.Elements.Add(
            new ElementSegment(SegmentMode.Passive, 0, null, ValueKind.ExternRef, [new ConstantExpression([RefNull(ValueKind.FuncRef)], 0)], 0))),
            "type mismatch");
    }

    [Test]
    public void DataSegmentsAreChecked()
    {
        static DataSegment Active(params Instruction[] offset) => new(SegmentMode.Active, 0, new ConstantExpression(offset, 0), ReadOnlyMemory<byte>.Empty, 0);

        AssertValid(new TestModuleBuilder().Memory().With(m => m.Data.Add(Active(I32Const(0)))));
        AssertInvalid(new TestModuleBuilder().With(m => m.Data.Add(Active(I32Const(0)))), "unknown memory");
        AssertInvalid(new TestModuleBuilder().Memory().With(m => m.Data.Add(Active(Nop()))), "constant expression required");
        AssertValid(new TestModuleBuilder().With(m => m.Data.Add(new DataSegment(SegmentMode.Passive, 0, null, ReadOnlyMemory<byte>.Empty, 0))));
    }

    [Test]
    public void StartFunctionMustExistAndTakeNothing()
    {
        var valid = new TestModuleBuilder().With(m => m.StartFunction = 0);
        valid.AddFunction(VoidToVoid, [0x0B]);
        AssertValid(valid);

        AssertInvalid(new TestModuleBuilder().With(m => m.StartFunction = 0), "unknown function");

        var withResult = new TestModuleBuilder().With(m => m.StartFunction = 0);
        withResult.AddFunction(Type([], [I32]), [0x41, 0x00, 0x0B]);
        AssertInvalid(withResult, "start function");
    }

    [Test]
    public void ExportsMustExistAndHaveUniqueNames()
    {
        AssertInvalid(new TestModuleBuilder().With(m => m.Exports.Add(new ExportDefinition("f", ExternalKind.Function, 0, 0))), "unknown function");
        AssertInvalid(new TestModuleBuilder().With(m => m.Exports.Add(new ExportDefinition("t", ExternalKind.Table, 0, 0))), "unknown table");
        AssertInvalid(new TestModuleBuilder().With(m => m.Exports.Add(new ExportDefinition("m", ExternalKind.Memory, 0, 0))), "unknown memory");
        AssertInvalid(new TestModuleBuilder().With(m => m.Exports.Add(new ExportDefinition("g", ExternalKind.Global, 0, 0))), "unknown global");
        AssertInvalid(new TestModuleBuilder().Memory().Table().With(m =>
        {
            m.Exports.Add(new ExportDefinition("a", ExternalKind.Memory, 0, 0));
            m.Exports.Add(new ExportDefinition("a", ExternalKind.Table, 0, 0));
        }), "duplicate export name");
    }

    [Test]
    public void V128GlobalsAreRejected() =>
        AssertInvalid(new TestModuleBuilder().ImportGlobal(ValueKind.V128, false), "SIMD is not supported yet");
}
