namespace WasmKit.SpecTests;

/// <summary>
/// A handful of spec scripts with every function compiled to machine code before the module's load returns
/// (<see cref="MachineCodeCompilation.Ahead"/>), in both <see cref="CodeTiering"/>s: calls, indirect calls,
/// tables of functions, imports, start functions, traps and loops. The whole suite passed in this mode when it
/// was added; these keep it honest without a third full-suite fixture.
/// </summary>
[TestFixture(CodeTiering.Tiered)]
[TestFixture(CodeTiering.Collectible)]
[Parallelizable(ParallelScope.Children)]
public sealed class MachineCodeSpecTests(CodeTiering tiering)
{
    private static readonly string[] Scripts =
        ["br_table.wast", "call.wast", "call_indirect.wast", "fac.wast", "func_ptrs.wast", "imports.wast", "loop.wast", "memory_grow.wast", "start.wast", "traps.wast"];

    [TestCaseSource(nameof(Scripts))]
    public void ScriptCompiledAhead(string file)
    {
        if (SpecSuiteLocator.SuiteDirectory is not string suite)
        {
            if (SpecSuiteLocator.IsContinuousIntegration) Assert.Fail(SpecSuiteLocator.SuiteMissingInCi);
            Assert.Ignore(SpecSuiteLocator.SuiteMissingLocally);
            return;
        }

        var result = SpecScriptExecution.Run(Path.Combine(suite, "core", file),
            new EngineOptions { CodeTiering = tiering, MachineCode = MachineCodeCompilation.Ahead });
        string counts = $"{file}: {result.Passed} passed, {result.Failed} failed, {result.Skipped} skipped";
        TestContext.Out.WriteLine(counts);
        if (result.HarnessError is string error)
            Assert.Fail($"{counts}{Environment.NewLine}{error}");
        if (SpecBaseline.Current.Violation(result) is string violation)
            Assert.Fail($"{counts}: {violation}.{Environment.NewLine}{result.DescribeFailures()}");
    }
}
