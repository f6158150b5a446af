namespace WasmKit.Fuzz;

/// <summary>What running one module in WasmKit printed, and the crash that stopped it, if any.</summary>
/// <param name="Output">The lines printed, in binaryen's fuzz-exec format.</param>
/// <param name="Crash">An exception other than a trap; <see langword="null"/> when the run finished cleanly.</param>
public sealed record FuzzExecResult(string Output, Exception? Crash);
