namespace WasmKit.Wasi;

/// <summary>A descriptor for a directory inside a sandbox: a preopened directory or one the guest opened under it.</summary>
internal sealed class DirectoryDescriptor(Sandbox sandbox, IReadOnlyList<string> components, string? preopenName) : Descriptor
{
    /// <summary>The preopened directory this one lies in; all paths resolve inside it.</summary>
    public Sandbox Sandbox { get; } = sandbox;

    /// <summary>
    /// The path from the sandbox root to this directory, one name per component, as it was opened.
    /// It is never trusted as a host path: every use resolves it again from the root (see <see cref="ResolveNow"/>).
    /// </summary>
    public IReadOnlyList<string> Components { get; } = components;

    /// <summary>The guest path of a preopened directory (fd_prestat_dir_name); <see langword="null"/> for others.</summary>
    public string? PreopenName { get; } = preopenName;

    /// <summary>The entries fd_readdir reads from, listed when the guest starts at cookie 0.</summary>
    public List<DirectoryEntry>? Listing { get; set; }

    /// <summary>Where the directory is now, resolved from the sandbox root; ENOTCAPABLE if renames made it lead outside.</summary>
    public ResolvedPath ResolveNow() => Sandbox.ResolveDirectory(Components);

    public override byte FileType => WasmKit.Wasi.FileType.Directory;

    public override long RightsBase => Rights.Directory;

    public override long RightsInheriting => Rights.All;
}
