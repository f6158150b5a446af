using System.Text.Json;
using WasmKit.Tests.Support;
using WasmKit.Udf;

namespace WasmKit.Tests.Documents;

/// <summary>Every host function, on the document as a JsonElement and as an IndexedDocument: the guest sees the same.</summary>
[TestFixtureSource(nameof(Sources))]
public class DocumentHostFunctionsTests(BackendFixture fixture, bool indexed)
{
    /// <summary>Every backend (and the managed engine's general bodies), each on both kinds of document.</summary>
    public static IEnumerable<TestFixtureData> Sources =>
        from data in BackendFixtures.WithGeneralHostFunctions
        from indexed in new[] { false, true }
        let fixture = (BackendFixture)data.Arguments[0]!
        select new TestFixtureData(fixture, indexed).SetArgDisplayNames(fixture.Name, indexed ? "indexed" : "element");

    private const string Product = """
        {
          "id": "p1", "product_name": "iPhone 15", "price": 799.5, "stock": 12, "big": 9007199254740993,
          "in_stock": true, "discontinued": false, "gone": null,
          "tags": ["phone", "apple", "caf\u00e9 \"quoted\""],
          "specs": { "display": { "size_in": 6.1, "type": "OLED" },
                     "dims": [ { "axis": "h", "mm": 147.6 }, { "axis": "w", "mm": 71.6 }, { "axis": "d", "mm": 7.8, "w": 3 } ] }
        }
        """;

    private DocumentProbe _probe = null!;

    [SetUp]
    public void SetUp()
    {
        _probe = new DocumentProbe(fixture) { UseIndex = indexed };
        _probe.SetDocument(Product, "doc-42", 1.25);
    }

    [Test]
    public void StringsOnNestedAndArrayPaths()
    {
        Assert.That(_probe.String("product_name"), Is.EqualTo((DocumentStatus.Ok, "iPhone 15", 9)));
        Assert.That(_probe.String("specs.display.type").Value, Is.EqualTo("OLED"));
        Assert.That(_probe.String("tags[1]").Value, Is.EqualTo("apple"));
        Assert.That(_probe.String("specs.dims[2].axis").Value, Is.EqualTo("d"));
    }

    [Test]
    public void EscapedStringsAreUnescaped()
    {
        var (status, value, length) = _probe.String("tags[2]");
        Assert.That(status, Is.EqualTo(DocumentStatus.Ok));
        Assert.That(value, Is.EqualTo("café \"quoted\""));
        Assert.That(length, Is.EqualTo(System.Text.Encoding.UTF8.GetByteCount("café \"quoted\"")));
    }

    [Test]
    public void LoneSurrogatesReadAsReplacementCharacters()
    {
        // Valid JSON, but no valid UTF-16 or UTF-8: each lone half reads as U+FFFD; a proper pair stays one character.
        _probe.SetDocument("""{"lone": "a\ud800b", "low": "\udc00", "pair": "\ud83d\ude00", "tail": "x\ud800", "n": 1}""");
        Assert.That(_probe.String("lone"), Is.EqualTo((DocumentStatus.Ok, "a\uFFFDb", 5)));
        Assert.That(_probe.String("low").Value, Is.EqualTo("\uFFFD"));
        Assert.That(_probe.String("pair").Value, Is.EqualTo("\U0001F600"));
        Assert.That(_probe.String("tail").Value, Is.EqualTo("x\uFFFD"));
        Assert.That(_probe.String("lone", capacity: 2).Status, Is.EqualTo(DocumentStatus.BufferTooSmall));
        Assert.That(_probe.Int64("n"), Is.EqualTo((DocumentStatus.Ok, 1L)));
    }

    [Test]
    public void ALoneSurrogateInAPropertyNameLeavesTheOtherFieldsReadable()
    {
        _probe.SetDocument("""{"bad\ud800": "x", "name": "ok", "price": 5, "nested": {"\udfff": 1, "k": "v"}}""");
        Assert.That(_probe.String("name").Value, Is.EqualTo("ok"));
        Assert.That(_probe.Int64("price"), Is.EqualTo((DocumentStatus.Ok, 5L)));
        Assert.That(_probe.String("nested.k").Value, Is.EqualTo("v"));
        Assert.That(_probe.String("missing").Status, Is.EqualTo(DocumentStatus.NotFound));
    }

    [Test]
    public void TooSmallBuffersReportTheLengthNeededAndWriteNothing()
    {
        _probe.Memory.GetSpan(DocumentProbe.BufferAddress, 16).Fill(0xAA);
        var (status, _, length) = _probe.String("product_name", capacity: 4);
        Assert.That(status, Is.EqualTo(DocumentStatus.BufferTooSmall));
        Assert.That(length, Is.EqualTo(9));
        Assert.That(_probe.Memory.GetSpan(DocumentProbe.BufferAddress, 16).ToArray(), Is.All.EqualTo(0xAA));

        // Escaped: the unescaped length (14 bytes) is reported, not the escaped one.
        (status, _, length) = _probe.String("tags[2]", capacity: 3);
        Assert.That((status, length), Is.EqualTo((DocumentStatus.BufferTooSmall, 14)));
        Assert.That(_probe.String("tags[2]", capacity: 14).Value, Is.EqualTo("café \"quoted\""));
        Assert.That(_probe.String("product_name", capacity: 9).Value, Is.EqualTo("iPhone 15"));
    }

    [Test]
    public void Numbers()
    {
        Assert.That(_probe.Int64("stock"), Is.EqualTo((DocumentStatus.Ok, 12L)));
        Assert.That(_probe.Int64("big"), Is.EqualTo((DocumentStatus.Ok, 9007199254740993L)));
        Assert.That(_probe.Int64("specs.dims[2].w"), Is.EqualTo((DocumentStatus.Ok, 3L)));
        Assert.That(_probe.Int64("price").Status, Is.EqualTo(DocumentStatus.WrongType), "not integral");
        Assert.That(_probe.Int64("product_name").Status, Is.EqualTo(DocumentStatus.WrongType));
        Assert.That(_probe.Float64("price"), Is.EqualTo((DocumentStatus.Ok, 799.5)));
        Assert.That(_probe.Float64("stock"), Is.EqualTo((DocumentStatus.Ok, 12.0)));
        Assert.That(_probe.Float64("specs.dims[0].mm"), Is.EqualTo((DocumentStatus.Ok, 147.6)));
        Assert.That(_probe.Float64("specs.display").Status, Is.EqualTo(DocumentStatus.WrongType));
        Assert.That(_probe.Float64("tags").Status, Is.EqualTo(DocumentStatus.WrongType));
    }

    [Test]
    public void BoolsHasFieldAndArrayLengths()
    {
        Assert.That(_probe.Bool("in_stock"), Is.EqualTo(1));
        Assert.That(_probe.Bool("discontinued"), Is.EqualTo(0));
        Assert.That(_probe.Bool("price"), Is.EqualTo((int)DocumentStatus.WrongType));
        Assert.That(_probe.HasField("specs.dims[2].w"), Is.EqualTo(1));
        Assert.That(_probe.HasField("specs.dims[1].w"), Is.EqualTo(0));
        Assert.That(_probe.HasField("gone"), Is.EqualTo(0), "null counts as missing");
        Assert.That(_probe.HasField("specs..x"), Is.EqualTo((int)DocumentStatus.BadPath));
        Assert.That(_probe.Length("tags"), Is.EqualTo(3));
        Assert.That(_probe.Length("specs.dims"), Is.EqualTo(3));
        Assert.That(_probe.Length("specs"), Is.EqualTo((int)DocumentStatus.WrongType));
    }

    [TestCase("nope")]
    [TestCase("specs.nope")]
    [TestCase("tags[3]")]
    [TestCase("specs.dims[7].mm")]
    [TestCase("gone")]
    public void MissingFieldsAreNotFoundForEveryGetter(string path)
    {
        Assert.That(_probe.String(path).Status, Is.EqualTo(DocumentStatus.NotFound));
        Assert.That(_probe.Int64(path).Status, Is.EqualTo(DocumentStatus.NotFound));
        Assert.That(_probe.Float64(path).Status, Is.EqualTo(DocumentStatus.NotFound));
        Assert.That(_probe.Bool(path), Is.EqualTo((int)DocumentStatus.NotFound));
        Assert.That(_probe.Length(path), Is.EqualTo((int)DocumentStatus.NotFound));
    }

    [Test]
    public void WrongTypesAreReported()
    {
        Assert.That(_probe.String("price").Status, Is.EqualTo(DocumentStatus.WrongType));
        Assert.That(_probe.String("specs").Status, Is.EqualTo(DocumentStatus.WrongType));
        Assert.That(_probe.String("in_stock").Status, Is.EqualTo(DocumentStatus.WrongType));
        Assert.That(_probe.Bool("product_name"), Is.EqualTo((int)DocumentStatus.WrongType));
    }

    [Test]
    public void BadPathsAreReported()
    {
        Assert.That(_probe.String("tags[x]").Status, Is.EqualTo(DocumentStatus.BadPath));
        Assert.That(_probe.Int64("").Status, Is.EqualTo(DocumentStatus.BadPath));
        Assert.That(_probe.Float64("specs.").Status, Is.EqualTo(DocumentStatus.BadPath));
    }

    [TestCase(-1, 4)]
    [TestCase(65530, 10)]
    [TestCase(65536, 1)]
    [TestCase(0, -1)]
    [TestCase(int.MaxValue, 2)]
    [TestCase(int.MinValue, 8)]
    public void BadPathPointersAreStatusesNotExceptions(int pointer, int length)
    {
        Assert.That(_probe.GetString(pointer, length, DocumentProbe.BufferAddress, 16, DocumentProbe.OutAddress), Is.EqualTo((int)DocumentStatus.BadPointer));
        Assert.That(_probe.GetInt64(pointer, length, DocumentProbe.OutAddress), Is.EqualTo((int)DocumentStatus.BadPointer));
        Assert.That(_probe.GetFloat64(pointer, length, DocumentProbe.OutAddress), Is.EqualTo((int)DocumentStatus.BadPointer));
        Assert.That(_probe.GetBool(pointer, length), Is.EqualTo((int)DocumentStatus.BadPointer));
        Assert.That(_probe.Has(pointer, length), Is.EqualTo((int)DocumentStatus.BadPointer));
        Assert.That(_probe.ArrayLength(pointer, length), Is.EqualTo((int)DocumentStatus.BadPointer));
        Assert.That(_probe.Log(pointer, length), Is.EqualTo((int)DocumentStatus.BadPointer));
    }

    [Test]
    public void BadOutputPointersAreStatuses()
    {
        int length = _probe.WritePath("product_name");
        const int p = DocumentProbe.PathAddress;
        Assert.That(_probe.GetString(p, length, 65530, 16, DocumentProbe.OutAddress), Is.EqualTo((int)DocumentStatus.BadPointer));
        Assert.That(_probe.GetString(p, length, -5, 16, DocumentProbe.OutAddress), Is.EqualTo((int)DocumentStatus.BadPointer));
        Assert.That(_probe.GetString(p, length, DocumentProbe.BufferAddress, -1, DocumentProbe.OutAddress), Is.EqualTo((int)DocumentStatus.BadPointer));
        Assert.That(_probe.GetString(p, length, DocumentProbe.BufferAddress, 16, 65533), Is.EqualTo((int)DocumentStatus.BadPointer));
        length = _probe.WritePath("stock");
        Assert.That(_probe.GetInt64(p, length, 65529), Is.EqualTo((int)DocumentStatus.BadPointer));
        Assert.That(_probe.GetFloat64(p, length, -8), Is.EqualTo((int)DocumentStatus.BadPointer));
        Assert.That(_probe.GetInt64(p, length, 65528), Is.EqualTo(0), "the last 8 bytes are in bounds");
        Assert.That(_probe.GetId(65535, 8, 0), Is.EqualTo((int)DocumentStatus.BadPointer));
        Assert.That(_probe.GetId(0, 8, 65534), Is.EqualTo((int)DocumentStatus.BadPointer));
    }

    [Test]
    public void DocumentIdScoreAndLog()
    {
        Assert.That(_probe.GetId(DocumentProbe.BufferAddress, 32, DocumentProbe.OutAddress), Is.Zero);
        Assert.That(_probe.Memory.ReadString(DocumentProbe.BufferAddress, _probe.Memory.Read<int>(DocumentProbe.OutAddress)), Is.EqualTo("doc-42"));
        Assert.That(_probe.GetId(DocumentProbe.BufferAddress, 2, DocumentProbe.OutAddress), Is.EqualTo((int)DocumentStatus.BufferTooSmall));
        Assert.That(_probe.Memory.Read<int>(DocumentProbe.OutAddress), Is.EqualTo(6));
        Assert.That(_probe.Score(), Is.EqualTo(1.25));

        var messages = new List<string>();
        _probe.Context.Log = messages.Add;
        int length = _probe.WritePath("hello from the guest");
        Assert.That(_probe.Log(DocumentProbe.PathAddress, length), Is.Zero);
        Assert.That(messages, Is.EqualTo(new[] { "hello from the guest" }));

        _probe.SetDocument("{}", id: null);
        Assert.That(_probe.GetId(DocumentProbe.BufferAddress, 32, DocumentProbe.OutAddress), Is.EqualTo((int)DocumentStatus.NotFound));
        Assert.That(_probe.Score(), Is.Zero);
    }

    [Test]
    public void WithoutADocumentEverythingSaysNoDocument()
    {
        _probe.Context.Clear();
        Assert.That(_probe.String("product_name").Status, Is.EqualTo(DocumentStatus.NoDocument));
        Assert.That(_probe.HasField("product_name"), Is.EqualTo((int)DocumentStatus.NoDocument));
        Assert.That(_probe.GetId(DocumentProbe.BufferAddress, 32, DocumentProbe.OutAddress), Is.EqualTo((int)DocumentStatus.NoDocument));
        Assert.That(_probe.Score(), Is.Zero);

        var foreign = new DocumentProbe(fixture, hostState: "not a context");
        Assert.That(foreign.Int64("stock").Status, Is.EqualTo(DocumentStatus.NoDocument));
        Assert.That(foreign.Log(DocumentProbe.PathAddress, 1), Is.EqualTo((int)DocumentStatus.NoDocument));
    }

    [Test]
    public void SetDocumentRejectsAnUndefinedElement() =>
        Assert.That(() => new DocumentContext().SetDocument(default(JsonElement)), Throws.ArgumentException);

    [Test]
    public void FieldReadsFromTheGuestAllocateNothing()
    {
        int stringPath = _probe.WritePath("specs.display.type");
        void ReadString()
        {
            for (int i = 0; i < 1000; i++)
                _probe.GetString(DocumentProbe.PathAddress, stringPath, DocumentProbe.BufferAddress, 64, DocumentProbe.OutAddress);
        }
        // The first rounds warm every path (lazily bound stubs, first-call work of the runtime); only the
        // steady state is measured, which is what "nothing allocated per call" promises.
        ReadString();
        long before = GC.GetAllocatedBytesForCurrentThread();
        ReadString();
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero, "get_field_string");

        int numberPath = _probe.WritePath("specs.dims[2].mm");
        void ReadNumbers()
        {
            for (int i = 0; i < 1000; i++)
            {
                _probe.GetFloat64(DocumentProbe.PathAddress, numberPath, DocumentProbe.OutAddress);
                _probe.GetInt64(DocumentProbe.PathAddress, numberPath, DocumentProbe.OutAddress);
                _probe.Has(DocumentProbe.PathAddress, numberPath);
                _probe.Score();
            }
        }
        ReadNumbers();
        before = GC.GetAllocatedBytesForCurrentThread();
        ReadNumbers();
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero, "numbers, has_field, get_score");
    }

    [Test]
    public void HostWritesAreUndoneByAReset()
    {
        var probe = new DocumentProbe(fixture) { UseIndex = indexed };
        probe.SetDocument(Product);
        Assert.That(probe.String("product_name").Value, Is.EqualTo("iPhone 15"));
        Assert.That(probe.Instance.Reset(), Is.True);
        Assert.That(probe.Memory.GetSpan(DocumentProbe.BufferAddress, 9).ToArray(), Is.All.Zero);
        Assert.That(probe.Memory.Read<int>(DocumentProbe.OutAddress), Is.Zero);

        Assert.That(probe.GetFloat64(DocumentProbe.PathAddress, probe.WritePath("price"), DocumentProbe.OutAddress), Is.Zero);
        Assert.That(probe.Memory.Read<double>(DocumentProbe.OutAddress), Is.EqualTo(799.5));
        Assert.That(probe.Instance.Reset(), Is.True);
        Assert.That(probe.Memory.Read<double>(DocumentProbe.OutAddress), Is.Zero);
    }

    [Test]
    public void EveryFixturePathReadsAsFieldPathFindsIt()
    {
        using var json = Components.UdfFixtures.Documents();
        int compared = 0;
        foreach (var element in json.RootElement.EnumerateArray())
        {
            _probe.SetDocument(element.GetRawText());
            foreach (var path in IndexedDocumentTests.AllPaths(element, "").Concat(["nope", "tags[01]", "tags[99]"]))
            {
                var status = FieldPath.Resolve(element, System.Text.Encoding.UTF8.GetBytes(path), out var value);
                bool isNumber = status == DocumentStatus.Ok && value.ValueKind == JsonValueKind.Number;
                var expectedInt = status != DocumentStatus.Ok ? (status, 0L)
                    : isNumber && value.TryGetInt64(out long integer) ? (DocumentStatus.Ok, integer) : (DocumentStatus.WrongType, 0L);
                var expectedDouble = status != DocumentStatus.Ok ? (status, 0.0)
                    : isNumber && value.TryGetDouble(out double number) ? (DocumentStatus.Ok, number) : (DocumentStatus.WrongType, 0.0);
                Assert.That(_probe.Int64(path), Is.EqualTo(expectedInt), $"get_field_int64 '{path}'");
                Assert.That(_probe.Float64(path), Is.EqualTo(expectedDouble), $"get_field_float64 '{path}'");
                compared++;
            }
        }
        Assert.That(compared, Is.GreaterThan(1000));
    }

    [Test]
    public void CallsThroughATableOrFromTheHostStillFindTheirCaller()
    {
        const string text = """
            (module
              (import "wasmkit" "get_field_int64" (func $gi (param i32 i32 i32) (result i32)))
              (export "get_field_int64" (func $gi))
              (type $read (func (param i32 i32 i32) (result i32)))
              (table 1 funcref)
              (elem (i32.const 0) $gi)
              (memory (export "memory") 1)
              (data (i32.const 16) "stock")
              (func (export "read") (result i32)
                (call_indirect (type $read) (i32.const 16) (i32.const 5) (i32.const 8) (i32.const 0))))
            """;
        var engine = new Engine();
        var linker = new Linker(engine);
        DocumentHostFunctions.Define(linker);
        var context = new DocumentContext();
        var store = new Store(engine) { Data = context };
        var instance = linker.Instantiate(store, Module.FromBytes(engine, Support.Wat.ToWasm(text)));
        context.SetDocument(IndexedDocument.Parse(Product));
        Assert.That(instance.GetFunction<int>("read")!(), Is.Zero);
        Assert.That(instance.GetMemory("memory")!.Read<long>(8), Is.EqualTo(12));

        // Called by the host there is no calling instance, so no memory for the path: a status, not an exception.
        var direct = instance.GetFunction("get_field_int64")!;
        Assert.That(direct.Invoke(16, 5, 8), Is.EqualTo((int)DocumentStatus.BadPointer));
        Assert.That(instance.GetFunction<int, int, int, int>("get_field_int64")!(16, 5, 8), Is.EqualTo((int)DocumentStatus.BadPointer));
    }

    [Test]
    public void ContextFindsFieldsForTheHost()
    {
        var context = new DocumentContext();
        Assert.That(context.TryGetField("a", out _), Is.EqualTo(DocumentStatus.NoDocument));
        context.SetDocument(JsonDocument.Parse(Product).RootElement, "x", 2);
        Assert.That(context.TryGetField("specs.dims[1].mm", out var value), Is.EqualTo(DocumentStatus.Ok));
        Assert.That(value.GetDouble(), Is.EqualTo(71.6));
        Assert.That((context.DocumentId, context.Score, context.HasDocument), Is.EqualTo(("x", 2.0, true)));
        Assert.That(context.TryReset(), Is.True);
        Assert.That((context.DocumentId, context.Score, context.HasDocument), Is.EqualTo(((string?)null, 0.0, false)));
    }
}
