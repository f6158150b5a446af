using System.Globalization;
using System.Text;

namespace WasmKit.Udf;

/// <summary>
/// Unescapes the inside of a JSON string token (without its quotes) to UTF-8. Unlike
/// <see cref="System.Text.Json.Utf8JsonReader.CopyString(Span{byte})"/>, a lone surrogate escape (valid JSON,
/// but no valid text) becomes U+FFFD instead of an exception, so a hostile document reads as text.
/// </summary>
internal static class JsonStringUnescaper
{
    private static ReadOnlySpan<byte> Replacement => [0xEF, 0xBF, 0xBD];

    /// <summary>
    /// Writes the unescaped bytes of <paramref name="inner"/>, a string token the JSON parser already
    /// validated, into <paramref name="destination"/> (at least as long as <paramref name="inner"/>:
    /// unescaping never lengthens). Returns the bytes written.
    /// </summary>
    public static int Unescape(ReadOnlySpan<byte> inner, Span<byte> destination)
    {
        int written = 0;
        int i = 0;
        while (i < inner.Length)
        {
            int backslash = inner[i..].IndexOf((byte)'\\');
            if (backslash < 0)
            {
                inner[i..].CopyTo(destination[written..]);
                return written + inner.Length - i;
            }
            inner.Slice(i, backslash).CopyTo(destination[written..]);
            written += backslash;
            i += backslash + 1;
            byte escape = inner[i++];
            switch (escape)
            {
                case (byte)'b': destination[written++] = (byte)'\b'; break;
                case (byte)'f': destination[written++] = (byte)'\f'; break;
                case (byte)'n': destination[written++] = (byte)'\n'; break;
                case (byte)'r': destination[written++] = (byte)'\r'; break;
                case (byte)'t': destination[written++] = (byte)'\t'; break;
                case (byte)'u':
                {
                    int unit = Hex(inner.Slice(i, 4));
                    i += 4;
                    int scalar = unit;
                    if (char.IsHighSurrogate((char)unit))
                    {
                        // A pair only when a low surrogate escape follows at once; otherwise the half stands alone.
                        int low = i + 6 <= inner.Length && inner[i] == (byte)'\\' && inner[i + 1] == (byte)'u' ? Hex(inner.Slice(i + 2, 4)) : -1;
                        if (low >= 0 && char.IsLowSurrogate((char)low))
                        {
                            scalar = char.ConvertToUtf32((char)unit, (char)low);
                            i += 6;
                        }
                        else
                        {
                            scalar = -1;
                        }
                    }
                    else if (char.IsLowSurrogate((char)unit))
                    {
                        scalar = -1;
                    }
                    written += scalar < 0 ? WriteReplacement(destination[written..]) : new Rune(scalar).EncodeToUtf8(destination[written..]);
                    break;
                }
                default: destination[written++] = escape; break; // '"', '\\' and '/' stand for themselves.
            }
        }
        return written;
    }

    private static int WriteReplacement(Span<byte> destination)
    {
        Replacement.CopyTo(destination);
        return Replacement.Length;
    }

    private static int Hex(ReadOnlySpan<byte> digits)
    {
        Span<char> text = stackalloc char[4];
        for (int k = 0; k < 4; k++) text[k] = (char)digits[k];
        return int.Parse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
    }
}
