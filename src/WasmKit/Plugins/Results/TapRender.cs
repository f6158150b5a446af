using System.Text;

namespace WasmKit.Plugins;

/// <summary>A render element one plugin returned (the <c>render</c> member of its result), checked to be one well-formed JSON value.</summary>
/// <param name="Plugin">The plugin's name.</param>
/// <param name="Json">The element's UTF-8 JSON.</param>
public sealed record TapRender(string Plugin, ReadOnlyMemory<byte> Json)
{
    /// <summary>The element's JSON as text.</summary>
    public string JsonText => Encoding.UTF8.GetString(Json.Span);
}
