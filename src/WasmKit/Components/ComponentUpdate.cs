namespace WasmKit.Components;

/// <summary>A component whose files changed: the version still in use and the one that replaces it.</summary>
/// <param name="Previous">The version loaded before; it keeps working for whoever still holds it.</param>
/// <param name="Current">The newly loaded version.</param>
public sealed record ComponentUpdate(LoadedComponent Previous, LoadedComponent Current);
