namespace WasmKit.Fuzz;

/// <summary>
/// Mismatch categories. The explained ones are differences the WebAssembly spec allows or that
/// come from binaryen rather than WasmKit (README.md gives the evidence); anything else is
/// <c>unexplained:SHAPE</c> and fails the fuzz test.
/// </summary>
public static class MismatchCategories
{
    /// <summary>Only printed NaNs differ (sign or payload), WasmKit's are quiet, and with arithmetic NaNs made canonical the outputs are identical.</summary>
    public const string NaNBits = "nan-bits";

    /// <summary>
    /// Integers or control flow differ, but not once every arithmetic NaN result is made canonical in both engines
    /// (<see cref="NaNCanonicalizer"/>): NaN bits the spec leaves open reached an integer (reinterpret, memory, hashMemory).
    /// </summary>
    public const string NaNBitsPropagated = "nan-bits-propagated";

    /// <summary>WasmKit printed a signalling NaN where binaryen printed another value: arithmetic must return quiet NaNs.</summary>
    public const string SignallingNaN = "signalling-nan";

    /// <summary>Prefix of the categories no explanation covers.</summary>
    public const string UnexplainedPrefix = "unexplained:";

    /// <summary>Whether a mismatch category is explained.</summary>
    public static bool IsExplained(string category) => category is NaNBits or NaNBitsPropagated;
}
