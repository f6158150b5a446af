using WasmKit.Tests.Support;
using WasmKit.Wasi;

namespace WasmKit.Tests.Execution;

/// <summary>
/// A host function that throws stops the guest half way, like a trap: the instance is marked trapped (so
/// it is reset or discarded before reuse) and the host's exception still reaches the caller unchanged.
/// </summary>
public class HostExceptionTests
{
    // The guest sets a busy flag around the host call, as real guests guard re-entrancy; a host exception
    // leaves it set, which is the inconsistent state the trapped mark warns about.
    private const string Guest = """
        (module
          (type $hostType (func))
          (import "env" "host" (func $host))
          (global $busy (export "busy") (mut i32) (i32.const 0))
          (table 1 funcref)
          (elem (i32.const 0) $host)
          (func (export "run")
            (global.set $busy (i32.const 1))
            (call $host)
            (global.set $busy (i32.const 0)))
          (func (export "run_indirect")
            (global.set $busy (i32.const 1))
            (call_indirect (type $hostType) (i32.const 0))
            (global.set $busy (i32.const 0)))
          (func (export "run_pair") (result i32 i32)
            (call $host)
            (i32.const 1) (i32.const 2)))
        """;

    private sealed class HostFailure() : Exception("the host failed");

    private static Engine ResettableEngine() => new(new EngineOptions { ResettableInstances = true });

    private static Instance InstantiateWith(Engine engine, Action<Linker> defineHost)
    {
        var linker = new Linker(engine);
        defineHost(linker);
        return Wat.Instantiate(Guest, linker, new Store(engine));
    }

    private static int Busy(Instance instance) => (int)instance.GetGlobal("busy")!.Value!;

    /// <summary>The instance is trapped with its busy flag stuck; a reset brings back the fresh state.</summary>
    private static void AssertTrappedThenReset(Instance instance)
    {
        Assert.That(instance.HasTrapped, Is.True);
        instance.Reset();
        Assert.That(instance.HasTrapped, Is.False);
        Assert.That(Busy(instance), Is.Zero);
    }

    [Test]
    public void TypedHostExceptionMarksTheInstanceTrapped()
    {
        var failure = new HostFailure();
        var instance = InstantiateWith(ResettableEngine(), linker => linker.DefineFunction("env", "host", new Action<Caller>(_ => throw failure)));

        var thrown = Assert.Throws<HostFailure>(() => instance.GetAction("run")!());
        Assert.That(thrown, Is.SameAs(failure));
        Assert.That(Busy(instance), Is.EqualTo(1));
        AssertTrappedThenReset(instance);

        // Through the multi-result typed invoker too.
        Assert.Throws<HostFailure>(() => instance.GetFunction<(int, int)>("run_pair")!());
        AssertTrappedThenReset(instance);
    }

    [Test]
    public void UntypedHostExceptionMarksTheInstanceTrapped()
    {
        var failure = new HostFailure();
        var instance = InstantiateWith(ResettableEngine(), linker => linker.DefineFunction("env", "host", FunctionType.Of([], []),
            (caller, arguments, results) => throw failure));

        var thrown = Assert.Throws<HostFailure>(() => instance.GetAction("run")!());
        Assert.That(thrown, Is.SameAs(failure));
        AssertTrappedThenReset(instance);
    }

    [Test]
    public void HostExceptionThroughCallIndirectMarksTheInstanceTrapped()
    {
        var failure = new HostFailure();
        var typed = InstantiateWith(ResettableEngine(), linker => linker.DefineFunction("env", "host", new Action<Caller>(_ => throw failure)));
        Assert.That(Assert.Throws<HostFailure>(() => typed.GetAction("run_indirect")!()), Is.SameAs(failure));
        AssertTrappedThenReset(typed);

        var untyped = InstantiateWith(ResettableEngine(), linker => linker.DefineFunction("env", "host", FunctionType.Of([], []),
            (caller, arguments, results) => throw failure));
        Assert.That(Assert.Throws<HostFailure>(() => untyped.GetAction("run_indirect")!()), Is.SameAs(failure));
        AssertTrappedThenReset(untyped);
    }

    [Test]
    public void HostExceptionThroughBoxedInvokeMarksTheInstanceTrapped()
    {
        var failure = new HostFailure();
        var instance = InstantiateWith(ResettableEngine(), linker => linker.DefineFunction("env", "host", new Action<Caller>(_ => throw failure)));

        Assert.That(Assert.Throws<HostFailure>(() => instance.GetFunction("run")!.Invoke()), Is.SameAs(failure));
        AssertTrappedThenReset(instance);

        Assert.That(Assert.Throws<HostFailure>(() => instance.GetFunction("run_pair")!.Invoke()), Is.SameAs(failure));
        AssertTrappedThenReset(instance);
    }

    [Test]
    public void ProcExitDoesNotMarkTheInstanceTrapped()
    {
        var engine = new Engine();
        var linker = new Linker(engine);
        linker.DefineWasi(new WasiConfiguration());
        var instance = Wat.Instantiate("""
            (module
              (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
              (memory (export "memory") 1)
              (func (export "_start") (call $exit (i32.const 3))))
            """, linker, new Store(engine));

        var exit = Assert.Throws<WasiExitException>(() => instance.GetAction("_start")!());
        Assert.That(exit!.ExitCode, Is.EqualTo(3));
        Assert.That(instance.HasTrapped, Is.False);

        Assert.Throws<WasiExitException>(() => instance.GetFunction("_start")!.Invoke());
        Assert.That(instance.HasTrapped, Is.False);
    }

    [Test]
    public void WrongTypedHostResultIsAHostErrorTrap()
    {
        var engine = new Engine();
        var linker = new Linker(engine);
        linker.DefineFunction("env", "answer", FunctionType.Of([], [ValueKind.Int32]),
            (caller, arguments, results) => results[0] = "not a number");
        var instance = Wat.Instantiate("""
            (module
              (import "env" "answer" (func $answer (result i32)))
              (func (export "ask") (result i32) (call $answer)))
            """, linker, new Store(engine));

        var trap = Assert.Throws<WasmTrapException>(() => instance.GetFunction<int>("ask")!());
        Assert.That(trap!.Code, Is.EqualTo(TrapCode.HostError));
        Assert.That(trap.Message, Does.Contain("answer"));
        Assert.That(instance.HasTrapped, Is.True);
    }
}
