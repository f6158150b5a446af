using System.Reflection;
using System.Reflection.Emit;
using WasmKit.Compilation;

namespace WasmKit.Tests.Runtime;

/// <summary>
/// <see cref="EngineOptions.MachineCode"/>'s validation, and code the JIT rejects: ahead of the load it fails the
/// load with the library's exception; in the background it is left for the call to report, and no thread dies of it.
/// </summary>
public sealed class MachineCodePreparationTests
{
    [Test]
    public void TheDefaultCompilesOnFirstCall() =>
        Assert.That(new EngineOptions().MachineCode, Is.EqualTo(MachineCodeCompilation.OnFirstCall));

    [Test]
    public void AnUndefinedModeIsRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new EngineOptions { MachineCode = (MachineCodeCompilation)42 });

    [Test]
    public void RejectedCodeFailsAnAheadCompileWithTheFunctionsIndex()
    {
        var pending = new PendingMachineCode([.. Enumerable.Repeat(ValidMethod(), 8), InvalidMethod(), .. Enumerable.Repeat(ValidMethod(), 8)],
            [.. Enumerable.Range(0, 17)]);
        var error = Assert.Throws<WasmImplementationLimitException>(() => MachineCodePreparation.CompileAll(pending))!;
        Assert.That(error.Location, Is.EqualTo("function 8"));
        Assert.That(error.Limit, Is.EqualTo(WasmImplementationLimitException.GeneratedCodeLimit));
        Assert.That(error.InnerException, Is.InstanceOf<InvalidProgramException>());
    }

    [Test]
    public void RejectedCodeDoesNotStopBackgroundCompilation()
    {
        using var engine = new Engine();
        var pending = new PendingMachineCode([InvalidMethod(), ValidMethod()], [0, 1]);
        engine.BackgroundMachineCode.Add(pending);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (engine.BackgroundMachineCode.ActiveThreads > 0 && waited.Elapsed < TimeSpan.FromMinutes(2)) Thread.Sleep(10);
        Assert.That(engine.BackgroundMachineCode.ActiveThreads, Is.Zero);
        Assert.That(pending.IsExhausted, Is.True);
        GC.KeepAlive(pending);
    }

    [Test]
    public void BackgroundOrderFollowsCallsFromTheEntryPointsThenTheLargestOfTheRest()
    {
        // Defined functions: 0 big and only called indirectly, 1 $b, 2 $start calls $c then $b, 3 $c, 4 small and uncalled.
        var module = WasmKit.BinaryFormat.ModuleDecoder.Decode(WasmKit.Tests.Support.Wat.ToWasm("""
            (module
              (import "env" "log" (func $log (param i32)))
              (table 1 funcref)
              (elem (i32.const 0) $big)
              (func $big (param i32) (result i32)
                (i32.add (i32.mul (local.get 0) (local.get 0)) (i32.add (i32.mul (local.get 0) (i32.const 3)) (i32.const 7))))
              (func $b (call $log (i32.const 2)))
              (func $start (export "_start") (call $c) (call $b) (call $c))
              (func $c (call $log (i32.const 1)) (call $b))
              (func $small))
            """));
        Assert.That(MachineCodeOrder.ByFirstCall(module), Is.EqualTo(new[] { 2, 3, 1, 0, 4 }));
        Assert.That(MachineCodeOrder.LargestFirst(module)[0], Is.EqualTo(0));
    }

    private static RuntimeMethodHandle ValidMethod() => Method(il =>
    {
        il.Emit(OpCodes.Ldc_I4_1);
        il.Emit(OpCodes.Ret);
    });

    /// <summary>A method that returns without the int it promises: the JIT refuses it.</summary>
    private static RuntimeMethodHandle InvalidMethod() => Method(il => il.Emit(OpCodes.Ret));

    private static RuntimeMethodHandle Method(Action<ILGenerator> emit)
    {
        var assembly = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName("MachineCodeTest"), AssemblyBuilderAccess.RunAndCollect);
        var type = assembly.DefineDynamicModule("MachineCodeTest").DefineType("Code", TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed);
        var method = type.DefineMethod("Method", MethodAttributes.Public | MethodAttributes.Static, typeof(int), Type.EmptyTypes);
        emit(method.GetILGenerator());
        return type.CreateType().GetMethod("Method")!.MethodHandle;
    }
}
