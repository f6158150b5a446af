namespace WasmKit.Fuzz;

/// <summary>
/// Mismatch categories. The explained ones are differences the WebAssembly spec allows or that
/// come from binaryen rather than WasmKit (README.md gives the evidence); anything else is
/// <c>unexplained:SHAPE</c> and fails the fuzz test.
/// </summary>
public static class MismatchCategories
{
    /// <summary>Only printed NaNs differ (sign or payload).</summary>
    public const string NaNBits = "nan-bits";

    /// <summary>Integers or control flow differ, but not once wasm-opt --denan turns NaN results into 0 in both engines: NaN bits reached an integer (reinterpret, memory, hashMemory).</summary>
    public const string NaNBitsPropagated = "nan-bits-propagated";

    /// <summary>Prefix of the categories no explanation covers.</summary>
    public const string UnexplainedPrefix = "unexplained:";

    /// <summary>Whether a mismatch category is explained.</summary>
    public static bool IsExplained(string category) => category is NaNBits or NaNBitsPropagated;
}
