namespace WasmKit.Fuzz;

/// <summary>The engine whose output WasmKit's must agree with.</summary>
public enum FuzzOracle
{
    /// <summary>binaryen's interpreter (<c>wasm-opt --fuzz-exec-before</c>), in its own process.</summary>
    Binaryen,

    /// <summary>Wasmtime (the <c>Wasmtime</c> NuGet package), in this process (<see cref="WasmtimeFuzzExecRunner"/>).</summary>
    Wasmtime,
}
