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
