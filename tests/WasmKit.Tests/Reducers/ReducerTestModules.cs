namespace WasmKit.Tests.Reducers;

/// <summary>Hand-written reducer modules in WAT: the contract's exports with bodies (and imports) chosen per test.</summary>
internal static class ReducerTestModules
{
    /// <summary>
    /// A module with one page of memory and the four exports. By default: the input buffer at 1024, loads
    /// accept anything, apply and save return empty results at 2048.
    /// </summary>
    public static string Reducer(
        string imports = "",
        string input = "(i32.const 1024)",
        string load = "(i32.const 0)",
        string apply = "(i64.const 0x0000080000000000)",
        string save = "(i64.const 0x0000080000000000)",
        string extra = "") => $$"""
        (module
          {{imports}}
          (memory (export "memory") 1)
          (func (export "reducer_input") (param i32) (result i32) {{input}})
          (func (export "reducer_load") (param i32 i32 i32) (result i32) {{load}})
          (func (export "reducer_apply") (param i32 i32 i32 i32 i32) (result i64) {{apply}})
          (func (export "reducer_save") (param i32) (result i64) {{save}})
          {{extra}})
        """;
}
