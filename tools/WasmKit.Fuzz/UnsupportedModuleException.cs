namespace WasmKit.Fuzz;

/// <summary>The module needs something the fuzz host does not provide (an import outside "fuzzing-support"); the seed is skipped, not failed.</summary>
public sealed class UnsupportedModuleException(string message) : Exception(message);
