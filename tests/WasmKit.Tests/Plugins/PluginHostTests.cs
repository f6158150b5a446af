using System.Text;
using WasmKit.Backends;
using WasmKit.Execution;
using WasmKit.PluginFixtures;
using WasmKit.Plugins;
using WasmKit.Tests.Support;

namespace WasmKit.Tests.Plugins;

/// <summary>Taps over the fixture plugins on every backend, in both data modes, checked against the C# taps.</summary>
[TestFixtureSource(typeof(BackendFixtures), nameof(BackendFixtures.All))]
public sealed class PluginHostTests(BackendFixture backend)
{
    private static readonly TapDataMode[] Modes = [TapDataMode.Serialized, TapDataMode.Handles];

    private PluginHost Host(TapDataMode mode, params string[] plugins) => Host(new PluginHostOptions { DataMode = mode }, plugins);

    private PluginHost Host(PluginHostOptions options, params string[] plugins)
    {
        var host = new PluginHost(options with { Backend = backend.CreateBackend() });
        foreach (var plugin in plugins) host.LoadFile(ReferenceWorkload.PluginPath(plugin));
        return host;
    }

    private static string Manifest(string name, string tap, string export, string read, string write = "", int weight = 0, string limits = "") =>
        $$"""{"name":"{{name}}","version":"1.0.0",{{limits}}"taps":[{"name":"{{tap}}","export":"{{export}}","read":[{{read}}],"write":[{{write}}],"weight":{{weight}}}]}""";

    private static TapItem Item() => TapItem.Parse(ReferenceWorkload.Item());

    [Test]
    public void ItemViewRendersWhatTheCSharpTapRenders([ValueSource(nameof(Modes))] TapDataMode mode)
    {
        using var host = Host(mode, "render");
        var item = Item();
        var result = host.CallTap("item_view", item);
        Assert.That(result.Failures, Is.Empty);
        Assert.That(result.Renders, Has.Count.EqualTo(1));
        Assert.That(result.Renders[0].Plugin, Is.EqualTo("render"));
        Assert.That(ReferenceWorkload.SameJson(result.Renders[0].Json.Span, ReferenceWorkload.Render(item)), Is.True, result.Renders[0].JsonText);
        Assert.That(result.Renders[0].Json.Length, Is.InRange(150, 300), "the reference render element is about 200 B");
    }

    [Test]
    public void MutationReadsThreeFieldsAndWritesOne([ValueSource(nameof(Modes))] TapDataMode mode)
    {
        using var host = Host(mode, "slugger");
        var item = Item();
        byte[] expected = ReferenceWorkload.Slug(item)!;
        var result = host.CallTap("item_presave", item);
        Assert.That(result.Failures, Is.Empty);
        Assert.That(result.Changes, Has.Count.EqualTo(1));
        Assert.That(result.Changes[0].Field, Is.EqualTo("slug"));
        Assert.That(result.Changes[0].ValueText, Is.EqualTo(Encoding.UTF8.GetString(expected)));
        Assert.That(item.TryGetRawValue("slug", out var slug) && slug.Span.SequenceEqual(expected), Is.True, "the change is applied to the item");
        Assert.That(item.IsModified, Is.True);
    }

    [Test]
    public void BothDataModesGiveIdenticalResults()
    {
        foreach (var tap in new[] { "item_view", "item_presave" })
        {
            var results = Modes.Select(mode =>
            {
                using var host = Host(mode, "render", "slugger", "validator", "snoop");
                var item = Item();
                var result = host.CallTap(tap, item);
                return (result, json: item.ToString());
            }).ToArray();
            Assert.That(results[1].json, Is.EqualTo(results[0].json), tap);
            Assert.That(results[1].result.Renders.Select(r => (r.Plugin, r.JsonText)), Is.EqualTo(results[0].result.Renders.Select(r => (r.Plugin, r.JsonText))), tap);
            Assert.That(results[1].result.Changes.Select(c => (c.Plugin, c.Field, c.ValueText)), Is.EqualTo(results[0].result.Changes.Select(c => (c.Plugin, c.Field, c.ValueText))), tap);
            Assert.That(results[1].result.Rejections, Is.EqualTo(results[0].result.Rejections), tap);
        }
    }

    [Test]
    public void AnUndeclaredFieldIsUnreachable([ValueSource(nameof(Modes))] TapDataMode mode)
    {
        using var host = Host(mode, "snoop");
        var result = host.CallTap("item_view", Item());
        Assert.That(result.Failures, Is.Empty);
        Assert.That(result.Renders.Single().JsonText, Is.EqualTo("""{"title_found":true,"secret_found":false}"""));

        // The same module granted every field does find it: the manifest is what hides it.
        host.Load(ReferenceWorkload.PluginBytes("snoop"), Encoding.UTF8.GetBytes(Manifest("snoop-all", "item_view", "item_view", "\"*\"")));
        var granted = host.CallTap("item_view", Item());
        Assert.That(granted.Renders.Single(r => r.Plugin == "snoop-all").JsonText, Does.Contain("\"secret_found\":true"));
    }

    [Test]
    public void TapsRunOverAllPluginsInOrderOfWeightThenName([ValueSource(nameof(Modes))] TapDataMode mode)
    {
        using var host = Host(mode);
        byte[] render = ReferenceWorkload.PluginBytes("render");
        string fields = "\"title\",\"summary\",\"body\"";
        host.Load(render, Encoding.UTF8.GetBytes(Manifest("b-render", "item_view", "item_view", fields, weight: 0)));
        host.Load(render, Encoding.UTF8.GetBytes(Manifest("a-render", "item_view", "item_view", fields, weight: 0)));
        host.Load(render, Encoding.UTF8.GetBytes(Manifest("z-render", "item_view", "item_view", fields, weight: -5)));
        host.Load(render, Encoding.UTF8.GetBytes(Manifest("c-render", "item_view", "item_view", fields, weight: 7)));
        var result = host.CallTap("item_view", Item());
        Assert.That(result.Renders.Select(r => r.Plugin), Is.EqualTo(new[] { "z-render", "a-render", "b-render", "c-render" }));
        Assert.That(host.PluginsFor("item_view").Select(p => p.Name), Is.EqualTo(new[] { "z-render", "a-render", "b-render", "c-render" }));
        Assert.That(host.CallTap("no_such_tap", Item()).PluginCount, Is.Zero);
    }

    [Test]
    public void MutationsApplyInOrderAndLaterPluginsSeeThem([ValueSource(nameof(Modes))] TapDataMode mode)
    {
        using var host = Host(mode);
        // A writer granted "secret" sets it to "leaked"; a reader granted every field runs after it and renders what it sees.
        host.Load(ReferenceWorkload.PluginBytes("bad_results"), Encoding.UTF8.GetBytes(Manifest("writer", "item_view", "sets_undeclared", "", "\"secret\"", weight: 0)));
        host.Load(ReferenceWorkload.PluginBytes("snoop"), Encoding.UTF8.GetBytes(Manifest("reader", "item_view", "item_view", "\"*\"", weight: 10)));
        var item = Item();
        var result = host.CallTap("item_view", item);
        Assert.That(result.Failures, Is.Empty);
        Assert.That(result.Changes.Single(), Is.EqualTo(new TapChange("writer", "secret", result.Changes[0].Value)));
        Assert.That(result.Renders.Single().JsonText, Is.EqualTo("""{"title_found":true,"secret_found":true,"secret":"leaked"}"""));
        Assert.That(item.GetValue("secret")!.Value.GetString(), Is.EqualTo("leaked"));
    }

    [Test]
    public void APresaveValidatorRejects([ValueSource(nameof(Modes))] TapDataMode mode)
    {
        using var host = Host(mode, "validator", "slugger");
        var accepted = host.CallTap("item_presave", Item());
        Assert.That(accepted.IsRejected, Is.False);

        var locked = TapItem.Parse(Encoding.UTF8.GetString(ReferenceWorkload.Item()).Replace("\"status\":\"published\"", "\"status\":\"locked\""));
        Assert.That(ReferenceWorkload.Validate(locked), Is.EqualTo("the item is locked"));
        var rejected = host.CallTap("item_presave", locked);
        Assert.That(rejected.IsRejected, Is.True);
        Assert.That(rejected.Rejections.Single(), Is.EqualTo(new TapRejection("validator", "the item is locked")));

        var untitled = TapItem.Parse("""{"title":"","status":"published"}""");
        Assert.That(host.CallTap("item_presave", untitled).Rejections.Single().Message, Is.EqualTo("the title must not be empty"));
    }

    [TestCase("malformed", TapFailureKind.MalformedResult, "not well-formed JSON")]
    [TestCase("wrong_shape", TapFailureKind.WrongShape, "must be a JSON object, not an array")]
    [TestCase("wrong_member", TapFailureKind.WrongShape, "'reject' must be a string")]
    [TestCase("oversized", TapFailureKind.OversizedResult, "more than the")]
    [TestCase("out_of_bounds", TapFailureKind.OversizedResult, "outside guest memory")]
    [TestCase("sets_undeclared", TapFailureKind.Denied, "write the field 'secret'")]
    public void BadResultsAreRejectedWithAClearErrorAndIsolated(string export, TapFailureKind kind, string reason)
    {
        foreach (var mode in Modes)
        {
            using var host = Host(mode, "render");
            host.Load(ReferenceWorkload.PluginBytes("bad_results"), Encoding.UTF8.GetBytes(Manifest("bad", "item_view", export, "\"title\"")));
            var item = Item();
            var result = host.CallTap("item_view", item);
            var failure = result.Failures.Single();
            Assert.That((failure.Plugin, failure.Tap, failure.Kind), Is.EqualTo(("bad", "item_view", kind)), $"{mode}: {failure}");
            Assert.That(failure.Reason, Does.Contain(reason), mode.ToString());
            Assert.That(result.Renders.Single().Plugin, Is.EqualTo("render"), "the good plugin's result stands");
            Assert.That(item.IsModified, Is.False, "a failed plugin's changes are dropped");
        }
    }

    [Test]
    public void TrappingAndSlowPluginsAreIsolated([ValueSource(nameof(Modes))] TapDataMode mode)
    {
        using var host = Host(mode, "render", "trapping", "slow", "snoop");
        var item = Item();
        for (int request = 0; request < 3; request++)
        {
            var result = host.CallTap("item_view", item);
            Assert.That(result.Renders.Select(r => r.Plugin), Is.EqualTo(new[] { "render", "snoop" }));
            Assert.That(result.Failures.Select(f => f.Plugin), Is.EquivalentTo(new[] { "trapping", "slow" }));
            Assert.That(result.Failures.Single(f => f.Plugin == "trapping").Kind, Is.EqualTo(TapFailureKind.Trap));
            Assert.That(result.Failures.Single(f => f.Plugin == "slow").Kind, Is.AnyOf(TapFailureKind.OutOfFuel, TapFailureKind.Timeout));
        }
        var trapping = host.Plugins.Single(p => p.Name == "trapping");
        Assert.That(trapping.Statistics.Calls, Is.EqualTo(3));
        Assert.That(trapping.Statistics.Failures, Is.EqualTo(3));
    }

    [Test]
    public void ASlowPluginWithoutAFuelLimitIsStoppedByItsTimeout()
    {
        using var host = Host(new PluginHostOptions { DefaultFuel = null });
        host.Load(ReferenceWorkload.PluginBytes("slow"), Encoding.UTF8.GetBytes(Manifest("slow", "item_view", "item_view", "\"title\"", limits: "\"limits\":{\"timeoutMs\":30},")));
        var failure = host.CallTap("item_view", Item()).Failures.Single();
        Assert.That(failure.Kind, Is.EqualTo(TapFailureKind.Timeout), failure.ToString());
        Assert.That(failure.Reason, Does.Contain("timeout of 30 ms"));
    }

    [Test]
    public void TheHostCanAskFailuresToStopTheTap()
    {
        using var host = Host(new PluginHostOptions { ThrowOnPluginFailure = true }, "trapping", "render");
        var error = Assert.Throws<PluginTapException>(() => host.CallTap("item_view", Item()))!;
        Assert.That((error.Failure.Plugin, error.Failure.Kind), Is.EqualTo(("trapping", TapFailureKind.Trap)));
        Assert.That(error.Message, Does.Contain("plugin 'trapping', tap 'item_view'"));
    }

    [Test]
    public void AnAsyncHostFunctionIsAwaitedByTheGuest([ValueSource(nameof(Modes))] TapDataMode mode)
    {
        using var host = Host(new PluginHostOptions { DataMode = mode, HostFunctions = [DbQuery(delayMs: 2)] }, "db_lookup");
        var result = host.CallTapAsync("item_view", Item()).AsTask().GetAwaiter().GetResult();
        Assert.That(result.Failures, Is.Empty);
        Assert.That(result.Renders.Single().JsonText, Is.EqualTo(ReferenceWorkload.Lookup(48213)));
    }

    [Test]
    public async Task TwoThousandConcurrentAsyncRequestsCompleteWithEveryResultCorrect()
    {
        // Guests wait for db_query on 32 execution threads: never on a thread-pool thread, which stays free to complete the awaits.
        await using var executor = new GuestExecutor(new GuestExecutorOptions { MaxThreads = 32 });
        int poolThreadCalls = 0;
        var dbQuery = DbQuery(delayMs: -1, onCall: () =>
        {
            if (Thread.CurrentThread.IsThreadPoolThread) Interlocked.Increment(ref poolThreadCalls);
        });
        using var host = Host(new PluginHostOptions { HostFunctions = [dbQuery], Executor = executor, MaximumInstancesPerPlugin = 32 }, "db_lookup", "render");
        const int Requests = 2000;
        var tasks = new Task<(long Id, TapResult Result)>[Requests];
        string template = Encoding.UTF8.GetString(ReferenceWorkload.Item());
        for (int i = 0; i < Requests; i++)
        {
            long id = 1000 + i;
            var item = TapItem.Parse(template.Replace("\"id\":48213", $"\"id\":{id}"));
            tasks[i] = Run(id, item);
        }
        var done = await Task.WhenAll(tasks);
        foreach (var (id, result) in done)
        {
            Assert.That(result.Failures, Is.Empty, id.ToString());
            Assert.That(result.Renders.Select(r => r.Plugin), Is.EqualTo(new[] { "render", "db_lookup" }));
            Assert.That(result.Renders[1].JsonText, Is.EqualTo(ReferenceWorkload.Lookup(id)));
            Assert.That(ReferenceWorkload.SameJson(result.Renders[0].Json.Span, ReferenceWorkload.Render(result.Item)), Is.True);
        }
        Assert.That(host.Plugins.Single(p => p.Name == "db_lookup").Statistics.Calls, Is.EqualTo(Requests));
        Assert.That(poolThreadCalls, Is.Zero, "guest code ran on a thread-pool thread");
        Assert.That(executor.Metrics.PeakThreads, Is.InRange(1, 32));

        async Task<(long, TapResult)> Run(long id, TapItem item)
        {
            await Task.Yield();
            return (id, await host.CallTapAsync("item_view", item));
        }
    }

    [Test]
    public void CancellationStopsAnAwaitingGuestThroughItsHostFunction()
    {
        using var executor = new GuestExecutor(new GuestExecutorOptions { MaxThreads = 2 });
        var entered = new TaskCompletionSource();
        var forever = new HostFunctionDefinition(PluginHostOptions.CapabilityModule, "db_query", FunctionType.Of([ValueKind.Int64], [ValueKind.Int64]),
            async (state, arguments, results, cancellationToken) =>
            {
                entered.TrySetResult();
                await Task.Delay(Timeout.Infinite, cancellationToken);
            });
        using var host = Host(new PluginHostOptions { HostFunctions = [forever], Executor = executor }, "db_lookup");
        using var cancel = new CancellationTokenSource();
        var call = host.CallTapAsync("item_view", Item(), null, cancel.Token).AsTask();
        Assert.That(entered.Task.Wait(TimeSpan.FromSeconds(30)), Is.True);
        cancel.Cancel();
        Assert.That(() => call.GetAwaiter().GetResult(), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(host.Plugins.Single().PoolMetrics.Discarded, Is.EqualTo(1), "the interrupted instance is not reused");
    }

    [Test]
    public void CancellationStopsARequestWaitingForAnInstance()
    {
        var release = new TaskCompletionSource();
        var entered = new TaskCompletionSource();
        var blocking = new HostFunctionDefinition(PluginHostOptions.CapabilityModule, "db_query", FunctionType.Of([ValueKind.Int64], [ValueKind.Int64]),
            async (state, arguments, results, cancellationToken) =>
            {
                entered.TrySetResult();
                await release.Task;
                results.Span[0] = arguments.Span[0];
            });
        using var host = Host(new PluginHostOptions { HostFunctions = [blocking], MaximumInstancesPerPlugin = 1 }, "db_lookup");
        var first = Task.Run(() => host.CallTapAsync("item_view", Item()).AsTask());
        Assert.That(entered.Task.Wait(TimeSpan.FromSeconds(30)), Is.True);
        using var cancel = new CancellationTokenSource();
        var second = host.CallTapAsync("item_view", Item(), null, cancel.Token).AsTask();
        Assert.That(second.IsCompleted, Is.False, "the second request waits for the only instance");
        cancel.Cancel();
        Assert.That(() => second.GetAwaiter().GetResult(), Throws.InstanceOf<OperationCanceledException>());
        release.SetResult();
        Assert.That(first.GetAwaiter().GetResult().Failures, Is.Empty);
    }

    [Test]
    public void APluginAtItsMemoryCapFailsClearlyWhenAskedToReject()
    {
        var release = new TaskCompletionSource();
        var entered = new TaskCompletionSource();
        var blocking = new HostFunctionDefinition(PluginHostOptions.CapabilityModule, "db_query", FunctionType.Of([ValueKind.Int64], [ValueKind.Int64]),
            async (state, arguments, results, cancellationToken) =>
            {
                entered.TrySetResult();
                await release.Task;
                results.Span[0] = (ulong)ReferenceWorkload.Views((long)arguments.Span[0]);
            });
        // Room for one instance of db_lookup's 2 pages, not two.
        using var host = Host(new PluginHostOptions
        {
            HostFunctions = [blocking], MaximumInstancesPerPlugin = 4, PrewarmInstancesPerPlugin = 0,
            MaximumMemoryBytesPerPlugin = 3 * 65536, WhenMemoryCapReached = WasmKit.Pooling.MemoryCapPolicy.Reject,
        }, "db_lookup");
        var first = Task.Run(() => host.CallTap("item_view", Item()));
        Assert.That(entered.Task.Wait(TimeSpan.FromSeconds(30)), Is.True);
        var failure = host.CallTap("item_view", Item()).Failures.Single();
        Assert.That((failure.Plugin, failure.Kind), Is.EqualTo(("db_lookup", TapFailureKind.Instantiation)));
        Assert.That(failure.Reason, Does.Contain("memory cap"));
        release.SetResult();
        Assert.That(first.GetAwaiter().GetResult().Renders.Single().JsonText, Is.EqualTo(ReferenceWorkload.Lookup(48213)));
    }

    [Test]
    public void CancellationStopsARunningGuest()
    {
        using var host = Host(new PluginHostOptions { DefaultFuel = null, DefaultTimeout = null });
        host.Load(ReferenceWorkload.PluginBytes("slow"), Encoding.UTF8.GetBytes(Manifest("slow", "item_view", "item_view", "\"title\"")));
        using var cancel = new CancellationTokenSource();
        var call = Task.Run(() => host.CallTapAsync("item_view", Item(), null, cancel.Token).AsTask());
        // Cancel only once the guest holds its instance (and then some), so that the cancellation meets a running
        // guest however loaded the machine is; cancelled earlier, the call would end without running it.
        var metrics = host.Plugins.Single().PoolMetrics;
        Assert.That(SpinWait.SpinUntil(() => metrics.Rented >= 1, TimeSpan.FromSeconds(30)), Is.True);
        Thread.Sleep(200);
        Assert.That(call.IsCompleted, Is.False, "the slow plugin loops until it is cancelled");
        cancel.Cancel();
        Assert.That(() => call.GetAwaiter().GetResult(), Throws.InstanceOf<OperationCanceledException>());
        // The plugin works on for the next request (its interrupted instance was discarded).
        Assert.That(host.Plugins.Single().PoolMetrics.Discarded, Is.EqualTo(1));
    }

    [Test]
    public void ModulesThatDoNotMatchTheirManifestAreRefused()
    {
        using var host = Host(TapDataMode.Serialized);
        byte[] render = ReferenceWorkload.PluginBytes("render");
        byte[] lookup = ReferenceWorkload.PluginBytes("db_lookup");
        Assert.That(() => host.Load(render, Encoding.UTF8.GetBytes(Manifest("x", "item_view", "missing", "\"title\""))),
            Throws.TypeOf<PluginLoadException>().With.Message.Contains("taps[0].export").And.Message.Contains("no export named 'missing'"));
        Assert.That(() => host.Load(render, Encoding.UTF8.GetBytes(Manifest("x", "item_view", "wasmkit_alloc", "\"title\""))),
            Throws.TypeOf<PluginLoadException>().With.Message.Contains("must be a function of type"));
        Assert.That(() => host.Load(lookup, Encoding.UTF8.GetBytes(Manifest("x", "item_view", "item_view", "\"id\""))),
            Throws.TypeOf<PluginLoadException>().With.Message.Contains("'db_query' is not a declared capability"));
        Assert.That(() => host.Load(lookup, Encoding.UTF8.GetBytes("""{"name":"x","version":"1.0.0","capabilities":["db_query"],"taps":[{"name":"item_view","read":["id"]}]}""")),
            Throws.TypeOf<PluginLoadException>().With.Message.Contains("the host offers no capability 'db_query'"));
        Assert.That(() => host.Load([0, 1, 2, 3], Encoding.UTF8.GetBytes(Manifest("x", "item_view", "item_view", "\"title\""))),
            Throws.TypeOf<PluginLoadException>().With.Message.Contains("not valid WebAssembly"));
        host.Load(render, Encoding.UTF8.GetBytes(Manifest("x", "item_view", "item_view", "\"title\"")));
        Assert.That(() => host.Load(render, Encoding.UTF8.GetBytes(Manifest("x", "item_view", "item_view", "\"title\""))),
            Throws.TypeOf<PluginLoadException>().With.Message.Contains("already"));
    }

    [Test]
    public void UnloadedPluginsAreNoLongerCalled()
    {
        using var host = Host(TapDataMode.Serialized, "render", "snoop");
        Assert.That(host.Unload("snoop"), Is.True);
        Assert.That(host.Unload("snoop"), Is.False);
        Assert.That(host.CallTap("item_view", Item()).Renders.Select(r => r.Plugin), Is.EqualTo(new[] { "render" }));
        Assert.That(host.Plugins.Select(p => p.Name), Is.EqualTo(new[] { "render" }));
    }

    [Test]
    public void APluginFileWithoutItsManifestIsRefused()
    {
        using var host = Host(TapDataMode.Serialized);
        Assert.That(() => host.LoadFile(ReferenceWorkload.PluginPath("bad_results")),
            Throws.TypeOf<PluginLoadException>().With.Message.Contains("bad_results.json").And.Message.Contains("cannot read the file"));
    }

    [Test]
    public void ItemsOfAnySizeGiveTheSameResults([Values(64 * 1024, 1024 * 1024)] int bytes)
    {
        foreach (var mode in Modes)
        {
            using var host = Host(new PluginHostOptions { DataMode = mode, MaximumResultBytes = 64 * 1024 }, "render", "slugger");
            var item = TapItem.Parse(ReferenceWorkload.ItemOfSize(bytes));
            var view = host.CallTap("item_view", item);
            Assert.That(view.Failures, Is.Empty, mode.ToString());
            Assert.That(ReferenceWorkload.SameJson(view.Renders.Single().Json.Span, ReferenceWorkload.Render(item)), Is.True);
            var presave = host.CallTap("item_presave", item);
            Assert.That(presave.Changes.Single().Value.ToArray(), Is.EqualTo(ReferenceWorkload.Slug(item)));
        }
    }

    [Test]
    public void AssemblyScriptTapsGiveTheResultsOfTheCSharpTaps([ValueSource(nameof(Modes))] TapDataMode mode)
    {
        using var host = Host(new PluginHostOptions { DataMode = mode, HostFunctions = [DbQuery(delayMs: 1)] },
            "as_render", "as_slugger", "as_validator", "as_snoop", "as_db_lookup");
        var item = Item();
        var view = host.CallTapAsync("item_view", item).AsTask().GetAwaiter().GetResult();
        Assert.That(view.Failures, Is.Empty);
        Assert.That(view.Renders.Select(r => r.Plugin), Is.EqualTo(new[] { "as_render", "as_db_lookup", "as_snoop" }));
        Assert.That(ReferenceWorkload.SameJson(view.Renders[0].Json.Span, ReferenceWorkload.Render(item)), Is.True, view.Renders[0].JsonText);
        Assert.That(view.Renders[1].JsonText, Is.EqualTo(ReferenceWorkload.Lookup(48213)));
        Assert.That(view.Renders[2].JsonText, Is.EqualTo("""{"title_found":true,"secret_found":false}"""));

        byte[] slug = ReferenceWorkload.Slug(item)!;
        var presave = host.CallTap("item_presave", item);
        Assert.That(presave.Failures, Is.Empty);
        Assert.That(presave.IsRejected, Is.False);
        Assert.That(presave.Changes.Single().Value.ToArray(), Is.EqualTo(slug));

        var locked = TapItem.Parse(Encoding.UTF8.GetString(ReferenceWorkload.Item()).Replace("\"status\":\"published\"", "\"status\":\"locked\""));
        Assert.That(host.CallTap("item_presave", locked).Rejections.Single(), Is.EqualTo(new TapRejection("as_validator", "the item is locked")));
    }

    [Test]
    public void HostilePointersGetAStatusNotACrash([ValueSource(nameof(Modes))] TapDataMode mode)
    {
        // A handle-mode guest passing pointers outside its memory gets ERR_BAD_POINTER (-5); it traps if not.
        const string Module = """
            (module
              (import "wasmkit_tap" "item_get" (func $get (param i32 i32 i32 i32 i32) (result i32)))
              (import "wasmkit_tap" "item_set" (func $set (param i32 i32 i32 i32) (result i32)))
              (memory (export "memory") 1)
              (data (i32.const 16) "title")
              (func (export "wasmkit_alloc") (param i32) (result i32) (i32.const 1024))
              (func $expect (param i32 i32) (if (i32.ne (local.get 0) (local.get 1)) (then unreachable)))
              (func (export "item_view") (param i32 i32) (result i64)
                (call $expect (call $get (i32.const -16) (i32.const 64) (i32.const 0) (i32.const 0) (i32.const 0)) (i32.const -5))
                (call $expect (call $get (i32.const 16) (i32.const 5) (i32.const 0) (i32.const 100) (i32.const 65534)) (i32.const -5))
                (call $expect (call $get (i32.const 16) (i32.const 5) (i32.const 65530) (i32.const 100) (i32.const 8)) (i32.const -5))
                (call $expect (call $get (i32.const 16) (i32.const 5) (i32.const 64) (i32.const 2) (i32.const 8)) (i32.const -3))
                (call $expect (call $set (i32.const 16) (i32.const 5) (i32.const 65535) (i32.const 2)) (i32.const -5))
                (i64.const 0)))
            """;
        using var host = Host(mode);
        host.Load(Wat.ToWasm(Module), Encoding.UTF8.GetBytes(Manifest("hostile", "item_view", "item_view", "\"title\"", "\"title\"")));
        var result = host.CallTap("item_view", Item());
        Assert.That(result.Failures, Is.Empty);
        Assert.That(result.Renders, Is.Empty);
    }

    [Test]
    public void AGuestLoopingOnItemSetCannotFillHostMemory()
    {
        // Sets "slug" to a 1 KiB string until the host says no (-10), then returns nothing.
        const string Module = """
            (module
              (import "wasmkit_tap" "item_set" (func $set (param i32 i32 i32 i32) (result i32)))
              (memory (export "memory") 1)
              (data (i32.const 16) "slug")
              (func (export "wasmkit_alloc") (param i32) (result i32) (i32.const 4096))
              (func (export "item_view") (param i32 i32) (result i64)
                (memory.fill (i32.const 1024) (i32.const 97) (i32.const 1024))
                (i32.store8 (i32.const 1024) (i32.const 34))
                (i32.store8 (i32.const 2047) (i32.const 34))
                (block $done
                  (loop $again
                    (br_if $done (i32.eq (call $set (i32.const 16) (i32.const 4) (i32.const 1024) (i32.const 1024)) (i32.const -10)))
                    (br $again)))
                (i64.const 0)))
            """;
        using var host = Host(TapDataMode.Handles);
        host.Load(Wat.ToWasm(Module), Encoding.UTF8.GetBytes(Manifest("flood", "item_view", "item_view", "", "\"slug\"")));
        var item = Item();
        var failure = host.CallTap("item_view", item).Failures.Single();
        Assert.That(failure.Kind, Is.EqualTo(TapFailureKind.OversizedResult), failure.ToString());
        Assert.That(failure.Reason, Does.Contain("changes exceed"));
        Assert.That(item.IsModified, Is.False);
    }

    [Test]
    public void TheRequestContextReachesCapabilityFunctions()
    {
        string? seen = null;
        var capture = new HostFunctionDefinition(PluginHostOptions.CapabilityModule, "db_query", FunctionType.Of([ValueKind.Int64], [ValueKind.Int64]),
            (context, arguments, results) =>
            {
                var call = (PluginCallState)context.State!;
                seen = $"{call.Plugin}/{call.Tap}/{call.Context?.RequestId}/{call.Item?.FieldCount}";
                results[0] = (ulong)ReferenceWorkload.Views((long)arguments[0]);
            });
        using var host = Host(new PluginHostOptions { HostFunctions = [capture] }, "db_lookup");
        var result = host.CallTap("item_view", Item(), new TapContext { RequestId = "request-7" });
        Assert.That(result.Renders.Single().JsonText, Is.EqualTo(ReferenceWorkload.Lookup(48213)));
        Assert.That(seen, Is.EqualTo("db_lookup/item_view/request-7/20"));
    }

    /// <summary>The test "database": db_query(id) awaits a delay (fixed, or 1-10 ms when negative) and returns the id's view count.</summary>
    internal static HostFunctionDefinition DbQuery(int delayMs, Action? onCall = null) =>
        new(PluginHostOptions.CapabilityModule, "db_query", FunctionType.Of([ValueKind.Int64], [ValueKind.Int64]),
            async (state, arguments, results, cancellationToken) =>
            {
                onCall?.Invoke();
                long id = (long)arguments.Span[0];
                var token = (state as PluginCallState)?.CancellationToken ?? cancellationToken;
                await Task.Delay(delayMs >= 0 ? delayMs : 1 + (int)(id % 10), token).ConfigureAwait(false);
                results.Span[0] = (ulong)ReferenceWorkload.Views(id);
            });
}
