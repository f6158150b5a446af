namespace WasmKit.Reducers;

/// <summary>
/// How state, loaded data, commands and effects are encoded across the reducer boundary. The host passes it
/// to every guest call; the bytes' layout within a format is the reducer's own (fixtures/reducers/README.md
/// describes the bank ledger's).
/// </summary>
public enum ReducerFormat
{
    /// <summary>Fixed-size little-endian records: the cheapest to cross the boundary.</summary>
    Binary = 0,

    /// <summary>UTF-8 JSON: readable and self-describing, at the cost of parsing and printing.</summary>
    Json = 1,
}
