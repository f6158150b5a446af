namespace WasmKit.Plugins;

/// <summary>One tap a plugin implements: which export, which item fields it may read and write, and where it runs in the order.</summary>
public sealed record PluginTapDeclaration
{
    /// <summary>The field list that grants every field: <c>["*"]</c>.</summary>
    public const string AllFields = "*";

    /// <summary>The tap's name, e.g. <c>item_view</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The function export implementing it, of type <c>(i32 item_ptr, i32 item_len) -> i64</c>; the tap's name unless given.</summary>
    public required string Export { get; init; }

    /// <summary>The top-level item fields the tap may read; <c>["*"]</c> for all of them.</summary>
    public IReadOnlyList<string> Read { get; init; } = [];

    /// <summary>The top-level item fields the tap may set.</summary>
    public IReadOnlyList<string> Write { get; init; } = [];

    /// <summary>The tap's place in the order: lower weights run first, equal weights by plugin name.</summary>
    public int Weight { get; init; }

    /// <summary>Whether <see cref="Read"/> grants every field.</summary>
    public bool ReadsAllFields => Read.Count == 1 && Read[0] == AllFields;
}
