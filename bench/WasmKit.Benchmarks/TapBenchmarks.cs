using System.Text;
using System.Text.RegularExpressions;
using BenchmarkDotNet.Attributes;
using WasmKit.Backends;
using WasmKit.Backends.Managed;
using WasmKit.PluginFixtures;
using WasmKit.Plugins;
using WasmKit.Wasmtime;

namespace WasmKit.Benchmarks;

/// <summary>
/// One plugin tap over the reference item (fixtures/plugins/item.json, 20 fields, 2.4 KB; and grown to 64 KB
/// and 1 MB): item_view reads 3 fields and returns a ~200 B render element, item_presave reads 3 and writes 1.
/// Each call is a whole tap call as a host makes it: rent an instance, pass the item, run the guest, check the
/// result, apply it, reset the instance. Data modes: Full (the whole item serialized into guest memory),
/// Filtered (only the 3 granted fields serialized), Handle (the guest reads and writes through host calls).
/// Baseline: the same taps in C# over the same <see cref="TapItem"/>.
/// </summary>
[MemoryDiagnoser]
public class TapBenchmarks
{
    private PluginHost _full = null!;
    private PluginHost _filtered = null!;
    private PluginHost _handle = null!;
    private TapItem _item = null!;
    private IWasmBackend? _wasmtime;

    /// <summary>The engine the plugins run on.</summary>
    [Params("managed", "wasmtime")]
    public string Engine { get; set; } = "managed";

    /// <summary>The item's size in bytes (its body grows).</summary>
    [Params(2400, 64 * 1024, 1024 * 1024)]
    public int Payload { get; set; } = 2400;

    [GlobalSetup]
    public void Setup()
    {
        _item = TapItem.Parse(Payload <= 2402 ? ReferenceWorkload.Item() : ReferenceWorkload.ItemOfSize(Payload));
        _full = Host(TapDataMode.Serialized, allFields: true);
        _filtered = Host(TapDataMode.Serialized, allFields: false);
        _handle = Host(TapDataMode.Handles, allFields: false);
        byte[] render = ReferenceWorkload.Render(_item)!;
        byte[] slug = ReferenceWorkload.Slug(_item)!;
        foreach (var host in new[] { _full, _filtered, _handle })
        {
            if (!host.CallTap("item_view", _item).Renders[0].Json.Span.SequenceEqual(render))
                throw new InvalidOperationException($"{host.Options.DataMode}: the guest's render element differs from the C# tap's.");
            if (!host.CallTap("item_presave", _item).Changes[0].Value.Span.SequenceEqual(slug))
                throw new InvalidOperationException($"{host.Options.DataMode}: the guest's slug differs from the C# tap's.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _full.Dispose();
        _filtered.Dispose();
        _handle.Dispose();
        (_wasmtime as IDisposable)?.Dispose();
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("view")]
    public byte[]? CSharpView() => ReferenceWorkload.Render(_item);

    [Benchmark]
    [BenchmarkCategory("view")]
    public TapResult FullView() => _full.CallTap("item_view", _item);

    [Benchmark]
    [BenchmarkCategory("view")]
    public TapResult FilteredView() => _filtered.CallTap("item_view", _item);

    [Benchmark]
    [BenchmarkCategory("view")]
    public TapResult HandleView() => _handle.CallTap("item_view", _item);

    [Benchmark]
    [BenchmarkCategory("mutation")]
    public byte[]? CSharpMutation() => ReferenceWorkload.Slug(_item);

    [Benchmark]
    [BenchmarkCategory("mutation")]
    public TapResult FullMutation() => _full.CallTap("item_presave", _item);

    [Benchmark]
    [BenchmarkCategory("mutation")]
    public TapResult FilteredMutation() => _filtered.CallTap("item_presave", _item);

    [Benchmark]
    [BenchmarkCategory("mutation")]
    public TapResult HandleMutation() => _handle.CallTap("item_presave", _item);

    /// <summary>A request's instance made fresh: instantiate (the host state included), dirty it as a request would (up to the payload, at most half its memory), dispose.</summary>
    [Benchmark]
    [BenchmarkCategory("instance")]
    public void FreshInstance()
    {
        var plugin = _filtered.Plugins[0];
        using var instance = plugin.Component.BackendModule.Instantiate(plugin.InstanceOptions);
        DirtyLikeARequest(instance);
    }

    /// <summary>A request's instance from the pool: rent, dirty it as a request would, return (which resets what was written).</summary>
    [Benchmark]
    [BenchmarkCategory("instance")]
    public void PooledReset()
    {
        using var rented = _filtered.Plugins[0].Pool.Rent();
        DirtyLikeARequest(rented.BackendInstance);
    }

    private void DirtyLikeARequest(IBackendInstance instance)
    {
        int length = Math.Min(Payload, (int)instance.MemoryLength / 2);
        instance.WriteMemory(instance.MemoryLength / 2, length).Fill(1);
    }

    private PluginHost Host(TapDataMode mode, bool allFields)
    {
        var backend = Engine == "wasmtime" ? (_wasmtime ??= new WasmtimeBackend()) : ManagedBackend.Create();
        var host = new PluginHost(new PluginHostOptions { Backend = backend, DataMode = mode, MaximumInstancesPerPlugin = 2, PrewarmInstancesPerPlugin = 1 });
        foreach (var plugin in new[] { "render", "slugger" })
        {
            string manifest = File.ReadAllText(Path.ChangeExtension(ReferenceWorkload.PluginPath(plugin), ".json"));
            if (allFields) manifest = Regex.Replace(manifest, "\"read\": \\[[^\\]]*\\]", "\"read\": [\"*\"]");
            host.Load(ReferenceWorkload.PluginBytes(plugin), Encoding.UTF8.GetBytes(manifest), plugin);
        }
        return host;
    }
}
