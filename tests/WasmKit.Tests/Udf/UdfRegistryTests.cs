using WasmKit.Backends;
using WasmKit.Tests.Support;
using WasmKit.Udf;
using static WasmKit.Tests.Udf.UdfTestModules;

namespace WasmKit.Tests.Udf;

[TestFixtureSource(typeof(BackendFixtures), nameof(BackendFixtures.All))]
public class UdfRegistryTests(BackendFixture fixture)
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

    private UdfMetadata Add(string version, string name = "add", string category = "math", string author = "Ada", params string[] tags) =>
        Metadata(name, "add", [UdfType.I32], new UdfParameter("a", UdfType.I32), new UdfParameter("b", UdfType.I32, false, 1)) with
        {
            Version = version,
            Category = category,
            Author = author,
            Tags = tags,
        };

    [Test]
    public void RegisterGetAndList()
    {
        var metadata = Add("1.0.0");
        Assert.That(_registry.Register(metadata, _module), Is.SameAs(metadata));
        Assert.That(_registry.Get("add", "1.0.0"), Is.SameAs(metadata));
        Assert.That(_registry.Get("add", "1.0.0+build.7"), Is.SameAs(metadata));
        Assert.That(_registry.Get("add", "2.0.0"), Is.Null);
        Assert.That(_registry.Get("other", "1.0.0"), Is.Null);
        Assert.That(_registry.Get("add", "not a version"), Is.Null);
        Assert.That(_registry.List(), Is.EqualTo(new[] { metadata }));
    }

    [Test]
    public void ListIsOrderedByNameThenVersion()
    {
        _registry.Register(Add("1.10.0"), _module);
        _registry.Register(Add("1.9.0"), _module);
        _registry.Register(Add("1.0.0", name: "aaa"), _module);
        Assert.That(_registry.List().Select(m => m.ToString()), Is.EqualTo(new[] { "aaa@1.0.0", "add@1.9.0", "add@1.10.0" }));
        Assert.That(_registry.GetVersions("add").Select(v => v.ToString()), Is.EqualTo(new[] { "1.9.0", "1.10.0" }));
    }

    [Test]
    public void LatestFollowsSemverPrecedence()
    {
        _registry.Register(Add("1.2.0"), _module);
        _registry.Register(Add("1.10.0"), _module);
        _registry.Register(Add("2.0.0-beta.1"), _module);
        _registry.Register(Add("1.10.0-rc.1"), _module);
        Assert.That(_registry.GetLatest("add")!.Version, Is.EqualTo("2.0.0-beta.1"));
        Assert.That(_registry.GetLatest("add", includePrerelease: false)!.Version, Is.EqualTo("1.10.0"));
        Assert.That(_registry.GetLatest("missing"), Is.Null);
    }

    [Test]
    public void DuplicateNameAndVersionIsRejected()
    {
        _registry.Register(Add("1.0.0"), _module);
        var error = Assert.Throws<UdfValidationException>(() => _registry.Register(Add("1.0.0"), _module))!;
        Assert.That(error.UdfName, Is.EqualTo("add"));
        Assert.That(error.Field, Is.EqualTo("version"));
        Assert.That(error.Message, Does.Contain("already registered"));
        // Build metadata does not make a new version.
        Assert.Throws<UdfValidationException>(() => _registry.Register(Add("1.0.0+other"), _module));
        Assert.DoesNotThrow(() => _registry.Register(Add("1.0.1"), _module));
    }

    [Test]
    public void UnregisterRemovesOneVersion()
    {
        _registry.Register(Add("1.0.0"), _module);
        _registry.Register(Add("1.1.0"), _module);
        Assert.That(_registry.Unregister("add", "1.1.0"), Is.True);
        Assert.That(_registry.Unregister("add", "1.1.0"), Is.False);
        Assert.That(_registry.Unregister("add", "bad"), Is.False);
        Assert.That(_registry.GetLatest("add")!.Version, Is.EqualTo("1.0.0"));
        Assert.That(_registry.Call("add", null, Document("{}"), new Dictionary<string, object?> { ["a"] = 1 }).AsInt32(), Is.EqualTo(2));
        Assert.That(_registry.Unregister("add", "1.0.0"), Is.True);
        Assert.That(_registry.List(), Is.Empty);
        Assert.Throws<UdfNotFoundException>(() => _registry.Call("add", null, Document("{}")));
        // The module can be registered again after its pool closed.
        _registry.Register(Add("1.0.0"), _module);
        Assert.That(_registry.Call("add", "1.0.0", Document("{}"), new Dictionary<string, object?> { ["a"] = 4 }).AsInt32(), Is.EqualTo(5));
    }

    [Test]
    public void QueriesByTagCategoryAndAuthor()
    {
        _registry.Register(Add("1.0.0", name: "one", category: "math", author: "Ada", tags: ["fast", "Numbers"]), _module);
        _registry.Register(Add("1.0.0", name: "two", category: "text", author: "Grace", tags: ["numbers"]), _module);
        _registry.Register(Add("2.0.0", name: "two", category: "text", author: "grace", tags: []), _module);
        Assert.That(_registry.FindByTag("numbers").Select(m => m.Name), Is.EqualTo(new[] { "one", "two" }));
        Assert.That(_registry.FindByTag("fast").Select(m => m.Name), Is.EqualTo(new[] { "one" }));
        Assert.That(_registry.FindByCategory("TEXT").Select(m => m.ToString()), Is.EqualTo(new[] { "two@1.0.0", "two@2.0.0" }));
        Assert.That(_registry.FindByAuthor("ada").Select(m => m.Name), Is.EqualTo(new[] { "one" }));
        Assert.That(_registry.FindByAuthor("Grace"), Has.Count.EqualTo(2));
        Assert.That(_registry.FindByTag("none"), Is.Empty);
        Assert.That(_registry.Query(m => m.Version.StartsWith('2')).Single().Name, Is.EqualTo("two"));
    }

    [Test]
    public void CallsPickTheRequestedOrLatestVersion()
    {
        _registry.Register(Add("1.0.0"), _module);
        _registry.Register(Add("1.1.0") with { ExportName = "add", Parameters = [new UdfParameter("a", UdfType.I32), new UdfParameter("b", UdfType.I32, false, 100)] }, _module);
        var args = new Dictionary<string, object?> { ["a"] = 1 };
        Assert.That(_registry.Call("add", "1.0.0", Document("{}"), args).AsInt32(), Is.EqualTo(2));
        Assert.That(_registry.Call("add", null, Document("{}"), args).AsInt32(), Is.EqualTo(101));
        Assert.Throws<UdfNotFoundException>(() => _registry.Call("add", "3.0.0", Document("{}"), args));
    }

    [Test]
    public void RegistryNeedsAResettableEngine()
    {
        fixture.RequireManaged("the registry's Engine constructor");
        Assert.Throws<ArgumentException>(() => new UdfRegistry(new Engine()));
        using var engine = new Engine(new EngineOptions { ResettableInstances = true });
        using var registry = new UdfRegistry(engine);
        Assert.That(registry.Engine, Is.SameAs(engine));
    }

    [Test]
    public void DisposedRegistryRefusesRegistration()
    {
        _registry.Dispose();
        Assert.Throws<ObjectDisposedException>(() => _registry.Register(Add("1.0.0"), _module));
    }
}
