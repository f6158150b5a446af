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
public class UdfGuestLimitTests
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
        using var registry = new UdfRegistry(new UdfRegistryOptions { MaximumInstancesPerModule = 2 });
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
    private static Module AllocLoopingModule(UdfRegistry registry, int loopFrom) => Module.FromBytes(registry.Engine, Wat.ToWasm($$"""
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
        using var registry = new UdfRegistry();
        registry.Register(Length, AllocLoopingModule(registry, loopFrom: 0), new UdfLimits { Timeout = TimeSpan.FromMilliseconds(100) });
        var trap = WithinHangGuard(() => TrapOf(() => registry.Call("length", null, Empty, Args(("text", "abc")))));
        Assert.That(trap, Is.EqualTo(TrapCode.Interrupted));
        Assert.That(registry.GetStatistics("length").Errors, Is.EqualTo(1));
    }

    [Test]
    public void AnAllocationThatLoopsForeverForLongStringsIsInterrupted()
    {
        using var registry = new UdfRegistry();
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
        using var registry = new UdfRegistry();
        registry.Register(Length, AllocLoopingModule(registry, loopFrom: 1025), new UdfLimits { Fuel = 100_000 });
        var trap = WithinHangGuard(() => TrapOf(() => registry.Call("length", null, Empty, Args(("text", new string('x', 2000))))));
        Assert.That(trap, Is.EqualTo(TrapCode.OutOfFuel));
    }

    [Test]
    public void AStartFunctionThatLoopsForeverIsInterrupted()
    {
        using var registry = new UdfRegistry();
        var module = Module.FromBytes(registry.Engine, Wat.ToWasm("""
            (module
              (func $start (loop $forever (br $forever)))
              (start $start)
              (func (export "one") (result i32) (i32.const 1)))
            """), "start-loop");
        registry.Register(Metadata("one", "one", [UdfType.I32]), module, new UdfLimits { Timeout = TimeSpan.FromMilliseconds(100) });
        var trap = WithinHangGuard(() => TrapOf(() => registry.Call("one", null, Empty)));
        Assert.That(trap, Is.EqualTo(TrapCode.Interrupted));
    }
}
