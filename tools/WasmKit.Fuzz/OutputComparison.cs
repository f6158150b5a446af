using System.Text.RegularExpressions;

namespace WasmKit.Fuzz;

/// <summary>How binaryen's and WasmKit's outputs for one module compare.</summary>
/// <param name="Kind">Whether they match, differ only in NaNs the spec allows to differ, or differ.</param>
/// <param name="LineNumber">The first differing line (1-based), or 0 when they match.</param>
/// <param name="Expected">binaryen's normalized line there ("&lt;end&gt;" past its end).</param>
/// <param name="Actual">WasmKit's normalized line there ("&lt;end&gt;" past its end).</param>
/// <param name="Shape">A short tag for what differs: nan-bits, trap-kind, trap-vs-value, result-value, logging-value, line-count, other.</param>
public sealed partial record OutputComparison(ComparisonKind Kind, int LineNumber, string Expected, string Actual, string Shape)
{
    /// <summary>
    /// Whether, somewhere the outputs differ, WasmKit printed a signalling NaN. No arithmetic may produce one, and
    /// bit-exact operations would have printed the same value in binaryen, so this is wrong whatever binaryen printed.
    /// </summary>
    public bool SignallingNaNFromWasmKit { get; init; }

    private const string End = "<end>";

    /// <summary>
    /// Compares two raw outputs after normalization: first exactly, then allowing a WasmKit NaN to
    /// differ from binaryen's in sign and payload as long as it is quiet. The spec makes the sign
    /// and payload of arithmetic NaN results nondeterministic (only quietness is required when an
    /// input NaN is not canonical); binaryen canonicalizes them while WasmKit keeps what the CPU
    /// produces. A signalling NaN can only come from bit-exact operations, so it must match exactly.
    /// </summary>
    public static OutputComparison Compare(string binaryen, string wasmKit)
    {
        var expected = OutputNormalizer.Normalize(binaryen);
        var actual = OutputNormalizer.Normalize(wasmKit);
        int line = FirstDifference(expected, actual, (e, a) => e == a);
        if (line < 0) return new OutputComparison(ComparisonKind.Match, 0, "", "", "");
        int signalling = FirstDifference(expected, actual, (e, a) => !HasSignallingNaNWhereDifferent(e, a));
        if (signalling >= 0 && signalling < Math.Min(expected.Count, actual.Count))
        {
            return new OutputComparison(ComparisonKind.Different, signalling + 1, expected[signalling], actual[signalling], MismatchCategories.SignallingNaN)
            {
                SignallingNaNFromWasmKit = true,
            };
        }

        int lenient = FirstDifference(expected, actual, EquivalentUpToNaNs);
        if (lenient < 0)
            return new OutputComparison(ComparisonKind.NaNBitsOnly, line + 1, At(expected, line), At(actual, line), "nan-bits");

        string e = At(expected, lenient), a = At(actual, lenient);
        return new OutputComparison(ComparisonKind.Different, lenient + 1, e, a, ShapeOf(e, a));
    }

    private static int FirstDifference(List<string> expected, List<string> actual, Func<string, string, bool> equal)
    {
        int common = Math.Min(expected.Count, actual.Count);
        for (int i = 0; i < common; i++)
        {
            if (!equal(expected[i], actual[i])) return i;
        }
        return expected.Count == actual.Count ? -1 : common;
    }

    private static bool EquivalentUpToNaNs(string expected, string actual)
    {
        if (expected == actual) return true;
        var expectedTokens = TokenSeparator().Split(expected);
        var actualTokens = TokenSeparator().Split(actual);
        if (expectedTokens.Length != actualTokens.Length) return false;
        for (int i = 0; i < expectedTokens.Length; i++)
        {
            string e = expectedTokens[i], a = actualTokens[i];
            if (e == a) continue;
            if (!(OutputNormalizer.IsNaN(e) && OutputNormalizer.IsQuietNaN(a))) return false;
        }
        return true;
    }

    private static bool HasSignallingNaNWhereDifferent(string expected, string actual)
    {
        if (expected == actual) return false;
        var expectedTokens = TokenSeparator().Split(expected);
        var actualTokens = TokenSeparator().Split(actual);
        for (int i = 0; i < Math.Min(expectedTokens.Length, actualTokens.Length); i++)
        {
            string a = actualTokens[i];
            if (a != expectedTokens[i] && OutputNormalizer.IsNaN(a) && !OutputNormalizer.IsQuietNaN(a)) return true;
        }
        return false;
    }

    private static string At(List<string> lines, int index) => index < lines.Count ? lines[index] : End;

    private static string ShapeOf(string expected, string actual)
    {
        if (expected == End || actual == End) return "line-count";
        bool expectedTrap = expected.StartsWith("[trap ", StringComparison.Ordinal);
        bool actualTrap = actual.StartsWith("[trap ", StringComparison.Ordinal);
        if (expectedTrap && actualTrap) return "trap-kind";
        if (expectedTrap || actualTrap) return "trap-vs-value";
        if (expected.StartsWith("[fuzz-exec] note result", StringComparison.Ordinal) && actual.StartsWith("[fuzz-exec] note result", StringComparison.Ordinal)) return "result-value";
        if (expected.StartsWith("[LoggingExternalInterface", StringComparison.Ordinal) && actual.StartsWith("[LoggingExternalInterface", StringComparison.Ordinal)) return "logging-value";
        return "other";
    }

    // Splits a line into values and punctuation, keeping the punctuation so structure must match too.
    [GeneratedRegex(@"([ ,()\[\]])")]
    private static partial Regex TokenSeparator();
}

/// <summary>The verdict of <see cref="OutputComparison"/>.</summary>
public enum ComparisonKind
{
    /// <summary>Equal after normalization.</summary>
    Match,

    /// <summary>Equal except for NaNs whose sign and payload the spec leaves open.</summary>
    NaNBitsOnly,

    /// <summary>Different.</summary>
    Different,
}
