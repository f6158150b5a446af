using WasmKit.Components;

namespace WasmKit.Tests.Components;

public class ComponentManifestTests
{
    private const string Valid = """
        {
          "name": "string-distance", "version": "1.0.0", "description": "Fuzzy text matching",
          "capabilities": ["wasmkit"],
          "limits": { "memoryPages": 4, "fuel": 1000000, "timeoutMs": 100 },
          "udfs": [
            { "name": "string_distance", "export": "string_distance", "version": "1.2.0-beta.1",
              "description": "Keeps close matches", "category": "text", "tags": ["fuzzy", "text"], "author": "WasmKit team",
              "parameters": [ { "name": "field", "type": "string", "required": true },
                              { "name": "target", "type": "string" },
                              { "name": "max_distance", "type": "i32", "required": false, "default": 3 } ],
              "returns": ["bool"] },
            { "name": "plain", "returns": "f64" }
          ]
        }
        """;

    [Test]
    public void ParsesEveryField()
    {
        var manifest = ComponentManifest.Parse(Valid, "x.json");
        Assert.That((manifest.Name, manifest.Version, manifest.Description), Is.EqualTo(("string-distance", "1.0.0", "Fuzzy text matching")));
        Assert.That(manifest.Capabilities, Is.EqualTo(new[] { "wasmkit" }));
        Assert.That(manifest.Limits, Is.EqualTo(new ManifestLimits { MemoryPages = 4, Fuel = 1_000_000, TimeoutMs = 100 }));
        Assert.That(manifest.Udfs, Has.Count.EqualTo(2));
        var udf = manifest.Udfs[0];
        Assert.That((udf.Name, udf.Export, udf.Version, udf.Category, udf.Author), Is.EqualTo(("string_distance", "string_distance", "1.2.0-beta.1", "text", "WasmKit team")));
        Assert.That(udf.Tags, Is.EqualTo(new[] { "fuzzy", "text" }));
        Assert.That(udf.Returns, Is.EqualTo(new[] { "bool" }));
        Assert.That(udf.Parameters.Select(p => (p.Name, p.Type, p.Required)), Is.EqualTo(new[] { ("field", "string", true), ("target", "string", true), ("max_distance", "i32", false) }));
        Assert.That(udf.Parameters[2].Default!.Value.GetInt32(), Is.EqualTo(3));
        Assert.That(udf.Parameters[0].Default, Is.Null);
        var plain = manifest.Udfs[1];
        Assert.That((plain.Export, plain.Version, plain.Returns.Single()), Is.EqualTo(("plain", "1.0.0", "f64")), "defaults: export = name, version = the component's");
    }

    [Test]
    public void MissingCapabilitiesDefaultToWasmkit() =>
        Assert.That(ComponentManifest.Parse("""{ "name": "a", "version": "0.1.0" }""").Capabilities, Is.EqualTo(new[] { "wasmkit" }));

    [TestCase("""{ "name": 'a', "version": "1.0.0" }""", null)]
    [TestCase("""{ "name": "a", "version": "1.0.0" """, null)]
    [TestCase("""[1, 2]""", null)]
    [TestCase("""{ "version": "1.0.0" }""", "name")]
    [TestCase("""{ "name": 5, "version": "1.0.0" }""", "name")]
    [TestCase("""{ "name": "has space", "version": "1.0.0" }""", "name")]
    [TestCase("""{ "name": "a" }""", "version")]
    [TestCase("""{ "name": "a", "version": "1.0" }""", "version")]
    [TestCase("""{ "name": "a", "version": "01.0.0" }""", "version")]
    [TestCase("""{ "name": "a", "version": "v1.0.0" }""", "version")]
    [TestCase("""{ "name": "a", "version": "1.0.0", "capabilities": "wasmkit" }""", "capabilities")]
    [TestCase("""{ "name": "a", "version": "1.0.0", "capabilities": ["wasmkit", 3] }""", "capabilities[1]")]
    [TestCase("""{ "name": "a", "version": "1.0.0", "limits": { "memoryPages": 0 } }""", "limits.memoryPages")]
    [TestCase("""{ "name": "a", "version": "1.0.0", "limits": { "fuel": -5 } }""", "limits.fuel")]
    [TestCase("""{ "name": "a", "version": "1.0.0", "limits": { "timeoutMs": 1.5 } }""", "limits.timeoutMs")]
    [TestCase("""{ "name": "a", "version": "1.0.0", "udfs": {} }""", "udfs")]
    [TestCase("""{ "name": "a", "version": "1.0.0", "udfs": [ { "export": "f" } ] }""", "udfs[0].name")]
    [TestCase("""{ "name": "a", "version": "1.0.0", "udfs": [ { "name": "f" }, { "name": "f" } ] }""", "udfs[1].name")]
    [TestCase("""{ "name": "a", "version": "1.0.0", "udfs": [ { "name": "f", "version": "x" } ] }""", "udfs[0].version")]
    [TestCase("""{ "name": "a", "version": "1.0.0", "udfs": [ { "name": "f", "parameters": [ { "name": "p", "type": "text" } ] } ] }""", "udfs[0].parameters[0].type")]
    [TestCase("""{ "name": "a", "version": "1.0.0", "udfs": [ { "name": "f", "parameters": [ { "name": "p" } ] } ] }""", "udfs[0].parameters[0].type")]
    [TestCase("""{ "name": "a", "version": "1.0.0", "udfs": [ { "name": "f", "parameters": [ { "type": "i32" } ] } ] }""", "udfs[0].parameters[0].name")]
    [TestCase("""{ "name": "a", "version": "1.0.0", "udfs": [ { "name": "f", "parameters": [ { "name": "p", "type": "i32" }, { "name": "p", "type": "i64" } ] } ] }""", "udfs[0].parameters[1].name")]
    [TestCase("""{ "name": "a", "version": "1.0.0", "udfs": [ { "name": "f", "parameters": [ { "name": "p", "type": "i32", "default": "three" } ] } ] }""", "udfs[0].parameters[0].default")]
    [TestCase("""{ "name": "a", "version": "1.0.0", "udfs": [ { "name": "f", "parameters": [ { "name": "p", "type": "i32", "required": "no" } ] } ] }""", "udfs[0].parameters[0].required")]
    [TestCase("""{ "name": "a", "version": "1.0.0", "udfs": [ { "name": "f", "returns": ["bool", "i32"] } ] }""", "udfs[0].returns")]
    [TestCase("""{ "name": "a", "version": "1.0.0", "udfs": [ { "name": "f", "returns": ["decimal"] } ] }""", "udfs[0].returns[0]")]
    [TestCase("""{ "name": "a", "version": "1.0.0", "udfs": [ { "name": "f", "tags": [""] } ] }""", "udfs[0].tags[0]")]
    public void ErrorsNameTheFileAndTheField(string json, string? field)
    {
        var error = Assert.Throws<ComponentLoadException>(() => ComponentManifest.Parse(json, "/plugins/a.json"))!;
        Assert.That(error.FilePath, Is.EqualTo("/plugins/a.json"));
        Assert.That(error.Field, Is.EqualTo(field));
        Assert.That(error.Message, Does.StartWith("/plugins/a.json: "));
        if (field is not null) Assert.That(error.Message, Does.Contain($"'{field}'"));
        Assert.That(error, Is.InstanceOf<WasmException>());
    }

    [TestCase("1.0.0", true)]
    [TestCase("0.0.1-alpha.1+build.5", true)]
    [TestCase("10.20.30", true)]
    [TestCase("1.0.0-01", false)]
    [TestCase("1.0", false)]
    [TestCase("1.0.0.0", false)]
    [TestCase("", false)]
    public void SemanticVersions(string version, bool valid) =>
        Assert.That(ComponentManifest.IsSemanticVersion(version), Is.EqualTo(valid));
}
