using System.Text;

namespace WasmKit.Plugins;

/// <summary>A field one plugin set, as applied to the item (in the plugins' order).</summary>
/// <param name="Plugin">The plugin's name.</param>
/// <param name="Field">The field's name.</param>
/// <param name="Value">The new value's UTF-8 JSON.</param>
public sealed record TapChange(string Plugin, string Field, ReadOnlyMemory<byte> Value)
{
    /// <summary>The new value's JSON as text.</summary>
    public string ValueText => Encoding.UTF8.GetString(Value.Span);
}
