using WasmKit.Backends;
using WasmKit.Tests.Support;
using WasmKit.Udf;
using static WasmKit.Tests.Udf.UdfTestModules;

namespace WasmKit.Tests.Udf;

[TestFixtureSource(typeof(BackendFixtures), nameof(BackendFixtures.All))]
public class UdfValidationTests(BackendFixture fixture)
{
    private UdfRegistry _registry = null!;
    private IBackendModule _module = null!;

    [SetUp]
    public void SetUp()
    {
        _registry = fixture.CreateRegistry();
        _module = Load(_registry);
    }

    [TearDown]
    public void TearDown() => _registry.Dispose();

    private static UdfMetadata Add => Metadata("add", "add", [UdfType.I32], new UdfParameter("a", UdfType.I32), new UdfParameter("b", UdfType.I32, false, 1));

    private UdfValidationException Reject(UdfMetadata metadata, IBackendModule? module = null) =>
        Assert.Throws<UdfValidationException>(() => _registry.Register(metadata, module ?? _module))!;

    private static void AssertError(UdfValidationException error, string udf, string field, string problemPart)
    {
        Assert.That(error.UdfName, Is.EqualTo(udf));
        Assert.That(error.Field, Is.EqualTo(field));
        Assert.That(error.Problem, Does.Contain(problemPart));
        Assert.That(error.Message, Does.Contain($"'{udf}'").And.Contain(field));
    }

    [TestCase("", "required")]
    [TestCase("1abc", "must start with a letter")]
    [TestCase("has space", "contains ' '")]
    [TestCase("semi;colon", "contains ';'")]
    public void MalformedNames(string name, string problem) =>
        AssertError(Reject(Add with { Name = name }), name, "name", problem);

    [Test]
    public void OverlongName() =>
        AssertError(Reject(Add with { Name = new string('a', 129) }), new string('a', 129), "name", "longer than 128");

    [Test]
    public void DottedNamesAreAllowed() => Assert.DoesNotThrow(() => _registry.Register(Add with { Name = "math.add-v_2" }, _module));

    [TestCase("", "version is required")]
    [TestCase("1.0", "MAJOR.MINOR.PATCH")]
    [TestCase("01.0.0", "malformed number")]
    [TestCase("1.0.0-", "malformed prerelease")]
    [TestCase("1.0.0+", "malformed build")]
    public void MalformedVersions(string version, string problem) =>
        AssertError(Reject(Add with { Version = version }), "add", "version", problem);

    [Test]
    public void MissingExport() =>
        AssertError(Reject(Add with { ExportName = "subtract" }), "add", "export", "no export named 'subtract'");

    [Test]
    public void ExportNameDefaultsToTheUdfName()
    {
        AssertError(Reject(Add with { Name = "plus", ExportName = "" }), "plus", "export", "no export named 'plus'");
        Assert.DoesNotThrow(() => _registry.Register(Add with { ExportName = "" }, _module));
    }

    [Test]
    public void ExportThatIsNotAFunction()
    {
        AssertError(Reject(Add with { ExportName = "memory" }), "add", "export", "is a memory, not a function");
        AssertError(Reject(Add with { ExportName = "counter" }), "add", "export", "is a global, not a function");
    }

    [Test]
    public void ParameterCountMismatch() =>
        AssertError(Reject(Add with { Parameters = [new UdfParameter("a", UdfType.I32)] }), "add", "export", "need (func (param i32) (result i32))");

    [Test]
    public void ParameterTypeMismatch() =>
        AssertError(Reject(Add with { Parameters = [new UdfParameter("a", UdfType.I64), new UdfParameter("b", UdfType.I32)] }), "add", "export", "has WebAssembly type");

    [Test]
    public void ReturnTypeMismatch()
    {
        AssertError(Reject(Add with { Returns = [UdfType.F64] }), "add", "export", "returns (f64)");
        AssertError(Reject(Add with { Returns = [] }), "add", "export", "has WebAssembly type");
    }

    [Test]
    public void BoolAndStringMapToTheirWasmTypes()
    {
        Assert.DoesNotThrow(() => _registry.Register(Metadata("not", "not", [UdfType.Bool], new UdfParameter("x", UdfType.Bool)), _module));
        Assert.DoesNotThrow(() => _registry.Register(Metadata("echo", "echo", [UdfType.String], new UdfParameter("text", UdfType.String)), _module));
        // A string is two i32 values, so one string parameter does not fit (i32, i32, i32).
        AssertError(Reject(Metadata("concat_len", "concat_len", [UdfType.I32], new UdfParameter("a", UdfType.String), new UdfParameter("b", UdfType.I32))),
            "concat_len", "export", "need (func (param i32 i32 i32) (result i32))");
    }

    [Test]
    public void StringParametersNeedTheAllocExport()
    {
        using var registry = fixture.CreateRegistry();
        var module = registry.Backend.Compile(WithoutAllocBytes);
        var error = Assert.Throws<UdfValidationException>(() =>
            registry.Register(Metadata("length", "length", [UdfType.I32], new UdfParameter("text", UdfType.String)), module))!;
        AssertError(error, "length", "wasmkit_alloc", "string parameters need the export wasmkit_alloc(i32) -> i32");
    }

    [Test]
    public void RequiredParameterWithDefault() =>
        AssertError(Reject(Add with { Parameters = [new UdfParameter("a", UdfType.I32, true, 5), new UdfParameter("b", UdfType.I32)] }),
            "add", "parameters[0].default", "required parameter 'a' cannot have a default");

    [Test]
    public void OptionalParameterWithoutDefault() =>
        AssertError(Reject(Add with { Parameters = [new UdfParameter("a", UdfType.I32), new UdfParameter("b", UdfType.I32, false)] }),
            "add", "parameters[1].default", "optional parameter 'b' needs a default value");

    [TestCase("three", "\"three\" (string) is not a valid i32")]
    [TestCase(3.5, "3.5 (Double) is not a valid i32")]
    [TestCase(5_000_000_000L, "5000000000 (Int64) is not a valid i32")]
    [TestCase(true, "is not a valid i32")]
    public void DefaultOfTheWrongType(object value, string problem) =>
        AssertError(Reject(Add with { Parameters = [new UdfParameter("a", UdfType.I32), new UdfParameter("b", UdfType.I32, false, value)] }),
            "add", "parameters[1].default", problem);

    [Test]
    public void LosslessDefaultsAreAccepted()
    {
        Assert.DoesNotThrow(() => _registry.Register(Add with { Parameters = [new UdfParameter("a", UdfType.I32), new UdfParameter("b", UdfType.I32, false, 7L)] }, _module));
        Assert.DoesNotThrow(() => _registry.Register(Metadata("weighted", "weighted", [UdfType.F64], new UdfParameter("w", UdfType.F64, false, 2)), _module));
    }

    [Test]
    public void DuplicateParameterNames() =>
        AssertError(Reject(Add with { Parameters = [new UdfParameter("a", UdfType.I32), new UdfParameter("a", UdfType.I32)] }),
            "add", "parameters[1].name", "declared twice");

    [TestCase("", "required")]
    [TestCase("a.b", "contains '.'")]
    [TestCase("9lives", "must start with a letter")]
    public void MalformedParameterNames(string name, string problem) =>
        AssertError(Reject(Add with { Parameters = [new UdfParameter(name, UdfType.I32), new UdfParameter("b", UdfType.I32)] }),
            "add", "parameters[0].name", problem);

    [Test]
    public void UndefinedTypes()
    {
        AssertError(Reject(Add with { Parameters = [new UdfParameter("a", (UdfType)42), new UdfParameter("b", UdfType.I32)] }),
            "add", "parameters[0].type", "42 is not a UDF type");
        AssertError(Reject(Add with { Returns = [(UdfType)9] }), "add", "returns[0]", "9 is not a UDF type");
    }

    [Test]
    public void EmptyTag() => AssertError(Reject(Add with { Tags = ["ok", " "] }), "add", "tags[1]", "must not be empty");

    [Test]
    public void NullLists()
    {
        AssertError(Reject(Add with { Parameters = null! }), "add", "parameters", "must not be null");
        AssertError(Reject(Add with { Returns = null! }), "add", "returns", "must not be null");
        AssertError(Reject(Add with { Tags = null! }), "add", "tags", "must not be null");
    }

    [Test]
    public void ModuleFromAnotherEngine()
    {
        var foreign = fixture.CreateBackend().Compile(Bytes);
        AssertError(Reject(Add, foreign), "add", "module", "another engine");
    }

    [Test]
    public void ManagedModuleFromAnotherEngine()
    {
        fixture.RequireManaged("Register(UdfMetadata, Module) takes the managed engine's module");
        using var engine = new Engine(new EngineOptions { ResettableInstances = true });
        var foreign = Module.FromBytes(engine, Bytes);
        AssertError(Assert.Throws<UdfValidationException>(() => _registry.Register(Add, foreign))!, "add", "module", "another engine");
    }

    [Test]
    public void ValidationErrorsAreArgumentExceptions() => Assert.That(Reject(Add with { Name = "" }), Is.InstanceOf<ArgumentException>());
}
