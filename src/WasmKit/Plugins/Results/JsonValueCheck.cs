using System.Text.Json;

namespace WasmKit.Plugins;

/// <summary>Checks guest-made JSON: exactly one well-formed value, nested no deeper than the host allows.</summary>
internal static class JsonValueCheck
{
    public const int MaximumDepth = 64;

    public static bool IsSingleValue(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaximumDepth });
            if (!reader.Read()) return false;
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) reader.Skip();
            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
