using System.Text.Json;
using WasmKit.Components;
using WasmKit.Tests.Components;
using WasmKit.Udf;

namespace WasmKit.Tests.Udf;

/// <summary>Loader refreshes applied to the registry: new, changed and deleted component files.</summary>
public class UdfRefreshTests
{
    private DirectoryInfo _directory = null!;
    private UdfRegistry _registry = null!;
    private ComponentLoader _loader = null!;
    private JsonElement[] _documents = null!;

    private static readonly Dictionary<string, object?> Cheap = new() { ["path"] = "price", ["op"] = "<", ["value"] = 1000.0 };

    [SetUp]
    public void SetUp()
    {
        _directory = Directory.CreateTempSubdirectory("wasmkit-refresh-");
        File.Copy(UdfFixtures.Path("json_filter.wasm"), Wasm("json_filter"));
        File.Copy(UdfFixtures.Path("json_filter.json"), Manifest("json_filter"));
        _registry = new UdfRegistry();
        _loader = new ComponentLoader(_registry.Engine);
        foreach (var component in _loader.LoadDirectory(_directory.FullName)) _registry.Register(component);
        using var json = UdfFixtures.Documents();
        _documents = json.RootElement.EnumerateArray().Select(e => e.Clone()).ToArray();
    }

    [TearDown]
    public void TearDown()
    {
        _registry.Dispose();
        _directory.Delete(recursive: true);
    }

    private string Wasm(string name) => Path.Combine(_directory.FullName, name + ".wasm");

    private string Manifest(string name) => Path.Combine(_directory.FullName, name + ".json");

    private int ExpectedCheap => _documents.Count(d => d.GetProperty("price").GetDouble() < 1000);

    [Test]
    public void ANewManifestVersionReplacesTheOldOne()
    {
        File.WriteAllText(Manifest("json_filter"), File.ReadAllText(Manifest("json_filter")).Replace(
            "\"name\": \"path_compare\", \"export\": \"path_compare\", \"version\": \"1.0.0\"",
            "\"name\": \"path_compare\", \"export\": \"path_compare\", \"version\": \"1.1.0\""));
        var result = _registry.Refresh(_loader);
        Assert.That(result.RegistrationErrors, Is.Empty);
        Assert.That(result.Registered.Select(m => $"{m.Name}@{m.Version}"), Does.Contain("path_compare@1.1.0"));
        Assert.That(result.Unregistered.Select(m => $"{m.Name}@{m.Version}"), Does.Contain("path_compare@1.0.0"));
        Assert.That(_registry.Get("path_compare", "1.0.0"), Is.Null);
        Assert.That(_registry.GetLatest("path_compare")!.Version, Is.EqualTo("1.1.0"));
        Assert.That(_registry.Filter("path_compare", null, _documents, Cheap), Has.Count.EqualTo(ExpectedCheap));
        // The other UDFs of the file are registered again, unchanged.
        Assert.That(_registry.Get("path_equals", "1.0.0"), Is.Not.Null);
    }

    [Test]
    public void ChangedBytesSwapTheModuleWhileABatchIsRunning()
    {
        var many = Enumerable.Range(0, 20_000).Select(i => _documents[i % _documents.Length]).ToArray();
        int expected = many.Count(d => d.GetProperty("price").GetDouble() < 1000);
        var batch = Task.Run(() => _registry.Filter("path_compare", "1.0.0", many, Cheap).Count);
        // New bytes, same code: a custom section appended makes it another module.
        File.WriteAllBytes(Wasm("json_filter"), [.. File.ReadAllBytes(Wasm("json_filter")), 0x00, 0x03, 0x01, (byte)'x', 0x00]);
        var result = _registry.Refresh(_loader);
        Assert.That(result.RegistrationErrors, Is.Empty);
        Assert.That(result.Registered, Has.Count.EqualTo(3));
        Assert.That(result.Unregistered, Has.Count.EqualTo(3));
        Assert.That(batch.Result, Is.EqualTo(expected), "the batch that was running finishes on the old module");
        Assert.That(_registry.Filter("path_compare", "1.0.0", _documents, Cheap), Has.Count.EqualTo(ExpectedCheap));
    }

    [Test]
    public void DeletedFilesUnregisterTheirUdfs()
    {
        File.Delete(Wasm("json_filter"));
        var result = _registry.Refresh(_loader);
        Assert.That(result.Unregistered.Select(m => m.Name), Is.EquivalentTo(new[] { "path_compare", "path_equals", "array_contains" }));
        Assert.That(_registry.List(), Is.Empty);
        Assert.That(_registry.Refresh(_loader).Registered, Is.Empty);
    }

    [Test]
    public void AConflictingNewComponentIsReportedAndTheOldStays()
    {
        File.Copy(UdfFixtures.Path("json_filter.wasm"), Wasm("copy"));
        File.Copy(UdfFixtures.Path("json_filter.json"), Manifest("copy"));
        var result = _registry.Refresh(_loader);
        var error = result.RegistrationErrors.Single();
        Assert.That((error.UdfName, error.Field), Is.EqualTo(("path_compare", "version")));
        Assert.That(result.Registered, Is.Empty);
        Assert.That(_registry.List(), Has.Count.EqualTo(3));
        Assert.That(_registry.Filter("path_compare", null, _documents, Cheap), Has.Count.EqualTo(ExpectedCheap));
    }

    [Test]
    public void LoadErrorsArePassedThrough()
    {
        File.WriteAllText(Manifest("json_filter"), "{ \"name\": \"json-filter\", \"version\": \"two\" }");
        var result = _registry.Refresh(_loader);
        Assert.That(result.LoadErrors.Single().Field, Is.EqualTo("version"));
        Assert.That(_registry.List(), Has.Count.EqualTo(3));
    }
}
