namespace WasmKit.Wasmtime.Reset;

/// <summary>The module uses something that an in-place reset cannot restore (or this rewriter does not know).</summary>
internal sealed class NotInstrumentableException(string reason) : Exception(reason);
