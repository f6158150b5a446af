namespace WasmKit.Wasi;

/// <summary>A guest path resolved inside a sandbox: its components from the sandbox root, host path and kind.</summary>
/// <param name="Components">The names from the sandbox root; no ".", "..", or symbolic links but possibly the last.</param>
/// <param name="HostPath">The path on the host.</param>
/// <param name="Kind">What is there now.</param>
/// <param name="TrailingSlash">Whether the guest path ended in '/', which asks for a directory.</param>
internal readonly record struct ResolvedPath(List<string> Components, string HostPath, EntryKind Kind, bool TrailingSlash)
{
    /// <summary>Whether this is the sandbox root itself, which the guest may not remove or rename.</summary>
    public bool IsRoot => Components.Count == 0;
}
