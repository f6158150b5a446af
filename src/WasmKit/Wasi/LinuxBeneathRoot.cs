using Microsoft.Win32.SafeHandles;
using System.Runtime.InteropServices;
using static WasmKit.Wasi.NativeFileSystem;

namespace WasmKit.Wasi;

/// <summary>
/// A preopened directory held open as a Linux directory descriptor, and the path operations done
/// beneath it. <see cref="Sandbox"/> resolves a guest path into symbolic-link-free components
/// (following links by reading their text, judging ".." against the root), inspecting each component
/// from its parent opened here. Every action then opens the components up to the last again from the
/// root descriptor with no link followed at all (openat2 with RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS,
/// or one <c>openat(O_NOFOLLOW)</c> per component on kernels before 5.6) and takes the last name
/// relative to that parent descriptor. A rename that swaps a link in after the lookup makes the
/// action fail (ENOTCAPABLE, ENOTDIR or ENOENT); it can never redirect it outside the root.
/// </summary>
internal sealed class LinuxBeneathRoot : IDisposable
{
    /// <summary>rw-rw-rw- less the umask, as .NET creates files.</summary>
    private const int NewFileMode = 0x1B6;

    /// <summary>rwxrwxrwx less the umask, as .NET creates directories.</summary>
    private const int NewDirectoryMode = 0x1FF;

    private readonly LinuxDirectoryHandle _root;

    /// <summary>
    /// Whether paths are opened one component at a time instead of with openat2: set once openat2
    /// proved missing (a kernel before 5.6, or a seccomp filter that refuses it); tests set it to try that walk.
    /// </summary>
    public bool WalkByComponent { get; set; }

    private LinuxBeneathRoot(LinuxDirectoryHandle root) => _root = root;

    /// <summary>
    /// Opens <paramref name="rootPath"/> as the root; <see langword="null"/> when it cannot be opened as a
    /// directory or the C library lacks a call this needs (statx came with glibc 2.28 and musl 1.2.5).
    /// </summary>
    public static LinuxBeneathRoot? TryOpen(string rootPath)
    {
        LinuxDirectoryHandle? root = null;
        try
        {
            int fd = OpenAt(CurrentDirectory, rootPath, PathOnly | DirectoryOnly | CloseOnExec, 0);
            if (fd < 0) return null;
            root = new LinuxDirectoryHandle(fd);
            if (StatAt(fd, "", followLast: false, out _)) return new LinuxBeneathRoot(root);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            // Path-based fallback below.
        }
        root?.Dispose();
        return null;
    }

    public void Dispose() => _root.Dispose();

    /// <summary>
    /// Opens the existing regular file <paramref name="components"/> names (or creates it when
    /// <paramref name="flags"/> has O_CREAT). Never blocks: a FIFO, socket or device gives ENOTSUP.
    /// </summary>
    public SafeFileHandle OpenFile(IReadOnlyList<string> components, int flags)
    {
        using var parent = OpenParent(components);
        // O_NONBLOCK: opening a FIFO swapped in since the lookup must not wait for a writer.
        int fd = OpenAt(parent.Fd, components[^1], flags | NoFollow | NonBlocking | CloseOnExec, NewFileMode);
        // ENXIO: a FIFO opened for writing with no reader, or a device without its unit; special files are refused anyway.
        if (fd < 0) throw LastError == NoDeviceOrAddress ? new WasiErrnoException(Errno.NotSupported) : LastErrorAsWasi();
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            int type = TypeOf(fd);
            if (type < 0) throw LastErrorAsWasi();
            if (type != RegularFileType) throw new WasiErrnoException(Errno.NotSupported);
            if (!MakeBlocking(fd)) throw LastErrorAsWasi();
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Creates the directory <paramref name="components"/> name (EEXIST if anything is there).</summary>
    public void CreateDirectory(IReadOnlyList<string> components)
    {
        using var parent = OpenParent(components);
        if (MakeDirectoryAt(parent.Fd, components[^1], NewDirectoryMode) != 0) throw LastErrorAsWasi();
    }

    /// <summary>Removes a file or symbolic link (<paramref name="directory"/> false) or an empty directory.</summary>
    public void Remove(IReadOnlyList<string> components, bool directory)
    {
        using var parent = OpenParent(components);
        if (UnlinkAt(parent.Fd, components[^1], directory ? RemoveDirectoryFlag : 0) != 0) throw LastErrorAsWasi();
    }

    /// <summary>rename(2) semantics: replaces a file, or an empty directory with a directory.</summary>
    public void Rename(IReadOnlyList<string> source, LinuxBeneathRoot targetRoot, IReadOnlyList<string> target)
    {
        using var sourceParent = OpenParent(source);
        using var targetParent = targetRoot.OpenParent(target);
        if (RenameAt(sourceParent.Fd, source[^1], targetParent.Fd, target[^1]) != 0) throw LastErrorAsWasi();
    }

    /// <summary>
    /// Sets the times of the entry itself (a final link is not followed; the root for no components);
    /// see <see cref="NativeFileSystem.SetTimes"/>.
    /// </summary>
    public void SetTimes(IReadOnlyList<string> components, long accessSeconds, long accessNanoseconds, long modifySeconds, long modifyNanoseconds)
    {
        using var parent = OpenDirectory(components, Math.Max(components.Count - 1, 0));
        string name = components.Count == 0 ? "." : components[^1];
        if (NativeFileSystem.SetTimes(parent.Fd, name, accessSeconds, accessNanoseconds, modifySeconds, modifyNanoseconds, NoFollowFlag) != 0)
            throw LastErrorAsWasi();
    }

    /// <summary>The type, size and times of the entry itself (a final link is not followed; the root for no components).</summary>
    public EntryStat Stat(IReadOnlyList<string> components)
    {
        using var parent = OpenDirectory(components, Math.Max(components.Count - 1, 0));
        if (!StatAt(parent.Fd, components.Count == 0 ? "" : components[^1], followLast: false, out var stat)) throw LastErrorAsWasi();
        return stat;
    }

    /// <summary>
    /// What the last of <paramref name="components"/> is (a final link is not followed), looked at from
    /// its parent opened beneath the root; a link's text in <paramref name="linkTarget"/>. FIFOs, sockets
    /// and devices count as files (opening them is refused later).
    /// </summary>
    public EntryKind Inspect(IReadOnlyList<string> components, out string? linkTarget)
    {
        linkTarget = null;
        using var parent = OpenParent(components);
        if (!StatAt(parent.Fd, components[^1], followLast: false, out var stat))
        {
            if (LastError == NoSuchEntry) return EntryKind.Missing;
            throw LastErrorAsWasi();
        }
        switch (stat.Type)
        {
            case DirectoryType:
                return EntryKind.Directory;
            case SymbolicLinkType:
                linkTarget = ReadLinkAt(parent.Fd, components[^1]);
                if (linkTarget is null) throw LastErrorAsWasi();
                return EntryKind.SymbolicLink;
            default:
                return EntryKind.File;
        }
    }

    /// <summary>The text of the symbolic link <paramref name="components"/> names.</summary>
    public string ReadLink(IReadOnlyList<string> components)
    {
        using var parent = OpenParent(components);
        return ReadLinkAt(parent.Fd, components[^1]) ?? throw LastErrorAsWasi();
    }

    /// <summary>
    /// Opens the directory <paramref name="components"/> names, beneath the root and through no link.
    /// Its contents can then be listed by the kernel's name for the descriptor (<c>/proc/self/fd/N</c>),
    /// which follows the directory wherever it is renamed.
    /// </summary>
    public LinuxDirectoryHandle OpenDirectory(IReadOnlyList<string> components) => OpenDirectory(components, components.Count);

    /// <summary>
    /// Opens the directory holding the last of <paramref name="components"/>, beneath the root and
    /// through no symbolic link: the components came out of a lookup that resolved every link, so
    /// a link found now was swapped in since (ENOTCAPABLE).
    /// </summary>
    private LinuxDirectoryHandle OpenParent(IReadOnlyList<string> components)
    {
        if (components.Count == 0) throw new WasiErrnoException(Errno.Busy);
        return OpenDirectory(components, components.Count - 1);
    }

    /// <summary>Opens the directory the first <paramref name="count"/> components name, beneath the root and through no link.</summary>
    private LinuxDirectoryHandle OpenDirectory(IReadOnlyList<string> components, int count)
    {
        int root = AddRefRoot(out bool added);
        try
        {
            int fd = count == 0 ? Duplicate(root) : WalkBeneath(root, components, count);
            if (fd < 0)
            {
                int error = LastError;
                throw new WasiErrnoException(error is TooManyLinks or CrossDevice ? Errno.NotCapable : HostErrno.ToWasi(error));
            }
            return new LinuxDirectoryHandle(fd);
        }
        finally
        {
            if (added) _root.DangerousRelease();
        }
    }

    /// <summary>The root descriptor, kept from closing until the caller releases it (ObjectDisposedException once disposed).</summary>
    private int AddRefRoot(out bool added)
    {
        added = false;
        _root.DangerousAddRef(ref added);
        return _root.Fd;
    }

    private static int Duplicate(int root) => OpenAt(root, ".", PathOnly | DirectoryOnly | CloseOnExec, 0);

    /// <summary>Opens the first <paramref name="count"/> components from <paramref name="root"/>; -1 with the errno on failure.</summary>
    private int WalkBeneath(int root, IReadOnlyList<string> components, int count)
    {
        int flags = PathOnly | DirectoryOnly | NoFollow | CloseOnExec;
        if (!WalkByComponent)
        {
            string relative = string.Join('/', components.Take(count));
            int fd = OpenBeneath(root, relative, flags, ResolveBeneath | ResolveNoSymlinks | ResolveNoMagicLinks);
            if (fd >= 0 || LastError is not (NoSystemCall or NotPermitted)) return fd;
            WalkByComponent = true;
        }
        int current = Duplicate(root);
        for (int i = 0; i < count && current >= 0; i++)
        {
            // The components hold no "." or ".." and O_NOFOLLOW refuses a link, so each step stays beneath the last.
            int next = OpenAt(current, components[i], flags, 0);
            int error = LastError;
            Close(current);
            current = next;
            if (next < 0) Marshal.SetLastPInvokeError(error);
        }
        return current;
    }
}
