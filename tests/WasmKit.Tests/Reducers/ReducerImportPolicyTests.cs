using WasmKit.Reducers;
using WasmKit.Tests.Support;

namespace WasmKit.Tests.Reducers;

/// <summary>Determinism is enforced at load: a reducer may import nothing but env.abort, which traps.</summary>
[TestFixtureSource(typeof(BackendFixtures), nameof(BackendFixtures.All))]
public class ReducerImportPolicyTests(BackendFixture fixture)
{
    [TestCase("wasi_snapshot_preview1", "clock_time_get", "(param i32 i64 i32) (result i32)")]
    [TestCase("wasi_snapshot_preview1", "random_get", "(param i32 i32) (result i32)")]
    [TestCase("wasi_snapshot_preview1", "fd_write", "(param i32 i32 i32 i32) (result i32)")]
    [TestCase("env", "now", "(result f64)")]
    [TestCase("env", "abort", "(param i32 i32 i32)")] // the allowed name with another type
    public void AFunctionImportOutsideTheAllowlistIsRefusedByName(string module, string name, string signature)
    {
        byte[] wasm = Wat.ToWasm(ReducerTestModules.Reducer(imports: $"(import \"{module}\" \"{name}\" (func {signature}))"));
        var error = Assert.Throws<NondeterministicImportException>(() => ReducerModule.Compile(fixture.CreateBackend(), wasm, name: "sneaky"))!;
        Assert.That(error.ImportModule, Is.EqualTo(module));
        Assert.That(error.ImportName, Is.EqualTo(name));
        Assert.That(error.Message, Does.Contain($"'sneaky' imports {module}.{name}").And.Contain("nondeterministic").And.Contain("env.abort"));
    }

    [Test]
    public void AnImportedMemoryOrGlobalIsRefused()
    {
        byte[] global = Wat.ToWasm(ReducerTestModules.Reducer(imports: "(import \"env\" \"seed\" (global i64))"));
        Assert.That(() => ReducerModule.Compile(fixture.CreateBackend(), global),
            Throws.TypeOf<NondeterministicImportException>().With.Property(nameof(NondeterministicImportException.ImportName)).EqualTo("seed"));
    }

    [Test]
    public void AbortIsAllowedAndTrapsWithItsLocation()
    {
        // The message "oops" as an AssemblyScript string: byte length at 96, UTF-16 code units from 100.
        byte[] wasm = Wat.ToWasm(ReducerTestModules.Reducer(
            imports: "(import \"env\" \"abort\" (func $abort (param i32 i32 i32 i32)))",
            apply: "(call $abort (i32.const 100) (i32.const 0) (i32.const 12) (i32.const 5)) (i64.const 0)",
            extra: "(data (i32.const 96) \"\\08\\00\\00\\00o\\00o\\00p\\00s\\00\")"));
        var module = ReducerModule.Compile(fixture.CreateBackend(), wasm, name: "aborting");
        using var reducer = module.CreateReducer();
        var trap = Assert.Throws<WasmTrapException>(() => reducer.ApplyToLoadedState([0, 0, 0, 0]))!;
        Assert.That(trap.Message, Does.Contain("oops").And.Contain(":12:5"));
        Assert.That(reducer.IsFaulted, Is.True);
    }

    [Test]
    public void TheBankLedgerFixtureImportsOnlyAbort()
    {
        var module = ReducerFixtures.BankLedger(fixture.CreateBackend());
        Assert.That(module.BackendModule.Imports.Select(i => $"{i.ModuleName}.{i.Name}"), Is.EquivalentTo(new[] { "env.abort" }));
    }

    [Test]
    public void AMissingOrMistypedExportIsRefused()
    {
        byte[] missing = Wat.ToWasm("(module (memory (export \"memory\") 1))");
        Assert.That(() => ReducerModule.Compile(fixture.CreateBackend(), missing, name: "empty"),
            Throws.TypeOf<ReducerException>().With.Message.Contains("lacks the export reducer_input"));

        byte[] mistyped = Wat.ToWasm(ReducerTestModules.Reducer().Replace(
            "(param i32) (result i64) (i64.const 0x0000080000000000)", "(param i32) (result i32) (i32.const 0)"));
        Assert.That(() => ReducerModule.Compile(fixture.CreateBackend(), mistyped),
            Throws.TypeOf<ReducerException>().With.Message.Contains("exports reducer_save as"));
    }
}
