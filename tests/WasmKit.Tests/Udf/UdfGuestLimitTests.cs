using WasmKit.Backends;
using System.Text.Json;
using WasmKit.Components;
using WasmKit.Tests.Support;
using WasmKit.Udf;
using static WasmKit.Tests.Udf.UdfTestModules;

namespace WasmKit.Tests.Udf;

/// <summary>
/// Guest code the registry runs on a caller's behalf stays within the UDF limits: evaluations under a
/// starved thread pool, wasmkit_alloc, start functions, and the default limits.
/// </summary>
[TestFixtureSource(typeof(BackendFixtures), nameof(BackendFixtures.All))]
public class UdfGuestLimitTests(BackendFixture fixture)
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);
    private static readonly JsonElement Empty = Document("{}");

    private static Dictionary<string, object?> Args(params (string Name, object? Value)[] pairs) => pairs.ToDictionary(p => p.Name, p => p.Value);

    /// <summary>Runs <paramref name="action"/> on a thread of its own, failing the test when it hangs.</summary>
    private static T WithinHangGuard<T>(Func<T> action)
    {
        var task = Task.Factory.StartNew(action, TaskCreationOptions.LongRunning);
        Assert.That(task.Wait(HangGuard), Is.True, "the guest code was never interrupted");
        return task.Result;
    }

    private static TrapCode? TrapOf(Action call)
    {
        var error = Assert.Throws<UdfExecutionException>(() => call())!;
        return error.TrapCode;
    }

    [Test]
    public void TimeoutsFireWhileTheThreadPoolIsFullOfWaitingCallers()
    {
        using var registry = fixture.CreateRegistry(new UdfRegistryOptions { MaximumInstancesPerModule = 2 });
        var module = Load(registry);
        registry.Register(Metadata("spin", "spin", [UdfType.I32]), module, new UdfLimits { Timeout = TimeSpan.FromMilliseconds(100) });
        // Every caller holds a thread-pool thread, blocked on the two instances or spinning in one.
        var callers = Enumerable.Range(0, 100).Select(_ => Task.Run(() =>
        {
            try
            {
                registry.Call("spin", null, Empty);
                return (Exception?)null;
            }
            catch (Exception error)
            {
                return error;
            }
        })).ToArray();
        Assert.That(Task.WaitAll(callers, HangGuard), Is.True, "the callers did not all finish: timeouts stopped firing");
        var outcomes = callers.Select(c => c.Result).ToArray();
        Assert.That(outcomes, Has.All.InstanceOf<UdfExecutionException>());
        Assert.That(outcomes.Select(e => ((UdfExecutionException)e!).TrapCode), Has.All.EqualTo(TrapCode.Interrupted));
    }

    /// <summary>A module whose string UDF is fine but whose wasmkit_alloc loops forever for requests of <paramref name="loopFrom"/> bytes or more.</summary>
    private static IBackendModule AllocLoopingModule(UdfRegistry registry, int loopFrom) => registry.Backend.Compile(Wat.ToWasm($$"""
        (module
          (memory (export "memory") 1)
          (global $heap (mut i32) (i32.const 4096))
          (func (export "wasmkit_alloc") (param $size i32) (result i32) (local $start i32)
            (if (i32.ge_u (local.get $size) (i32.const {{loopFrom}})) (then (loop $forever (br $forever))))
            (local.set $start (global.get $heap))
            (global.set $heap (i32.add (global.get $heap) (i32.and (i32.add (local.get $size) (i32.const 7)) (i32.const -8))))
            (local.get $start))
          (func (export "length") (param i32 i32) (result i32) (local.get 1)))
        """), "alloc-loop");

    private static UdfMetadata Length => Metadata("length", "length", [UdfType.I32], new UdfParameter("text", UdfType.String));

    [Test]
    public void AnAllocationThatLoopsForeverOnTheArgumentReservationIsInterrupted()
    {
        using var registry = fixture.CreateRegistry();
        registry.Register(Length, AllocLoopingModule(registry, loopFrom: 0), new UdfLimits { Timeout = TimeSpan.FromMilliseconds(100) });
        var trap = WithinHangGuard(() => TrapOf(() => registry.Call("length", null, Empty, Args(("text", "abc")))));
        Assert.That(trap, Is.EqualTo(TrapCode.Interrupted));
        Assert.That(registry.GetStatistics("length").Errors, Is.EqualTo(1));
    }

    [Test]
    public void AnAllocationThatLoopsForeverForLongStringsIsInterrupted()
    {
        using var registry = fixture.CreateRegistry();
        registry.Register(Length, AllocLoopingModule(registry, loopFrom: 1025), new UdfLimits { Timeout = TimeSpan.FromMilliseconds(100) });
        Assert.That(registry.Call("length", null, Empty, Args(("text", "short"))).AsInt32(), Is.EqualTo(5));
        var trap = WithinHangGuard(() => TrapOf(() => registry.Call("length", null, Empty, Args(("text", new string('x', 2000))))));
        Assert.That(trap, Is.EqualTo(TrapCode.Interrupted));
        // The interrupted instance was discarded; short strings still work.
        Assert.That(registry.Call("length", null, Empty, Args(("text", "short again"))).AsInt32(), Is.EqualTo(11));
    }

    [Test]
    public void AnAllocationThatLoopsForeverRunsOutOfFuel()
    {
        using var registry = fixture.CreateRegistry();
        registry.Register(Length, AllocLoopingModule(registry, loopFrom: 1025), new UdfLimits { Fuel = 100_000 });
        var trap = WithinHangGuard(() => TrapOf(() => registry.Call("length", null, Empty, Args(("text", new string('x', 2000))))));
        Assert.That(trap, Is.EqualTo(TrapCode.OutOfFuel));
    }

    [Test]
    public void AStartFunctionThatLoopsForeverIsInterrupted()
    {
        using var registry = fixture.CreateRegistry();
        var module = registry.Backend.Compile(Wat.ToWasm("""
            (module
              (func $start (loop $forever (br $forever)))
              (start $start)
              (func (export "one") (result i32) (i32.const 1)))
            """), "start-loop");
        registry.Register(Metadata("one", "one", [UdfType.I32]), module, new UdfLimits { Timeout = TimeSpan.FromMilliseconds(100) });
        var trap = WithinHangGuard(() => TrapOf(() => registry.Call("one", null, Empty)));
        Assert.That(trap, Is.EqualTo(TrapCode.Interrupted));
    }

    /// <summary>A manifest for one UDF "one" () -> i32, with the given capabilities and limits.</summary>
    private static string OneManifest(string capabilities = "[\"wasmkit\"]", string limits = "null") => $$"""
        {
          "name": "one", "version": "1.0.0", "capabilities": {{capabilities}}, "limits": {{limits}},
          "udfs": [ { "name": "one", "export": "one", "version": "1.0.0", "returns": ["i32"] } ]
        }
        """;

    private static readonly byte[] PrivateMemoryModule = Wat.ToWasm("""
        (module
          (memory 8)
          (func (export "one") (result i32) (i32.const 1)))
        """);

    [Test]
    public void APrivateMemoryAboveTheLimitIsRefusedAtLoadAndRegistration()
    {
        using var registry = fixture.CreateRegistry();
        var loader = new ComponentLoader(registry.Backend);
        var error = Assert.Throws<ComponentLoadException>(() =>
            loader.LoadBytes(PrivateMemoryModule, ComponentManifest.Parse(OneManifest(limits: """{"memoryPages": 4}"""))))!;
        Assert.That(error.Field, Is.EqualTo("limits.memoryPages"));
        Assert.That(error.Message, Does.Contain("8 pages"));

        var module = registry.Backend.Compile(PrivateMemoryModule, "private-memory");
        var refused = Assert.Throws<UdfValidationException>(() =>
            registry.Register(Metadata("one", "one", [UdfType.I32]), module, new UdfLimits { MemoryPages = 4 }))!;
        Assert.That(refused.Field, Is.EqualTo("limits.memoryPages"));
        Assert.That(registry.List(), Is.Empty);
        // Within the limit it registers and runs.
        registry.Register(Metadata("one", "one", [UdfType.I32]), module, new UdfLimits { MemoryPages = 8 });
        Assert.That(registry.Call("one", null, Empty).AsInt32(), Is.EqualTo(1));
    }

    [Test]
    public void AnImportTheRegistryDoesNotProvideIsRefusedAtRegistration()
    {
        using var registry = fixture.CreateRegistry();
        var bytes = Wat.ToWasm("""
            (module
              (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
              (func (export "one") (result i32) (i32.const 1)))
            """);
        var loader = new ComponentLoader(registry.Backend);
        // The manifest declares the capability, but this registry was not given WASI.
        var component = loader.LoadBytes(bytes, ComponentManifest.Parse(OneManifest(capabilities: """["wasmkit", "wasi_snapshot_preview1"]""")));
        var error = Assert.Throws<UdfValidationException>(() => registry.Register(component))!;
        Assert.That(error.Message, Does.Contain("'wasi_snapshot_preview1'.'fd_write'"));
        Assert.That(registry.List(), Is.Empty);
        Assert.That(() => registry.Register(Metadata("one", "one", [UdfType.I32]), component.BackendModule), Throws.TypeOf<UdfValidationException>());
    }

    [Test]
    public void AManifestWithAByteOrderMarkIsAccepted()
    {
        byte[] json = [0xEF, 0xBB, 0xBF, .. System.Text.Encoding.UTF8.GetBytes(OneManifest())];
        var manifest = ComponentManifest.Parse(json, "one.json");
        Assert.That((manifest.Name, manifest.Udfs.Single().Name), Is.EqualTo(("one", "one")));
    }

    [TestCase(32_768u)]
    [TestCase(65_536u)]
    public void MemoryPagesAboveTheEnginesCapAreRefused(uint pages)
    {
        var error = Assert.Throws<ComponentLoadException>(() => ComponentManifest.Parse(OneManifest(limits: $$"""{"memoryPages": {{pages}}}""")))!;
        Assert.That(error.Field, Is.EqualTo("limits.memoryPages"));
        Assert.That(error.Message, Does.Contain("32767"));
        Assert.That(ComponentManifest.Parse(OneManifest(limits: """{"memoryPages": 32767}""")).Limits!.MemoryPages, Is.EqualTo(32_767u));

        using var registry = fixture.CreateRegistry();
        var refused = Assert.Throws<UdfValidationException>(() =>
            registry.Register(Metadata("add", "add", [UdfType.I32], new UdfParameter("a", UdfType.I32), new UdfParameter("b", UdfType.I32)),
                Load(registry), new UdfLimits { MemoryPages = pages }))!;
        Assert.That(refused.Field, Is.EqualTo("limits.memoryPages"));
    }

    private static readonly string Grower = """
        (module
          (memory (export "memory") 1)
          (func (export "grow") (param $pages i32) (result i32) (memory.grow (local.get $pages)))
          (func (export "spin") (result i32) (loop $forever (br $forever)) (i32.const 0)))
        """;

    private static void RegisterGrower(UdfRegistry registry, UdfLimits? limits)
    {
        var module = registry.Backend.Compile(Wat.ToWasm(Grower), "grower");
        registry.Register(Metadata("grow", "grow", [UdfType.I32], new UdfParameter("pages", UdfType.I32)), module, limits);
        registry.Register(Metadata("spin", "spin", [UdfType.I32]), module, limits);
    }

    [Test]
    public void ADefaultRegistryInterruptsEndlessLoopsAndCapsMemory()
    {
        Assert.That(UdfLimits.Default, Is.EqualTo(new UdfLimits { MemoryPages = 256, Timeout = TimeSpan.FromSeconds(1) }));
        using var registry = fixture.CreateRegistry();
        RegisterGrower(registry, limits: null);
        var trap = WithinHangGuard(() => TrapOf(() => registry.Call("spin", null, Empty)));
        Assert.That(trap, Is.EqualTo(TrapCode.Interrupted));
        // 1 page to start: 255 more reach the 16 MiB cap, one more does not fit.
        Assert.That(registry.Call("grow", null, Empty, Args(("pages", 256))).AsInt32(), Is.EqualTo(-1));
        Assert.That(registry.Call("grow", null, Empty, Args(("pages", 255))).AsInt32(), Is.EqualTo(1));
    }

    [Test]
    public void ARegistrationsOwnLimitsRaiseTheDefaultsOneByOne()
    {
        using var registry = fixture.CreateRegistry();
        // More memory, the default timeout still applies.
        RegisterGrower(registry, new UdfLimits { MemoryPages = 1024 });
        Assert.That(registry.Call("grow", null, Empty, Args(("pages", 600))).AsInt32(), Is.EqualTo(1));
        Assert.That(WithinHangGuard(() => TrapOf(() => registry.Call("spin", null, Empty))), Is.EqualTo(TrapCode.Interrupted));

        // A longer timeout, the default memory cap still applies.
        using var other = fixture.CreateRegistry();
        RegisterGrower(other, new UdfLimits { Timeout = TimeSpan.FromSeconds(2) });
        Assert.That(other.Call("grow", null, Empty, Args(("pages", 600))).AsInt32(), Is.EqualTo(-1));

        // A manifest's limits do the same.
        using var third = fixture.CreateRegistry();
        var loader = new ComponentLoader(third.Backend);
        var component = loader.LoadBytes(Wat.ToWasm(Grower), ComponentManifest.Parse("""
            { "name": "grower", "version": "1.0.0", "limits": { "fuel": 1000 },
              "udfs": [ { "name": "grow", "export": "grow", "version": "1.0.0", "parameters": [ { "name": "pages", "type": "i32" } ], "returns": ["i32"] },
                        { "name": "spin", "export": "spin", "version": "1.0.0", "returns": ["i32"] } ] }
            """));
        third.Register(component);
        Assert.That(third.Call("grow", null, Empty, Args(("pages", 600))).AsInt32(), Is.EqualTo(-1), "the default memory cap");
        Assert.That(WithinHangGuard(() => TrapOf(() => third.Call("spin", null, Empty))), Is.EqualTo(TrapCode.OutOfFuel), "the manifest's fuel");

        // UdfLimits.None as the registry's defaults lifts them all.
        using var unlimited = fixture.CreateRegistry(new UdfRegistryOptions { DefaultLimits = UdfLimits.None });
        RegisterGrower(unlimited, null);
        Assert.That(unlimited.Call("grow", null, Empty, Args(("pages", 600))).AsInt32(), Is.EqualTo(1));
    }
}
