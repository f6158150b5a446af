using System.Text.Json;

namespace WasmKit.Plugins;

/// <summary>
/// Reads a tap's result from guest memory: <c>{"render": any, "set": {"field": any, ...}, "reject": "text"}</c>,
/// every member optional. Fills the call's pending render, changes and rejection, or names what is wrong.
/// </summary>
internal static class TapResultReader
{
    /// <summary>Reads a result; returns null when it is good, else the failure kind and reason.</summary>
    public static (TapFailureKind Kind, string Reason)? Read(ReadOnlySpan<byte> json, PluginCallState state)
    {
        var binding = state.Binding!;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = JsonValueCheck.MaximumDepth });
            if (!reader.Read()) return (TapFailureKind.MalformedResult, "the result is empty");
            if (reader.TokenType != JsonTokenType.StartObject)
                return (TapFailureKind.WrongShape, $"the result must be a JSON object, not {Describe(reader.TokenType)}");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("render"u8))
                {
                    reader.Read();
                    state.PendingRender = Value(ref reader, json);
                }
                else if (reader.ValueTextEquals("reject"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.String)
                        return (TapFailureKind.WrongShape, $"'reject' must be a string, not {Describe(reader.TokenType)}");
                    state.PendingRejection = reader.GetString();
                }
                else if (reader.ValueTextEquals("set"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.StartObject)
                        return (TapFailureKind.WrongShape, $"'set' must be an object of fields, not {Describe(reader.TokenType)}");
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        byte[] name = reader.ValueIsEscaped ? System.Text.Encoding.UTF8.GetBytes(reader.GetString()!) : reader.ValueSpan.ToArray();
                        if (!binding.CanWrite(name))
                            return (TapFailureKind.Denied, $"the manifest does not let tap '{binding.Declaration.Name}' write the field '{reader.GetString()}'");
                        reader.Read();
                        state.PendingSets.Add(new(name, Value(ref reader, json)));
                    }
                }
                else
                {
                    return (TapFailureKind.WrongShape, $"unknown result member '{reader.GetString()}' (known: render, set, reject)");
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
                return (TapFailureKind.MalformedResult, "the result has more than one JSON value");
            return null;
        }
        catch (JsonException error)
        {
            return (TapFailureKind.MalformedResult, $"the result is not well-formed JSON (byte {error.BytePositionInLine + 1}): {error.Message}");
        }
    }

    /// <summary>Copies the value at the reader (skipping a container, which checks it) out of guest memory.</summary>
    private static byte[] Value(ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
    {
        int start = (int)reader.TokenStartIndex;
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) reader.Skip();
        return json[start..(int)reader.BytesConsumed].ToArray();
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.StartObject => "an object",
        _ => token.ToString(),
    };
}
