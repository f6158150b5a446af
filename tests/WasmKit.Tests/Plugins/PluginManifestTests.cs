using System.Text;
using WasmKit.Plugins;

namespace WasmKit.Tests.Plugins;

/// <summary>Plugin manifests are hostile input: every field is checked and every error names it.</summary>
public sealed class PluginManifestTests
{
    private static PluginManifest Parse(string json) => PluginManifest.Parse(Encoding.UTF8.GetBytes(json), "test.json");

    [Test]
    public void AFullManifestParses()
    {
        var manifest = Parse("""
            {
              // comments and trailing commas are allowed
              "name": "render", "version": "1.2.3-beta.1", "description": "d",
              "capabilities": ["db_query"],
              "limits": { "fuel": 1000, "timeoutMs": 20, "memoryPages": 4 },
              "taps": [
                { "name": "item_view", "read": ["title", "body"], "weight": -3 },
                { "name": "item_presave", "export": "presave", "read": ["*"], "write": ["slug"] },
              ]
            }
            """);
        Assert.That((manifest.Name, manifest.Version, manifest.Description), Is.EqualTo(("render", "1.2.3-beta.1", "d")));
        Assert.That(manifest.Capabilities, Is.EqualTo(new[] { "db_query" }));
        Assert.That(manifest.Limits, Is.EqualTo(new PluginLimits { Fuel = 1000, TimeoutMs = 20, MemoryPages = 4 }));
        Assert.That(manifest.Taps[0].Export, Is.EqualTo("item_view"), "the export defaults to the tap's name");
        Assert.That(manifest.Taps[0].Weight, Is.EqualTo(-3));
        Assert.That(manifest.Taps[1].ReadsAllFields, Is.True);
        Assert.That(manifest.Taps[1].Write, Is.EqualTo(new[] { "slug" }));
    }

    [TestCase("""{"name":"x","version":"1.0.0","taps":[{"name":"t"}]""", null, "malformed manifest")]
    [TestCase("""null""", null, "must be a JSON object")]
    [TestCase("""[]""", null, "malformed manifest")]
    [TestCase("""{"version":"1.0.0","taps":[{"name":"t"}]}""", "name", "is missing")]
    [TestCase("""{"name":"../evil","version":"1.0.0","taps":[{"name":"t"}]}""", "name", "not a valid plugin name")]
    [TestCase("""{"name":"x","version":"1.0","taps":[{"name":"t"}]}""", "version", "not a semantic version")]
    [TestCase("""{"name":"x","version":"1.0.0","taps":[]}""", "taps", "at least one tap")]
    [TestCase("""{"name":"x","version":"1.0.0","taps":[{"name":"t"},{"name":"t"}]}""", "taps[1].name", "declared twice")]
    [TestCase("""{"name":"x","version":"1.0.0","taps":[{"name":"t","read":["a\"b"]}]}""", "taps[0].read[0]", "not a field name")]
    [TestCase("""{"name":"x","version":"1.0.0","taps":[{"name":"t","read":["a","a"]}]}""", "taps[0].read[1]", "listed twice")]
    [TestCase("""{"name":"x","version":"1.0.0","taps":[{"name":"t","write":["*"]}]}""", "taps[0].write[0]", "not a field name")]
    [TestCase("""{"name":"x","version":"1.0.0","taps":[{"name":"t","reads":["a"]}]}""", "taps[0].reads", "malformed manifest")]
    [TestCase("""{"name":"x","version":"1.0.0","limits":{"fuel":0},"taps":[{"name":"t"}]}""", "limits.fuel", "from 1 to")]
    [TestCase("""{"name":"x","version":"1.0.0","limits":{"memoryPages":70000},"taps":[{"name":"t"}]}""", "limits.memoryPages", "from 1 to")]
    [TestCase("""{"name":"x","version":"1.0.0","limits":{"timeoutMs":"5"},"taps":[{"name":"t"}]}""", "limits.timeoutMs", "malformed manifest")]
    [TestCase("""{"name":"x","version":"1.0.0","capabilities":["db query"],"taps":[{"name":"t"}]}""", "capabilities[0]", "not an identifier")]
    [TestCase("""{"name":"x","version":"1.0.0","taps":[{"name":"t","weight":1e99}]}""", "taps[0].weight", "malformed manifest")]
    public void InvalidManifestsAreRefusedNamingTheField(string json, string? field, string problem)
    {
        var error = Assert.Throws<PluginLoadException>(() => Parse(json))!;
        Assert.That(error.Field, Is.EqualTo(field), error.Message);
        Assert.That(error.Message, Does.Contain(problem));
        Assert.That(error.Message, Does.StartWith("test.json: "));
    }

    [Test]
    public void OversizedAndDeeplyNestedManifestsAreRefused()
    {
        var huge = new byte[PluginManifest.MaximumBytes + 1];
        huge.AsSpan().Fill((byte)' ');
        Assert.That(() => PluginManifest.Parse(huge), Throws.TypeOf<PluginLoadException>().With.Message.Contains("more than the"));
        string deep = """{"name":"x","version":"1.0.0","taps":[{"name":"t"}],"description":""" + new string('[', 1000) + new string(']', 1000) + "}";
        Assert.That(() => Parse(deep), Throws.TypeOf<PluginLoadException>());
        string manyTaps = """{"name":"x","version":"1.0.0","taps":[""" + string.Join(",", Enumerable.Range(0, 65).Select(i => $$"""{"name":"t{{i}}"}""")) + "]}";
        Assert.That(() => Parse(manyTaps), Throws.TypeOf<PluginLoadException>().With.Message.Contains("more than the 64 allowed"));
    }
}
