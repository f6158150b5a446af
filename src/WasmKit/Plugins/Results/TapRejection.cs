namespace WasmKit.Plugins;

/// <summary>A validator's refusal of the item (the <c>reject</c> member of its result).</summary>
/// <param name="Plugin">The plugin's name.</param>
/// <param name="Message">The plugin's message.</param>
public sealed record TapRejection(string Plugin, string Message);
