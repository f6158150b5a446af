using WasmKit.BinaryFormat;
using static WasmKit.Tests.BinaryFormat.WasmBytes;

namespace WasmKit.Tests.BinaryFormat;

public class ModuleDecoderTests
{
    [Test]
    public void DecodesEmptyModule()
    {
        var module = ModuleDecoder.Decode(Module());

        Assert.That(module.Types, Is.Empty);
        Assert.That(module.Imports, Is.Empty);
        Assert.That(module.Bodies, Is.Empty);
        Assert.That(module.StartFunction, Is.Null);
        Assert.That(module.DataCount, Is.Null);
        Assert.That(module.ModuleName, Is.Null);
    }

    [Test]
    public void DecodesTypesAndImports()
    {
        var module = ModuleDecoder.Decode(SampleModules.Full);

        Assert.That(module.Types, Has.Count.EqualTo(4));
        Assert.That(module.Types[0], Is.EqualTo(FunctionType.Of([ValueKind.Int32, ValueKind.Int32], [ValueKind.Int32])));
        Assert.That(module.Types[1], Is.EqualTo(FunctionType.Of([], [])));

        Assert.That(module.Imports.Select(i => (i.ModuleName, i.Name, i.Kind)), Is.EqualTo(new[]
        {
            ("env", "log", ExternalKind.Function),
            ("env", "table", ExternalKind.Table),
            ("env", "memory", ExternalKind.Memory),
            ("env", "base", ExternalKind.Global),
        }));
        Assert.That(module.Imports[0].FunctionTypeIndex, Is.EqualTo(2u));
        Assert.That(module.Imports[1].Table, Is.EqualTo(new TableType(ValueKind.FuncRef, new Limits(1, null))));
        Assert.That(module.Imports[2].Memory, Is.EqualTo(new MemoryType(new Limits(1, 2))));
        Assert.That(module.Imports[3].Global, Is.EqualTo(new GlobalType(ValueKind.Int32, false)));
        Assert.That(module.ImportedFunctionCount, Is.EqualTo(1));
        Assert.That(module.TotalFunctionCount, Is.EqualTo(4));
        Assert.That(module.TotalTableCount, Is.EqualTo(2));
        Assert.That(module.GetFunctionType(3), Is.EqualTo(FunctionType.Of([ValueKind.Int32], [ValueKind.Int32])));
    }

    [Test]
    public void DecodesDefinitionsExportsAndStart()
    {
        var module = ModuleDecoder.Decode(SampleModules.Full);

        Assert.That(module.FunctionTypeIndices, Is.EqualTo(new uint[] { 0, 1, 3 }));
        Assert.That(module.Tables, Is.EqualTo(new[] { new TableType(ValueKind.ExternRef, new Limits(2, 10)) }));
        Assert.That(module.Memories, Is.Empty);

        Assert.That(module.Globals, Has.Count.EqualTo(2));
        Assert.That(module.Globals[0].Type, Is.EqualTo(new GlobalType(ValueKind.Int64, true)));
        var counterInit = module.Globals[0].Initializer.Instructions.Single();
        Assert.That((counterInit.Opcode, counterInit.I64), Is.EqualTo((Opcode.I64Const, -5L)));
        var refInit = module.Globals[1].Initializer.Instructions.Single();
        Assert.That((refInit.Opcode, refInit.Index), Is.EqualTo((Opcode.RefFunc, 1u)));

        Assert.That(module.Exports.Select(e => (e.Name, e.Kind, e.Index)), Is.EqualTo(new[]
        {
            ("add", ExternalKind.Function, 1u),
            ("counter", ExternalKind.Global, 1u),
            ("mem", ExternalKind.Memory, 0u),
            ("t2", ExternalKind.Table, 1u),
        }));
        Assert.That(module.StartFunction, Is.EqualTo(2u));
    }

    [Test]
    public void DecodesSegmentsOfTheSample()
    {
        var module = ModuleDecoder.Decode(SampleModules.Full);

        Assert.That(module.Elements.Select(e => (e.Mode, e.ElementKind, e.Items.Length)), Is.EqualTo(new[]
        {
            (SegmentMode.Active, ValueKind.FuncRef, 2),
            (SegmentMode.Passive, ValueKind.FuncRef, 2),
            (SegmentMode.Declarative, ValueKind.FuncRef, 1),
        }));
        Assert.That(module.Elements[0].Offset!.Instructions.Single().Opcode, Is.EqualTo(Opcode.GlobalGet));
        Assert.That(module.Elements[0].Items.Select(i => i.Instructions.Single().Index), Is.EqualTo(new uint[] { 1, 2 }));
        Assert.That(module.Elements[1].Items[1].Instructions.Single().Opcode, Is.EqualTo(Opcode.RefNull));

        Assert.That(module.DataCount, Is.EqualTo(2u));
        Assert.That(module.Data, Has.Count.EqualTo(2));
        Assert.That(module.Data[0].Mode, Is.EqualTo(SegmentMode.Active));
        Assert.That(module.Data[0].Offset!.Instructions.Single().I32, Is.EqualTo(16));
        Assert.That(module.Data[0].Data.ToArray(), Is.EqualTo("hello"u8.ToArray()));
        Assert.That(module.Data[1].Mode, Is.EqualTo(SegmentMode.Passive));
        Assert.That(module.Data[1].Offset, Is.Null);
        Assert.That(module.Data[1].Data.ToArray(), Is.EqualTo(new byte[] { 1, 2, 3 }));
    }

    [Test]
    public void DecodesBodiesWhoseRangesEndAtTheirFinalEnd()
    {
        var module = ModuleDecoder.Decode(SampleModules.Full);

        Assert.That(module.Bodies, Has.Count.EqualTo(3));
        Assert.That(module.Bodies[0].Locals, Is.EqualTo(new[] { ValueKind.Int64, ValueKind.Int64, ValueKind.Float32 }));
        Assert.That(module.Bodies[1].Locals, Is.Empty);
        foreach (var body in module.Bodies)
        {
            var reader = new InstructionReader(module.Bytes, body.CodeStart, body.CodeEnd);
            Instruction last = default;
            while (!reader.AtEnd) last = reader.Read();
            Assert.That(last.Opcode, Is.EqualTo(Opcode.End));
            Assert.That(last.Offset, Is.EqualTo(body.CodeEnd - 1));
        }
    }

    [Test]
    public void DecodesTheNameSectionAndKeepsCustomSections()
    {
        var module = ModuleDecoder.Decode(SampleModules.Full);

        Assert.That(module.ModuleName, Is.EqualTo("sample"));
        Assert.That(module.FunctionNames, Is.EqualTo(new Dictionary<uint, string> { [0] = "log", [1] = "add", [2] = "init", [3] = "fib" }));
        Assert.That(module.CustomSections.Single().Name, Is.EqualTo("name"));
        Assert.That(module.CustomSections.Single().PayloadEnd, Is.EqualTo(module.Bytes.Length));
        Assert.That(module.DescribeFunction(3), Is.EqualTo("fib"));
    }

    [Test]
    public void DecodesAClangModule()
    {
        var module = ModuleDecoder.Decode(SampleModules.Calc);

        Assert.That(module.Bodies, Has.Count.EqualTo(module.FunctionTypeIndices.Count));
        Assert.That(module.Exports.Select(e => e.Name), Does.Contain("apply").And.Contain("fact"));
        Assert.That(module.Memories, Has.Count.EqualTo(1));
        Assert.That(module.Elements.Single().Items, Has.Length.EqualTo(2));
        Assert.That(module.CustomSections.Single().Name, Is.EqualTo("producers"));
        Assert.That(System.Text.Encoding.UTF8.GetString(module.Data.Single().Data.Span), Does.Contain("hello, wasm"));
    }

    [Test]
    public void DecodesSimdInstructions()
    {
        var module = ModuleDecoder.Decode(SampleModules.Simd);

        Assert.That(module.Types[0].Results, Is.EqualTo(new[] { ValueKind.V128 }));
        Assert.That(module.Bodies, Has.Count.EqualTo(3));
    }

    [Test]
    public void DecodesAllEightElementSegmentEncodings()
    {
        byte[] refFunc0 = [0xD2, 0x00, 0x0B];
        var bytes = Module(
            VoidTypeSection,
            FunctionSection(1),
            Section(4, Vector([0x70, 0x00, 0x01])),
            Section(9, Vector(
                [0x00, 0x41, 0x01, 0x0B, .. Vector([0x00])],
                [0x01, 0x00, .. Vector([0x00], [0x00])],
                [0x02, 0x05, 0x41, 0x02, 0x0B, 0x00, .. Vector([0x00])],
                [0x03, 0x00, .. Vector([0x00])],
                [0x04, 0x41, 0x03, 0x0B, .. Vector(refFunc0)],
                [0x05, 0x6F, .. Vector([0xD0, 0x6F, 0x0B])],
                [0x06, 0x07, 0x41, 0x04, 0x0B, 0x70, .. Vector(refFunc0, [0xD0, 0x70, 0x0B])],
                [0x07, 0x70, .. Vector(refFunc0)])),
            Section(10, Vector(Body([0x00], 0x0B))));

        var elements = ModuleDecoder.Decode(bytes).Elements;

        Assert.That(elements.Select(e => (e.Mode, e.TableIndex, e.ElementKind, e.Items.Length)), Is.EqualTo(new[]
        {
            (SegmentMode.Active, 0u, ValueKind.FuncRef, 1),
            (SegmentMode.Passive, 0u, ValueKind.FuncRef, 2),
            (SegmentMode.Active, 5u, ValueKind.FuncRef, 1),
            (SegmentMode.Declarative, 0u, ValueKind.FuncRef, 1),
            (SegmentMode.Active, 0u, ValueKind.FuncRef, 1),
            (SegmentMode.Passive, 0u, ValueKind.ExternRef, 1),
            (SegmentMode.Active, 7u, ValueKind.FuncRef, 2),
            (SegmentMode.Declarative, 0u, ValueKind.FuncRef, 1),
        }));
        Assert.That(elements.Select(e => e.Offset?.Instructions.Single().I32), Is.EqualTo(new int?[] { 1, null, 2, null, 3, null, 4, null }));
        Assert.That(elements.SelectMany(e => e.Items).Select(i => i.Instructions.Single().Opcode).Distinct(),
            Is.EquivalentTo(new[] { Opcode.RefFunc, Opcode.RefNull }));
        Assert.That(elements[5].Items[0].Instructions[0].ValueType, Is.EqualTo(ValueKind.ExternRef));
        // A function index item is an expression at the index's offset.
        Assert.That(elements[0].Items[0].Offset, Is.EqualTo(elements[0].Items[0].Instructions[0].Offset));
    }

    [Test]
    public void DecodesAllThreeDataSegmentForms()
    {
        var bytes = Module(
            Section(5, Vector([0x00, 0x01])),
            Section(11, Vector(
                [0x00, 0x41, 0x08, 0x0B, .. Vector([0xAA])],
                [0x01, .. Vector([0xBB], [0xCC])],
                [0x02, 0x03, 0x41, 0x09, 0x0B, .. Vector()])));

        var data = ModuleDecoder.Decode(bytes).Data;

        Assert.That(data.Select(d => (d.Mode, d.MemoryIndex, d.Offset?.Instructions.Single().I32, d.Data.Length)), Is.EqualTo(new[]
        {
            (SegmentMode.Active, 0u, (int?)8, 1),
            (SegmentMode.Passive, 0u, (int?)null, 2),
            (SegmentMode.Active, 3u, (int?)9, 0),
        }));
        Assert.That(data[1].Data.ToArray(), Is.EqualTo(new byte[] { 0xBB, 0xCC }));
    }

    [Test]
    public void ExpandsLocalsAndLocatesTheCode()
    {
        byte[] locals = [0x03, 0x02, 0x7F, 0x00, 0x7E, 0x01, 0x7C];
        var bytes = Module(VoidTypeSection, FunctionSection(1), Section(10, Vector(Body(locals, 0x01, 0x0B))));
        int entryOffset = bytes.Length - 1 - locals.Length - 2;

        var body = ModuleDecoder.Decode(bytes).Bodies.Single();

        Assert.That(body.Locals, Is.EqualTo(new[] { ValueKind.Int32, ValueKind.Int32, ValueKind.Float64 }));
        Assert.That(body.ByteOffset, Is.EqualTo(entryOffset));
        Assert.That(body.CodeStart, Is.EqualTo(bytes.Length - 2));
        Assert.That(body.CodeEnd, Is.EqualTo(bytes.Length));
    }

    [Test]
    public void AcceptsTheMostLocals()
    {
        byte[] locals = [0x01, .. U32(FunctionBody.MaximumLocals), 0x7F];
        var bytes = Module(VoidTypeSection, FunctionSection(1), Section(10, Vector(Body(locals, 0x0B))));

        Assert.That(ModuleDecoder.Decode(bytes).Bodies.Single().Locals, Has.Length.EqualTo(FunctionBody.MaximumLocals));
    }

    [Test]
    public void KeepsConstantExpressionsWithoutTheirEnd()
    {
        // Not constant (the validator's concern), but well-formed: blocks nest inside.
        byte[] global = [0x7F, 0x00, 0x02, 0x40, 0x01, 0x0B, 0x41, 0x2A, 0x0B];
        var bytes = Module(Section(6, Vector(global)));

        var init = ModuleDecoder.Decode(bytes).Globals.Single().Initializer;

        Assert.That(init.Instructions.Select(i => i.Opcode), Is.EqualTo(new[] { Opcode.Block, Opcode.Nop, Opcode.End, Opcode.I32Const }));
        Assert.That(init.Offset, Is.EqualTo(bytes.Length - 7));
    }

    [Test]
    public void AcceptsCustomSectionsAnywhere()
    {
        var bytes = Module(
            Section(0, Name("first"), [1, 2]),
            VoidTypeSection,
            Section(0, Name("second")),
            FunctionSection(1),
            Section(0, Name("")),
            Section(10, Vector(Body([0x00], 0x0B))),
            Section(0, Name("last"), [3]));

        var sections = ModuleDecoder.Decode(bytes).CustomSections;

        Assert.That(sections.Select(s => (s.Name, s.PayloadEnd - s.PayloadStart)), Is.EqualTo(new[]
        {
            ("first", 2), ("second", 0), ("", 0), ("last", 1),
        }));
        Assert.That(bytes[sections[3].PayloadStart], Is.EqualTo(3));
    }

    [Test]
    public void AcceptsEmptyFunctionAndCodeSectionsAlone()
    {
        Assert.That(ModuleDecoder.Decode(Module(FunctionSection(0))).Bodies, Is.Empty);
        Assert.That(ModuleDecoder.Decode(Module(Section(10, Vector()))).Bodies, Is.Empty);
        Assert.That(ModuleDecoder.Decode(Module(Section(12, [0x00]))).DataCount, Is.EqualTo(0u));
    }

    [Test]
    public void DecodesWellFormedButInvalidModules()
    {
        // Each breaks a validation rule only: the decoder must not judge them.
        byte[][] modules =
        [
            SingleFunction(0x6A, 0x0B),                                   // i32.add on an empty stack
            SingleFunction(0x10, 0x63, 0x0B),                             // call of a missing function
            SingleFunction(0x1C, 0x02, 0x7F, 0x7F, 0x0B),                 // select with two types
            SingleFunctionWithMemory(0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xFC, 0x08, 0x00, 0x00, 0x0B), // memory.init without data count or data: an unknown segment
            Module(Section(6, Vector([0x7F, 0x00, 0x01, 0x0B]))),         // nop in a constant expression
            Module(Section(5, Vector([0x01, 0x05, 0x01]))),               // memory maximum below its minimum
            Module(Section(8, [0x07])),                                    // start function out of range
            Module(Section(7, Vector([.. Name("a"), 0x00, 0x00], [.. Name("a"), 0x00, 0x00]))), // duplicate export
        ];

        foreach (var bytes in modules) Assert.DoesNotThrow(() => ModuleDecoder.Decode(bytes), Convert.ToHexString(bytes));
    }

    [Test]
    public void ReadsFunctionNamesAfterOtherNameSubsections()
    {
        static byte[] Subsection(byte id, byte[] content) => [id, .. U32(content.Length), .. content];
        var names = Section(0, Name("name"),
            Subsection(0, Name("mod")),
            Subsection(1, Vector([0x00, .. Name("f")])),
            Subsection(2, [0x01, 0x00, 0x00]));

        var module = ModuleDecoder.Decode(Module(names));

        Assert.That(module.ModuleName, Is.EqualTo("mod"));
        Assert.That(module.FunctionNames, Is.EqualTo(new Dictionary<uint, string> { [0] = "f" }));
    }

    private static IEnumerable<TestCaseData> MalformedNameSections()
    {
        byte[] functionNames = Vector([0x00, .. Name("f")]);
        yield return new TestCaseData(Concat([0x01, 0x09], functionNames)).SetName("NameSubsectionPastTheSection");
        yield return new TestCaseData(new byte[] { 0x01, 0x04, 0x01, 0x00, 0x01, 0xFF }).SetName("NameWithMalformedUtf8");
        yield return new TestCaseData(new byte[] { 0x01, 0x03, 0x05, 0x00, 0x00 }).SetName("NameMapCountPastTheSubsection");
        yield return new TestCaseData(new byte[] { 0x01, 0x04, 0x01, 0x00, 0x00, 0x00 }).SetName("NameSubsectionNotFullyUsed");
        yield return new TestCaseData(new byte[] { 0x01, 0x01, 0x00, 0x00, 0x01, 0x00 }).SetName("NameSubsectionsOutOfOrder");
        yield return new TestCaseData(new byte[] { 0x01 }).SetName("NameSubsectionWithoutSize");
    }

    [TestCaseSource(nameof(MalformedNameSections))]
    public void IgnoresAMalformedNameSection(byte[] payload)
    {
        var module = ModuleDecoder.Decode(Module(Section(0, Name("name"), payload)));

        Assert.That(module.ModuleName, Is.Null);
        Assert.That(module.FunctionNames, Is.Empty);
        Assert.That(module.CustomSections.Single().Name, Is.EqualTo("name"));
    }
}
