using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;

namespace WasmKit.Fuzz;

/// <summary>
/// Rewrites fuzz-exec output (binaryen's or WasmKit's) into a canonical form so equal behaviour
/// gives equal lines:
/// <list type="bullet">
/// <item>Numbers are compared by value: binaryen spells floats its own way (<c>1e3</c>,
/// <c>1.e+300</c>, 24 digits then an exponent), WasmKit prints round-trip digits. Integral values
/// become their exact integer; others their shortest round-trip form. Integer spellings stay as
/// they are, so i64 values are compared exactly.</item>
/// <item>binaryen's specific trap messages (e.g. <c>highest &gt; memory: 65534 &gt; 65532</c>)
/// become the spec wording WasmKit uses (<c>out of bounds memory access</c>).</item>
/// </list>
/// NaNs stay as printed; <see cref="OutputComparison"/> decides which NaN differences are allowed.
/// </summary>
public static partial class OutputNormalizer
{
    private const string LoggingPrefix = "[LoggingExternalInterface logging";
    private const string ResultPrefix = "[fuzz-exec] note result: ";
    private const string TrapPrefix = "[trap ";

    /// <summary>binaryen 108's trap messages and the spec wording WasmKit uses for them.</summary>
    private static readonly (Regex Pattern, string Message)[] TrapMessages =
    [
        (new(@"^(highest|offset|final) > memory: \d+ > \d+$"), "out of bounds memory access"),
        (new(@"^out of bounds (memory|segment) access in memory\.(fill|copy|init)$"), "out of bounds memory access"),
        (new(@"^out of bounds table access$"), "out of bounds table access"),
        (new(@"^callTable overflow$"), "undefined element"),
        (new(@"^uninitialized table element$"), "uninitialized element"),
        (new(@"^callIndirect: function (types|signatures) don't match$"), "indirect call type mismatch"),
        (new(@"^i(32|64)\.(div|rem)_[su] by 0$"), "integer divide by zero"),
        (new(@"^i(32|64)\.div_s overflow$"), "integer overflow"),
        (new(@"^i(32|64)\.trunc[SU]Float overflow$"), "integer overflow"),
        (new(@"^trunc[SU]Float of nan$"), "invalid conversion to integer"),
        (new(@"^stack limit$"), "call stack exhausted"),
        (new(@"^null (ref|target in call_ref)$"), "null reference"),
        (new(@"^unreachable$"), "unreachable"),
    ];

    /// <summary>Splits output into lines, dropping empty ones and trailing carriage returns.</summary>
    public static List<string> Lines(string output) =>
        [.. output.Split('\n').Select(line => line.TrimEnd('\r')).Where(line => line.Length > 0)];

    /// <summary>Normalizes every line of an output.</summary>
    public static List<string> Normalize(string output) => [.. Lines(output).Select(NormalizeLine)];

    /// <summary>Normalizes one line.</summary>
    public static string NormalizeLine(string line)
    {
        if (line.StartsWith(LoggingPrefix, StringComparison.Ordinal) && line.EndsWith(']'))
        {
            string values = line[LoggingPrefix.Length..^1];
            var tokens = values.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(CanonicalValue);
            return LoggingPrefix + string.Concat(tokens.Select(t => " " + t)) + "]";
        }
        if (line.StartsWith(ResultPrefix, StringComparison.Ordinal))
        {
            int arrow = line.IndexOf(" => ", StringComparison.Ordinal);
            if (arrow < 0) return line;
            string value = line[(arrow + 4)..];
            string canonical = value.StartsWith('(') && value.EndsWith(')')
                ? "(" + string.Join(", ", value[1..^1].Split(", ").Select(CanonicalValue)) + ")"
                : CanonicalValue(value);
            return line[..(arrow + 4)] + canonical;
        }
        if (line.StartsWith(TrapPrefix, StringComparison.Ordinal) && line.EndsWith(']'))
        {
            string message = line[TrapPrefix.Length..^1];
            foreach (var (pattern, spec) in TrapMessages)
            {
                if (pattern.IsMatch(message)) return TrapPrefix + spec + "]";
            }
        }
        return line;
    }

    /// <summary>The canonical spelling of one printed value (see the class summary).</summary>
    public static string CanonicalValue(string token)
    {
        if (token is "inf" or "-inf" or "-0" || IsNaN(token)) return token;
        // An integer spelling that fits an i64 is exact whether it came from an integer or a float.
        // Beyond that it is a float: binaryen prints 2^64 as 18446744073709551615 (it clamps to uint64).
        if (IntegerToken().IsMatch(token) && long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)) return token;
        if (!double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)) return token;
        if (double.IsInfinity(value)) return value > 0 ? "inf" : "-inf";
        if (value == 0) return double.IsNegative(value) ? "-0" : "0";
        // Integral doubles print as their exact integer, as binaryen does below 2^64 (and above, once its exponent form is parsed).
        if (Math.Floor(value) == value) return new BigInteger(value).ToString(CultureInfo.InvariantCulture);
        return value.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>Whether a printed value is a NaN (<c>[-]nan[:0xPAYLOAD]</c>).</summary>
    public static bool IsNaN(string token) => NaNToken().IsMatch(token);

    /// <summary>
    /// Whether a printed NaN is quiet, i.e. one arithmetic may produce. The type is not printed:
    /// a payload with bit 51 is an f64 quiet NaN; one below 2^23 with bit 22 is taken as an f32
    /// quiet NaN (an f64 signalling NaN with such a small payload would be misread; none was seen).
    /// </summary>
    public static bool IsQuietNaN(string token)
    {
        var match = NaNToken().Match(token);
        if (!match.Success || !match.Groups[1].Success) return false;
        ulong payload = ulong.Parse(match.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return (payload & (1UL << 51)) != 0 || (payload < (1UL << 23) && (payload & (1UL << 22)) != 0);
    }

    [GeneratedRegex(@"^-?nan(?::0x([0-9a-f]+))?$")]
    private static partial Regex NaNToken();

    [GeneratedRegex(@"^-?[0-9]+$")]
    private static partial Regex IntegerToken();
}
