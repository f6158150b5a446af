namespace WasmKit.SpecTests;

/// <summary>A command uses something the harness cannot express (v128 values, text modules).</summary>
internal sealed class UnsupportedCommandException(string message) : Exception(message);
