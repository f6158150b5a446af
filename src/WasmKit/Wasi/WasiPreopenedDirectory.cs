namespace WasmKit.Wasi;

/// <summary>A host directory the guest may use, under the name it sees it by.</summary>
/// <param name="HostPath">The directory on the host.</param>
/// <param name="GuestPath">The path the guest sees it as, such as <c>/data</c> or <c>.</c>.</param>
/// <param name="ReadOnly">Whether the guest may only read (writes, creations, removals and renames fail with EROFS).</param>
public sealed record WasiPreopenedDirectory(string HostPath, string GuestPath, bool ReadOnly = false);
