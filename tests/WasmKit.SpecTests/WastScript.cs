using System.Text.Json;

namespace WasmKit.SpecTests;

/// <summary>A script as wast2json writes it: the source name and its commands in order.</summary>
internal sealed record WastScript(string? SourceFilename, List<WastCommand> Commands)
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public static WastScript Load(string jsonPath)
    {
        using var stream = File.OpenRead(jsonPath);
        return JsonSerializer.Deserialize<WastScript>(stream, Options)
            ?? throw new InvalidDataException($"{jsonPath} holds no script.");
    }
}

/// <summary>One command of a script; which fields are set depends on <see cref="Type"/>.</summary>
internal sealed record WastCommand(
    string Type,
    int Line,
    string? Filename,
    string? Name,
    string? As,
    string? ModuleType,
    string? Text,
    WastAction? Action,
    List<WastValue>? Expected);

/// <summary>An invoke (function call) or a get (read of an exported global).</summary>
internal sealed record WastAction(string Type, string? Module, string Field, List<WastValue>? Args);

/// <summary>
/// A typed value; <see cref="Value"/> is a string for scalars and references, a list of lanes for v128
/// (<see cref="LaneType"/> says how to read them).
/// </summary>
internal sealed record WastValue(string Type, JsonElement? Value, string? LaneType = null)
{
    /// <summary>The value text, or null when it is absent or not a string (v128 lanes).</summary>
    public string? Text => Value is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;
}
