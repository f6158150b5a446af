namespace WasmKit.Wasi;

/// <summary>
/// A preopened host directory and the rule that keeps the guest inside it: guest paths are
/// resolved one component at a time, following symbolic links by reading them, so ".." cannot
/// climb above the root and no link can lead outside it (ENOTCAPABLE, as other WASI hosts say).
/// On Linux the actions themselves then happen beneath a descriptor of the root (<see cref="Beneath"/>),
/// so a rename between the lookup and the action cannot redirect it; elsewhere they go by host path
/// (a concurrent rename by another process could then redirect one; opened files are still checked).
/// </summary>
internal sealed class Sandbox : IDisposable
{
    // POSIX's SYMLOOP_MAX is at least 8; Linux allows 40.
    private const int MaxLinksFollowed = 40;

    public Sandbox(string hostDirectory, bool readOnly)
    {
        string full = Path.GetFullPath(hostDirectory);
        if (!Directory.Exists(full)) throw new ArgumentException($"The preopened directory '{hostDirectory}' does not exist.", nameof(hostDirectory));
        RootPath = RealPath(full);
        ReadOnly = readOnly;
        if (OperatingSystem.IsLinux()) Beneath = LinuxBeneathRoot.TryOpen(RootPath);
    }

    /// <summary>The root held open as a Linux directory descriptor; <see langword="null"/> on other systems.</summary>
    public LinuxBeneathRoot? Beneath { get; }

    /// <summary>Closes the root's descriptor.</summary>
    public void Dispose() => Beneath?.Dispose();

    /// <summary>The root's host path with every symbolic link in it resolved.</summary>
    public string RootPath { get; }

    /// <summary>Whether the guest may only read.</summary>
    public bool ReadOnly { get; }

    public string HostPathOf(IReadOnlyList<string> components) =>
        components.Count == 0 ? RootPath : Path.Join(RootPath, string.Join('/', components));

    /// <summary>Raises EROFS when the sandbox is read-only.</summary>
    public void RequireWritable()
    {
        if (ReadOnly) throw new WasiErrnoException(Errno.ReadOnlyFileSystem);
    }

    /// <summary>Resolves a guest path relative to the directory at <paramref name="start"/>.</summary>
    /// <param name="start">The components of the directory the path is relative to, from the sandbox root.</param>
    /// <param name="path">The guest's path.</param>
    /// <param name="followLast">Whether a symbolic link as last component is followed too.</param>
    /// <exception cref="WasiErrnoException">The path is empty, absolute, escapes, loops, or goes through a non-directory.</exception>
    public ResolvedPath Resolve(IReadOnlyList<string> start, string path, bool followLast)
    {
        if (path.Length == 0) throw new WasiErrnoException(Errno.NoEntry);
        if (path.Contains('\0')) throw new WasiErrnoException(Errno.Invalid);
        if (path[0] == '/') throw new WasiErrnoException(Errno.NotCapable);
        bool trailingSlash = path[^1] == '/';
        // The directory's own components are walked again from the root: since it was opened, a rename
        // may have put a symbolic link anywhere on its path, and that link must be judged like any other.
        var pending = new LinkedList<string>(start);
        foreach (string name in path.Split('/', StringSplitOptions.RemoveEmptyEntries)) pending.AddLast(name);
        return Walk(pending, followLast, trailingSlash);
    }

    /// <summary>Resolves the directory a descriptor names, from the root, as it is now.</summary>
    /// <param name="components">The descriptor's components from the sandbox root.</param>
    /// <exception cref="WasiErrnoException">It now leads outside (ENOTCAPABLE), is gone (ENOENT) or is no directory (ENOTDIR).</exception>
    public ResolvedPath ResolveDirectory(IReadOnlyList<string> components)
    {
        var path = Walk(new LinkedList<string>(components), followLast: true, trailingSlash: false);
        return path.Kind switch
        {
            EntryKind.Directory => path,
            EntryKind.Missing => throw new WasiErrnoException(Errno.NoEntry),
            _ => throw new WasiErrnoException(Errno.NotDirectory),
        };
    }

    /// <summary>Raises ENOTCAPABLE unless the host path, with every link in it resolved, lies inside the root.</summary>
    public void RequireInside(string hostPath)
    {
        if (!IsInside(RealPath(hostPath))) throw new WasiErrnoException(Errno.NotCapable);
    }

    /// <summary>
    /// Raises ENOTCAPABLE unless the file an open handle refers to lies inside the root. On Linux the
    /// kernel names the handle's file (<c>/proc/self/fd/N</c>), which no rename after the lookup can fool.
    /// </summary>
    public void RequireInside(Microsoft.Win32.SafeHandles.SafeFileHandle handle, string hostPath)
    {
        string? real = null;
        if (OperatingSystem.IsLinux())
        {
            bool added = false;
            try
            {
                handle.DangerousAddRef(ref added);
                real = new FileInfo($"/proc/self/fd/{handle.DangerousGetHandle()}").LinkTarget;
            }
            catch (IOException)
            {
                // No /proc: fall back to the path below.
            }
            finally
            {
                if (added) handle.DangerousRelease();
            }
        }
        if (!IsInside(real ?? RealPath(hostPath))) throw new WasiErrnoException(Errno.NotCapable);
    }

    /// <summary>
    /// Whether a link's text, read as a path from a directory <paramref name="depth"/> levels below the
    /// root, is relative and never climbs above the root (judged on the text alone).
    /// </summary>
    public static bool StaysInside(int depth, string linkTarget)
    {
        if (linkTarget.Length == 0 || Path.IsPathRooted(linkTarget) || linkTarget[0] == '/') return false;
        foreach (string name in linkTarget.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (name == "..") depth--;
            else if (name != ".") depth++;
            if (depth < 0) return false;
        }
        return true;
    }

    private bool IsInside(string realPath) =>
        realPath == RootPath ||
        realPath.StartsWith(RootPath.EndsWith(Path.DirectorySeparatorChar) ? RootPath : RootPath + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>Walks names from the sandbox root, following links, counting ".." against the root.</summary>
    private ResolvedPath Walk(LinkedList<string> pending, bool followLast, bool trailingSlash)
    {
        var current = new List<string>(pending.Count);
        int linksFollowed = 0;
        var kind = EntryKind.Directory;
        while (pending.First is { } node)
        {
            string name = node.Value;
            pending.RemoveFirst();
            if (name == ".") continue;
            if (name == "..")
            {
                if (current.Count == 0) throw new WasiErrnoException(Errno.NotCapable);
                current.RemoveAt(current.Count - 1);
                kind = EntryKind.Directory;
                continue;
            }
            // Windows would read these as separators or drive names inside what we take for one name.
            if (OperatingSystem.IsWindows() && name.AsSpan().IndexOfAny('\\', ':') >= 0) throw new WasiErrnoException(Errno.NotCapable);
            bool isLast = pending.Count == 0;
            current.Add(name);
            kind = InspectInside(current, out string? linkTarget);
            if (kind == EntryKind.SymbolicLink && (!isLast || followLast || trailingSlash))
            {
                if (++linksFollowed > MaxLinksFollowed) throw new WasiErrnoException(Errno.Loop);
                current.RemoveAt(current.Count - 1);
                string target = linkTarget ?? "";
                if (target.Length == 0) throw new WasiErrnoException(Errno.NoEntry);
                if (Path.IsPathRooted(target))
                {
                    // An absolute link may only point into the sandbox; it continues from the root.
                    string relative = Path.GetRelativePath(RootPath, target);
                    if (relative == ".") relative = "";
                    else if (relative == ".." || relative.StartsWith("../", StringComparison.Ordinal) || Path.IsPathRooted(relative))
                        throw new WasiErrnoException(Errno.NotCapable);
                    current.Clear();
                    target = relative;
                }
                var parts = target.Split('/', StringSplitOptions.RemoveEmptyEntries);
                for (int i = parts.Length - 1; i >= 0; i--) pending.AddFirst(parts[i]);
                kind = EntryKind.Directory;
                continue;
            }
            if (!isLast && kind == EntryKind.Missing) throw new WasiErrnoException(Errno.NoEntry);
            if (!isLast && kind == EntryKind.File) throw new WasiErrnoException(Errno.NotDirectory);
        }
        if (trailingSlash && kind == EntryKind.File) throw new WasiErrnoException(Errno.NotDirectory);
        return new ResolvedPath(current, HostPathOf(current), kind, trailingSlash);
    }

    /// <summary>
    /// What the entry <paramref name="components"/> name is, with a link's text. On Linux it is looked at
    /// beneath the root descriptor, so an entry outside is never inspected even if a rename swapped a link
    /// into the path meanwhile; elsewhere by host path.
    /// </summary>
    private EntryKind InspectInside(List<string> components, out string? linkTarget)
    {
        if (Beneath is { } beneath) return beneath.Inspect(components, out linkTarget);
        var kind = Inspect(HostPathOf(components), out var info);
        linkTarget = info.LinkTarget;
        return kind;
    }

    /// <summary>What <paramref name="hostPath"/> names, without following a final link.</summary>
    public static EntryKind Inspect(string hostPath, out FileSystemInfo info)
    {
        // FileSystemInfo reads a symbolic link itself (lstat) and marks it as a reparse point.
        info = new FileInfo(hostPath);
        var attributes = info.Attributes;
        if ((int)attributes == -1) return EntryKind.Missing;
        if ((attributes & FileAttributes.ReparsePoint) != 0) return EntryKind.SymbolicLink;
        if ((attributes & FileAttributes.Directory) != 0)
        {
            info = new DirectoryInfo(hostPath);
            return EntryKind.Directory;
        }
        return EntryKind.File;
    }

    /// <summary>A host path with all symbolic links in it resolved (the host granted this path, so it may lead anywhere).</summary>
    private static string RealPath(string fullPath)
    {
        string? root = Path.GetPathRoot(fullPath);
        if (string.IsNullOrEmpty(root)) return fullPath;
        string current = root;
        var pending = new LinkedList<string>(fullPath[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries));
        int linksFollowed = 0;
        while (pending.First is { } node)
        {
            pending.RemoveFirst();
            if (node.Value == ".") continue;
            if (node.Value == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }
            string next = Path.Join(current, node.Value);
            if (Inspect(next, out var info) == EntryKind.SymbolicLink && linksFollowed++ < MaxLinksFollowed && info.LinkTarget is { Length: > 0 } target)
            {
                if (Path.IsPathRooted(target))
                {
                    current = Path.GetPathRoot(target) ?? root;
                    target = target[current.Length..];
                }
                var parts = target.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
                for (int i = parts.Length - 1; i >= 0; i--) pending.AddFirst(parts[i]);
                continue;
            }
            current = next;
        }
        return current;
    }
}
