using WasmKit.BinaryFormat;
using static WasmKit.Tests.BinaryFormat.WasmBytes;

namespace WasmKit.Tests.BinaryFormat;

/// <summary>Each malformed encoding raises <see cref="WasmFormatException"/> with the spec interpreter's wording.</summary>
public class MalformedModuleTests
{
    private static readonly byte[] Unterminated = [0x41, 0x01, 0x1A];

    private static IEnumerable<TestCaseData> Cases()
    {
        // Header.
        yield return Case("Empty", [], "unexpected end");
        yield return Case("TruncatedMagic", [0x00, 0x61, 0x73], "unexpected end");
        yield return Case("WrongMagic", [0x00, 0x61, 0x73, 0x6E, 0x01, 0x00, 0x00, 0x00], "magic header not detected");
        yield return Case("TruncatedVersion", [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00], "unexpected end");
        yield return Case("UnknownVersion", [0x00, 0x61, 0x73, 0x6D, 0x02, 0x00, 0x00, 0x00], "unknown binary version");

        // Section framing and order.
        yield return Case("SectionId13", Module([0x0D, 0x00]), "malformed section id");
        yield return Case("SectionIdWithHighBit", Module([0x81, 0x00]), "malformed section id");
        yield return Case("TruncatedSectionSize", Module([0x01]), "unexpected end");
        yield return Case("SectionSizePastTheEnd", Module([0x01, 0x05, 0x00]), "length out of bounds");
        yield return Case("SectionLongerThanItsContent", Module(Section(1, Vector([0x60, 0x00, 0x00]), [0x00])), "section size mismatch");
        yield return Case("SectionShorterThanItsContent", Module([0x01, 0x02, 0x01, 0x60, 0x00, 0x00]), "section size mismatch");
        yield return Case("RepeatedSection", Module(VoidTypeSection, VoidTypeSection), "unexpected content after last section");
        yield return Case("SectionsOutOfOrder", Module(FunctionSection(0), VoidTypeSection), "junk after last section");
        yield return Case("DataCountAfterCode", Module(Section(10, Vector()), Section(12, [0x00])), "junk after last section");
        yield return Case("DataBeforeDataCount", Module(Section(11, Vector()), Section(12, [0x00])), "junk after last section");

        // Integers.
        yield return Case("OverlongUnsigned", Module(Section(5, Vector([0x00, 0x82, 0x80, 0x80, 0x80, 0x80, 0x00]))), "integer representation too long");
        yield return Case("UnsignedTooLarge", Module(Section(5, Vector([0x00, 0x82, 0x80, 0x80, 0x80, 0x70]))), "integer too large");
        yield return Case("OverlongSigned", Module(Section(6, Vector([0x7F, 0x00, 0x41, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x0B]))), "integer representation too long");
        yield return Case("SignedTooLarge", Module(Section(6, Vector([0x7E, 0x00, 0x42, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0x0B]))), "integer too large");

        // Vector counts beyond the bytes must fail before anything is allocated.
        yield return Case("HugeTypeCount", Module([0x01, 0x05, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F]), "unexpected end");
        yield return Case("HugeParameterCount", Module(Section(1, Vector([0x60, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F]))), "unexpected end");
        yield return Case("HugeLocalGroupCount", Module(VoidTypeSection, FunctionSection(1), Section(10, Vector(Body([0xFF, 0xFF, 0xFF, 0xFF, 0x0F], 0x0B)))), "unexpected end");
        yield return Case("HugeBranchTableCount", SingleFunction(0x41, 0x00, 0x0E, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x0B), "unexpected end");
        yield return Case("HugeElementCount", Module(Section(9, Vector([0x01, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F]))), "unexpected end");

        // Locals.
        // 2^32 locals are malformed; fewer but over ImplementationLimits.MaxLocals is an implementation limit (ImplementationLimitTests).
        yield return Case("TooManyLocals", Module(VoidTypeSection, FunctionSection(1), Section(10, Vector(Body([0x02, .. U32(0x80000000), 0x7F, .. U32(0x80000000), 0x7E], 0x0B)))), "too many locals");
        yield return Case("LocalCountOverflowingUInt", Module(VoidTypeSection, FunctionSection(1), Section(10, Vector(Body([0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x7F, 0x02, 0x7E], 0x0B)))), "too many locals");
        yield return Case("LocalCountTooLarge", Module(VoidTypeSection, FunctionSection(1), Section(10, Vector(Body([0x01, 0x80, 0x80, 0x80, 0x80, 0x10, 0x7F], 0x0B)))), "integer too large");
        yield return Case("MalformedLocalType", Module(VoidTypeSection, FunctionSection(1), Section(10, Vector(Body([0x01, 0x01, 0x40], 0x0B)))), "malformed value type");

        // Names.
        yield return Case("MalformedUtf8ImportModule", Module(Section(2, Vector([0x02, 0xC0, 0x80, .. Name("f"), 0x00, 0x00]))), "malformed UTF-8 encoding");
        yield return Case("SurrogateInExportName", Module(Section(7, Vector([0x03, 0xED, 0xA0, 0x80, 0x00, 0x00]))), "malformed UTF-8 encoding");
        yield return Case("MalformedUtf8CustomSectionName", Module(Section(0, [0x01, 0xFF])), "malformed UTF-8 encoding");
        yield return Case("ExportNamePastTheEnd", Module(Section(7, Vector([0x09, 0x61]))), "length out of bounds");
        yield return Case("CustomSectionNamePastTheSection", Module([0x00, 0x01, 0x05], Section(1, Vector())), "length out of bounds");
        yield return Case("CustomSectionWithoutName", Module([0x00, 0x00]), "unexpected end");

        // Instructions.
        yield return Case("MemorySizeReservedByte", SingleFunctionWithMemory(0x3F, 0x01, 0x1A, 0x0B), "zero byte expected");
        yield return Case("MemoryGrowLongZero", SingleFunctionWithMemory(0x41, 0x00, 0x40, 0x80, 0x00, 0x1A, 0x0B), "zero byte expected");
        yield return Case("MemoryFillReservedByte", SingleFunctionWithMemory(0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xFC, 0x0B, 0x01, 0x0B), "zero byte expected");
        yield return Case("IllegalOpcode", SingleFunction(0xFF, 0x0B), "illegal opcode");
        yield return Case("IllegalMiscellaneousOpcode", SingleFunction(0xFC, 0x12, 0x0B), "illegal opcode");
        yield return Case("ElseOutsideIf", SingleFunction(0x05, 0x0B), "END opcode expected");
        yield return Case("ElseInBlock", SingleFunction(0x02, 0x40, 0x05, 0x0B, 0x0B), "END opcode expected");
        yield return Case("SecondElse", SingleFunction(0x41, 0x00, 0x04, 0x40, 0x05, 0x05, 0x0B, 0x0B), "END opcode expected");
        yield return Case("MissingEndAtEndOfModule", Module(VoidTypeSection, FunctionSection(1), Section(10, Vector(Body([0x00], Unterminated)))), "unexpected end of section or function");
        yield return Case("MissingEndOfBlock", SingleFunction(0x02, 0x40, 0x0B), "unexpected end of section or function");
        yield return Case("MissingEndBeforeNextFunction", Module(VoidTypeSection, FunctionSection(2), Section(10, Vector(Body([0x00], Unterminated), Body([0x00], 0x41, 0x01, 0x1A, 0x0B)))), "END opcode expected");
        yield return Case("MissingEndBeforeDataSection", Module(VoidTypeSection, FunctionSection(1), Section(10, Vector(Body([0x00], Unterminated))), Section(11, Vector([0x01, 0x00]))), "section size mismatch");
        yield return Case("CodeAfterFinalEnd", SingleFunction(0x0B, 0x01), "section size mismatch");
        yield return Case("IllegalOpcodeInElementExpression", Module(Section(9, Vector([0x05, 0x70, .. Vector([0xF3, 0x00, 0x0B])]))), "illegal opcode");
        yield return Case("ConstantExpressionWithoutEnd", Module([0x06, 0x04, 0x01, 0x7F, 0x00, 0x01]), "unexpected end");

        // Types.
        yield return Case("MalformedMutability", Module(Section(6, Vector([0x7F, 0x02, 0x41, 0x00, 0x0B]))), "malformed mutability");
        yield return Case("MalformedImportedMutability", Module(Section(2, Vector([.. Name("m"), .. Name("g"), 0x03, 0x7F, 0xFF]))), "malformed mutability");
        yield return Case("MalformedImportKind", Module(Section(2, Vector([0x00, 0x00, 0x04, 0x00]))), "malformed import kind");
        yield return Case("MalformedExportKind", Module(Section(7, Vector([.. Name("e"), 0x04, 0x00]))), "malformed export kind");
        yield return Case("MalformedTableReferenceType", Module(Section(4, Vector([0x7F, 0x00, 0x00]))), "malformed reference type");
        yield return Case("MalformedRefNullType", Module(Section(6, Vector([0x70, 0x00, 0xD0, 0x7F, 0x0B]))), "malformed reference type");
        yield return Case("MalformedElementReferenceType", Module(Section(9, Vector([0x05, 0x7F, .. Vector([0xD2, 0x00, 0x0B])]))), "malformed reference type");
        yield return Case("MalformedParameterType", Module(Section(1, Vector([0x60, 0x01, 0x40, 0x00]))), "malformed value type");
        yield return Case("MalformedGlobalType", Module(Section(6, Vector([0x7A, 0x00, 0x41, 0x00, 0x0B]))), "malformed value type");
        yield return Case("MalformedFunctionTypeForm", Module(Section(1, Vector([0x61, 0x00, 0x00]))), "malformed function type");
        yield return Case("FunctionTypeFormAsLeb", Module(Section(1, Vector([0xE0, 0x7F, 0x00, 0x00]))), "integer representation too long");
        yield return Case("LimitsFlags2", Module(Section(5, Vector([0x02, 0x00]))), "integer too large");
        yield return Case("LimitsFlagsAsLeb", Module(Section(5, Vector([0x81, 0x00, 0x00, 0x00]))), "integer representation too long");
        yield return Case("TableLimitsFlags", Module(Section(4, Vector([0x70, 0x03, 0x00, 0x00]))), "integer too large");

        // Segments.
        yield return Case("MalformedElementKind", Module(Section(9, Vector([0x01, 0x01, .. Vector()]))), "malformed element kind");
        yield return Case("ElementFlags8", Module(Section(9, Vector([0x08, 0x00]))), "malformed elements segment kind");
        yield return Case("DataFlags3", Module(Section(5, Vector([0x00, 0x01])), Section(11, Vector([0x03, 0x00]))), "malformed data segment kind");
        yield return Case("DataPastTheEnd", Module([0x0B, 0x07, 0x01, 0x00, 0x41, 0x00, 0x0B, 0x05, 0x61]), "unexpected end of section or function");

        // Counts that must agree.
        yield return Case("FunctionsWithoutCode", Module(VoidTypeSection, FunctionSection(2)), "function and code section have inconsistent lengths");
        yield return Case("CodeWithoutFunctions", Module(Section(10, Vector(Body([0x00], 0x0B)))), "function and code section have inconsistent lengths");
        yield return Case("MoreFunctionsThanBodies", Module(VoidTypeSection, FunctionSection(2), Section(10, Vector(Body([0x00], 0x0B)))), "function and code section have inconsistent lengths");
        yield return Case("MoreBodiesThanFunctions", Module(VoidTypeSection, FunctionSection(1), Section(10, Vector(Body([0x00], 0x0B), Body([0x00], 0x0B)))), "function and code section have inconsistent lengths");
        yield return Case("DataCountWithoutData", Module(Section(12, [0x01])), "data count and data section have inconsistent lengths");
        yield return Case("DataCountAboveData", Module(Section(12, [0x03]), Section(11, Vector([0x01, 0x00], [0x01, 0x00]))), "data count and data section have inconsistent lengths");
        yield return Case("DataCountBelowData", Module(Section(12, [0x01]), Section(11, Vector([0x01, 0x00], [0x01, 0x00]))), "data count and data section have inconsistent lengths");

        // Bulk memory names data segments in code only with a data count section (binary.wast: "data count section required").
        yield return Case("DataDropWithoutDataCount", Module(VoidTypeSection, FunctionSection(1), Section(5, Vector([0x00, 0x01])),
            Section(10, Vector(Body([0x00], 0xFC, 0x09, 0x00, 0x0B))), Section(11, Vector([0x01, 0x00]))), "data count section required");
        yield return Case("MemoryInitWithoutDataCount", Module(VoidTypeSection, FunctionSection(1), Section(5, Vector([0x00, 0x01])),
            Section(10, Vector(Body([0x00], 0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xFC, 0x08, 0x00, 0x00, 0x0B))), Section(11, Vector([0x01, 0x00]))),
            "data count section required");
    }

    private static TestCaseData Case(string name, byte[] bytes, string reason) => new TestCaseData(bytes, reason).SetName(name);

    [TestCaseSource(nameof(Cases))]
    public void RaisesWasmFormatException(byte[] bytes, string reason)
    {
        var error = Assert.Throws<WasmFormatException>(() => ModuleDecoder.Decode(bytes));
        Assert.That(error!.Reason, Does.Contain(reason));
        Assert.That(error.Offset, Is.InRange(0L, (long)bytes.Length));
        Assert.That(error.Message, Does.Contain($"0x{error.Offset:x}"));
    }

    [Test]
    public void ReportsTheOffsetOfTheBadByte()
    {
        var bytes = SingleFunction(0x01, 0xFF, 0x0B);

        var error = Assert.Throws<WasmFormatException>(() => ModuleDecoder.Decode(bytes));

        Assert.That(error!.Offset, Is.EqualTo(bytes.Length - 2));
    }

    [Test]
    public void ReportsTheOffsetOfAnUnknownSection()
    {
        var bytes = Module(VoidTypeSection, [0x0E, 0x00]);

        var error = Assert.Throws<WasmFormatException>(() => ModuleDecoder.Decode(bytes));

        Assert.That(error!.Offset, Is.EqualTo(bytes.Length - 2));
    }

    [Test]
    public void ModuleFromBytesRaisesTheFormatError()
    {
        using var engine = new Engine();

        Assert.Throws<WasmFormatException>(() => WasmKit.Module.FromBytes(engine, Module([0x0D, 0x00])));
    }
}
