using WasmKit.Backends;
using WasmKit.Components;
using WasmKit.Tests.Support;

namespace WasmKit.Tests.Components;

[TestFixtureSource(typeof(BackendFixtures), nameof(BackendFixtures.All))]
public class ComponentLoaderTests(BackendFixture fixture)
{
    private const string Adder = """
        (module
          (import "wasmkit" "get_score" (func $score (result f64)))
          (memory (export "memory") 1)
          (func (export "wasmkit_alloc") (param i32) (result i32) (i32.const 1024))
          (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
          (func (export "version") (result i32) (i32.const VERSION))
          (func (export "shout") (param i32 i32) (result i64) (i64.const 0)))
        """;

    private const string AdderManifest = """
        { "name": "adder", "version": "VERSION.0.0", "capabilities": ["wasmkit"],
          "udfs": [ { "name": "add", "parameters": [ { "name": "a", "type": "i32" }, { "name": "b", "type": "i32" } ], "returns": ["i32"] },
                    { "name": "shout", "parameters": [ { "name": "text", "type": "string" } ], "returns": ["string"] } ] }
        """;

    private DirectoryInfo _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("wasmkit-components-");

    [TearDown]
    public void TearDown() => _directory.Delete(recursive: true);

    private static byte[] AdderWasm(int version) => Wat.ToWasm(Adder.Replace("VERSION", version.ToString()));

    private string Write(string name, byte[] wasm, string? manifest)
    {
        string path = Path.Combine(_directory.FullName, name + ".wasm");
        File.WriteAllBytes(path, wasm);
        if (manifest is not null) File.WriteAllText(Path.Combine(_directory.FullName, name + ".json"), manifest);
        return path;
    }

    [Test]
    public void LoadsTheUdfFixtures()
    {
        var loader = fixture.CreateLoader();
        var components = loader.LoadDirectory(UdfFixtures.Directory);
        Assert.That(components.Select(c => c.Name), Is.EqualTo(new[] { "custom-score", "json-filter", "string-distance" }));
        Assert.That(components.All(c => c.Version == "1.0.0" && c.Manifest is not null && c.FilePath!.EndsWith(".wasm")), Is.True);
        Assert.That(components.SelectMany(c => c.Udfs).Select(u => u.Name),
            Is.EquivalentTo(new[] { "custom_score", "path_compare", "path_equals", "array_contains", "string_distance", "levenshtein", "normalize" }));
        Assert.That(loader.Components, Is.EqualTo(components));
        Assert.That(components[2].ManifestPath, Does.EndWith("string_distance.json"));
        Assert.That(components[2].ContentHash, Is.EqualTo(components[2].BackendModule.ContentHash));
    }

    [Test]
    public void TheSameBytesCompileOnce()
    {
        var loader = fixture.CreateLoader();
        byte[] wasm = AdderWasm(1);
        var first = loader.LoadBytes(wasm, name: "adder");
        var second = loader.LoadBytes(wasm, name: "adder");
        Assert.That(second.BackendModule, Is.SameAs(first.BackendModule));
        Assert.That(second.ContentHash, Is.EqualTo(first.ContentHash));
        Assert.That(loader.LoadBytes(AdderWasm(2), name: "adder").BackendModule, Is.Not.SameAs(first.BackendModule));
        Assert.That(first.Name, Is.EqualTo("adder"));
        Assert.That(first.Version, Is.Null);
    }

    [Test]
    public void LoadFileReadsTheManifestBeside()
    {
        string path = Write("adder", AdderWasm(1), AdderManifest.Replace("VERSION", "1"));
        var loader = fixture.CreateLoader();
        var component = loader.LoadFile(path);
        Assert.That((component.Name, component.Version), Is.EqualTo(("adder", "1.0.0")));
        Assert.That(component.Udfs.Select(u => u.Name), Is.EqualTo(new[] { "add", "shout" }));
        Assert.That(loader.LoadFile(path), Is.SameAs(component), "unchanged files are not loaded again");

        string bare = Write("bare", AdderWasm(1), null);
        var withoutManifest = loader.LoadFile(bare);
        Assert.That((withoutManifest.Name, withoutManifest.Manifest, withoutManifest.Udfs.Count), Is.EqualTo(("bare", (ComponentManifest?)null, 0)));
    }

    [Test]
    public void AChangedFileLoadsAsANewVersionAndTheOldKeepsWorking()
    {
        string path = Write("adder", AdderWasm(1), AdderManifest.Replace("VERSION", "1"));
        var loader = fixture.CreateLoader();
        var old = loader.LoadDirectory(_directory.FullName).Single();
        var instanceOptions = new BackendInstanceOptions { Imports = new BackendImports { HostFunctions = fixture.DocumentFunctions } };
        using var running = old.BackendModule.Instantiate(instanceOptions);

        Assert.That(loader.Refresh().HasChanges, Is.False);

        Write("adder", AdderWasm(2), AdderManifest.Replace("VERSION", "2"));
        Write("extra", AdderWasm(3), null);
        var changes = loader.Refresh();
        Assert.That(changes.Errors, Is.Empty);
        Assert.That(changes.Added.Select(c => c.Name), Is.EqualTo(new[] { "extra" }));
        var update = changes.Updated.Single();
        Assert.That(update.Previous, Is.SameAs(old));
        Assert.That((update.Current.Name, update.Current.Version), Is.EqualTo(("adder", "2.0.0")));
        Assert.That(update.Current.BackendModule, Is.Not.SameAs(old.BackendModule));
        Assert.That(loader.Components, Does.Contain(update.Current).And.Not.Contain(old));

        // The old version is untouched: its module and running instance still work.
        Assert.That(old.BackendModule.GetInvoker("version")!.Invoke(running, []), Is.EqualTo(1UL));
        Assert.That(old.Version, Is.EqualTo("1.0.0"));
        using var again = old.BackendModule.Instantiate(instanceOptions);
        Assert.That(old.BackendModule.GetInvoker("version")!.Invoke(again, []), Is.EqualTo(1UL));

        // A manifest-only change is a change too.
        File.WriteAllText(Path.ChangeExtension(path, ".json"), AdderManifest.Replace("VERSION", "2").Replace("\"adder\"", "\"adder-renamed\""));
        Assert.That(loader.Refresh().Updated.Single().Current.Name, Is.EqualTo("adder-renamed"));

        File.Delete(path);
        changes = loader.Refresh();
        Assert.That(changes.Removed.Select(c => c.Name), Is.EqualTo(new[] { "adder-renamed" }));
        Assert.That(loader.Components.Select(c => c.Name), Is.EqualTo(new[] { "extra" }));
    }

    [Test]
    public void ABrokenUpdateKeepsThePreviousVersion()
    {
        string path = Write("adder", AdderWasm(1), AdderManifest.Replace("VERSION", "1"));
        var loader = fixture.CreateLoader();
        var old = loader.LoadDirectory(_directory.FullName).Single();
        File.WriteAllText(Path.ChangeExtension(path, ".json"), "{ \"name\": \"adder\", \"version\": \"two\" }");
        var changes = loader.Refresh();
        Assert.That(changes.HasChanges, Is.False);
        var error = changes.Errors.Single();
        Assert.That((error.FilePath, error.Field), Is.EqualTo((Path.ChangeExtension(path, ".json"), "version")));
        Assert.That(loader.Components.Single(), Is.SameAs(old));
    }

    [Test]
    public void ExportsTheManifestNamesMustExist()
    {
        string path = Write("adder", AdderWasm(1), AdderManifest.Replace("VERSION", "1").Replace("\"name\": \"shout\"", "\"name\": \"shout\", \"export\": \"yell\""));
        var error = Assert.Throws<ComponentLoadException>(() => fixture.CreateLoader().LoadFile(path))!;
        Assert.That((error.FilePath, error.Field), Is.EqualTo((Path.ChangeExtension(path, ".json"), "udfs[1].export")));
        Assert.That(error.Message, Does.Contain("yell"));
    }

    [Test]
    public void SignaturesMustMatchTheDeclaredTypes()
    {
        string manifest = AdderManifest.Replace("VERSION", "1").Replace("{ \"name\": \"b\", \"type\": \"i32\" }", "{ \"name\": \"b\", \"type\": \"f64\" }");
        string path = Write("adder", AdderWasm(1), manifest);
        var error = Assert.Throws<ComponentLoadException>(() => fixture.CreateLoader().LoadFile(path))!;
        Assert.That(error.Field, Is.EqualTo("udfs[0].parameters"));
        Assert.That(error.Message, Does.Contain("add"));
    }

    [Test]
    public void ImportsMustBeDeclaredCapabilities()
    {
        string path = Write("adder", AdderWasm(1), AdderManifest.Replace("VERSION", "1").Replace("[\"wasmkit\"]", "[\"wasi_snapshot_preview1\"]"));
        var error = Assert.Throws<ComponentLoadException>(() => fixture.CreateLoader().LoadFile(path))!;
        Assert.That(error.Field, Is.EqualTo("capabilities"));
        Assert.That(error.Message, Does.Contain("'wasmkit'.'get_score'"));
    }

    [Test]
    public void StringParametersNeedTheAllocator()
    {
        byte[] wasm = Wat.ToWasm("""(module (memory (export "memory") 1) (func (export "len") (param i32 i32) (result i32) (local.get 1)))""");
        var manifest = ComponentManifest.Parse("""{ "name": "m", "version": "1.0.0", "udfs": [ { "name": "len", "parameters": [ { "name": "s", "type": "string" } ], "returns": ["i32"] } ] }""");
        var error = Assert.Throws<ComponentLoadException>(() => fixture.CreateLoader().LoadBytes(wasm, manifest))!;
        Assert.That((error.FilePath, error.Field), Is.EqualTo(((string?)null, "udfs[0].parameters")));
        Assert.That(error.Message, Does.Contain("wasmkit_alloc"));
    }

    [Test]
    public void MemoryAboveTheLimitIsRejected()
    {
        string path = Write("adder", AdderWasm(1), AdderManifest.Replace("VERSION", "1").Replace("\"capabilities\"", "\"limits\": { \"memoryPages\": 1 }, \"capabilities\""));
        Assert.That(fixture.CreateLoader().LoadFile(path).Manifest!.Limits!.MemoryPages, Is.EqualTo(1));
        byte[] big = Wat.ToWasm("""(module (memory (export "memory") 3))""");
        var manifest = ComponentManifest.Parse("""{ "name": "m", "version": "1.0.0", "limits": { "memoryPages": 2 } }""");
        var error = Assert.Throws<ComponentLoadException>(() => fixture.CreateLoader().LoadBytes(big, manifest))!;
        Assert.That(error.Field, Is.EqualTo("limits.memoryPages"));
    }

    [Test]
    public void MalformedModulesNameTheFile()
    {
        string path = Write("junk", [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00, 0x01, 0xFF], null);
        var error = Assert.Throws<ComponentLoadException>(() => fixture.CreateLoader().LoadFile(path))!;
        Assert.That((error.FilePath, error.Field), Is.EqualTo((path, (string?)null)));
        Assert.That(error.InnerException, Is.InstanceOf<WasmFormatException>());
    }

    [Test]
    public void MalformedManifestJsonNamesTheManifest()
    {
        string path = Write("adder", AdderWasm(1), "{ \"name\": ");
        var error = Assert.Throws<ComponentLoadException>(() => fixture.CreateLoader().LoadFile(path))!;
        Assert.That((error.FilePath, error.Field), Is.EqualTo((Path.ChangeExtension(path, ".json"), (string?)null)));
        Assert.That(error.Message, Does.Contain("malformed JSON"));
    }

    [Test]
    public void LoadDirectoryStopsAtTheFirstBadFile()
    {
        Write("a_good", AdderWasm(1), null);
        Write("b_bad", AdderWasm(1), "{ \"name\": \"b\", \"version\": \"1.0.0\", \"udfs\": [ { \"name\": \"nope\" } ] }");
        var loader = fixture.CreateLoader();
        var error = Assert.Throws<ComponentLoadException>(() => loader.LoadDirectory(_directory.FullName))!;
        Assert.That(error.FilePath, Does.EndWith("b_bad.json"));
        Assert.That(error.Field, Is.EqualTo("udfs[0].export"));
        Assert.That(() => loader.LoadDirectory(Path.Combine(_directory.FullName, "missing")), Throws.TypeOf<DirectoryNotFoundException>());
    }
}
