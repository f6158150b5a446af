using System.Text;

namespace WasmKit.Wasi;

// The path_* functions: every path resolves inside the sandbox of the directory descriptor it is relative to.
public sealed partial class WasiContext
{
    private const int LookupFollowSymlinks = 1;
    private const int OpenCreate = 1;
    private const int OpenDirectory = 2;
    private const int OpenExclusive = 4;
    private const int OpenTruncate = 8;
    private const int FdflagAppend = 1;

    /// <summary>Reads the guest path and resolves it inside the sandbox of <paramref name="directory"/>.</summary>
    private static ResolvedPath Resolve(GuestMemory memory, DirectoryDescriptor directory, int pathPointer, int pathLength, bool followLast) =>
        directory.Sandbox.Resolve(directory.Components, memory.ReadString(pathPointer, pathLength), followLast);

    private int PathOpen(Caller caller, int fd, int lookupFlags, int pathPointer, int pathLength, int openFlags,
        long rightsBase, long rightsInheriting, int fdFlags, int openedPointer)
    {
        try
        {
            var memory = new GuestMemory(caller);
            var directory = GetDirectory(fd);
            memory.Slice(openedPointer, 4);
            RequireFreeDescriptor();
            bool create = (openFlags & OpenCreate) != 0;
            bool exclusive = (openFlags & OpenExclusive) != 0;
            bool truncate = (openFlags & OpenTruncate) != 0;
            bool wantsDirectory = (openFlags & OpenDirectory) != 0;
            bool read = (rightsBase & Rights.FdRead) != 0;
            bool write = (rightsBase & Rights.FdWrite) != 0;
            // O_CREAT|O_EXCL fails on any existing name, a symbolic link included, so it does not follow one.
            bool follow = (lookupFlags & LookupFollowSymlinks) != 0 && !(create && exclusive);
            var path = Resolve(memory, directory, pathPointer, pathLength, follow);
            var sandbox = directory.Sandbox;
            Descriptor opened;
            switch (path.Kind)
            {
                case EntryKind.SymbolicLink:
                    throw new WasiErrnoException(create && exclusive ? Errno.Exists : Errno.Loop);
                case EntryKind.Directory:
                    if (create && exclusive) throw new WasiErrnoException(Errno.Exists);
                    if (write || truncate) throw new WasiErrnoException(Errno.IsDirectory);
                    // The descriptor keeps names, not a handle: every use resolves them again from the root.
                    if (sandbox.Beneath is { } directoryRoot) directoryRoot.OpenDirectory(path.Components).Dispose();
                    else sandbox.RequireInside(path.HostPath);
                    opened = new DirectoryDescriptor(sandbox, path.Components, preopenName: null);
                    break;
                case EntryKind.File:
                    if (create && exclusive) throw new WasiErrnoException(Errno.Exists);
                    if (wantsDirectory || path.TrailingSlash) throw new WasiErrnoException(Errno.NotDirectory);
                    if (write || truncate) sandbox.RequireWritable();
                    if (sandbox.Beneath is { } beneath)
                    {
                        opened = OpenBeneath(sandbox, beneath, path, (write && truncate ? NativeFileSystem.Truncate : 0), read, write, fdFlags);
                        break;
                    }
                    // Opening a FIFO would block until a writer comes, a device might never end: refuse them.
                    if (SpecialFiles.IsSpecial(path.HostPath)) throw new WasiErrnoException(Errno.NotSupported);
                    opened = OpenFile(sandbox, path.HostPath, write && truncate ? FileMode.Truncate : FileMode.Open, read, write, fdFlags);
                    break;
                default:
                    if (!create) throw new WasiErrnoException(Errno.NoEntry);
                    if (wantsDirectory) throw new WasiErrnoException(Errno.Invalid);
                    if (path.TrailingSlash) throw new WasiErrnoException(Errno.IsDirectory);
                    sandbox.RequireWritable();
                    if (sandbox.Beneath is { } creator)
                    {
                        // O_EXCL: a name that appeared since the lookup (a link, a FIFO) is not opened but refused.
                        opened = OpenBeneath(sandbox, creator, path, NativeFileSystem.Create | NativeFileSystem.Exclusive, read, write, fdFlags);
                    }
                    else if (!write)
                    {
                        // A file created for reading only: .NET cannot create with read access alone.
                        using (new FileStream(path.HostPath, FileMode.CreateNew, FileAccess.Write)) { }
                        opened = OpenFile(sandbox, path.HostPath, FileMode.Open, read: true, write: false, fdFlags);
                    }
                    else
                    {
                        opened = OpenFile(sandbox, path.HostPath, FileMode.CreateNew, read, write, fdFlags);
                    }
                    break;
            }
            memory.WriteInt32(openedPointer, AddDescriptor(opened));
            return Errno.Success;
        }
        catch (Exception e) when (TryGetErrno(e, out int errno))
        {
            return errno;
        }
    }

    /// <summary>Opens (or creates) a regular file beneath the sandbox's root descriptor: no rename since the lookup can redirect it, no FIFO block it.</summary>
    private static StreamDescriptor OpenBeneath(Sandbox sandbox, LinuxBeneathRoot beneath, ResolvedPath path, int creation, bool read, bool write, int fdFlags)
    {
        int access = write ? (read ? NativeFileSystem.ReadWrite : NativeFileSystem.WriteOnly) : NativeFileSystem.ReadOnly;
        var handle = beneath.OpenFile(path.Components, access | creation);
        FileStream file;
        try
        {
            file = new FileStream(handle, write ? (read ? FileAccess.ReadWrite : FileAccess.Write) : FileAccess.Read, bufferSize: 0);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
        return new StreamDescriptor(file, canRead: read || !write, canWrite: write, append: (fdFlags & FdflagAppend) != 0)
        {
            InReadOnlySandbox = sandbox.ReadOnly,
            HostPath = path.HostPath,
        };
    }

    private static StreamDescriptor OpenFile(Sandbox sandbox, string hostPath, FileMode mode, bool read, bool write, int fdFlags)
    {
        var access = write ? (read ? FileAccess.ReadWrite : FileAccess.Write) : FileAccess.Read;
        // Unbuffered, so writes reach the file at once (as a POSIX write does) and pread/pwrite see them;
        // shared, so the guest can open a file twice.
        var file = new FileStream(hostPath, mode, access, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        try
        {
            // The lookup checked each component; the handle is what counts, whatever moved meanwhile.
            sandbox.RequireInside(file.SafeFileHandle, hostPath);
        }
        catch
        {
            file.Dispose();
            throw;
        }
        return new StreamDescriptor(file, canRead: read || !write, canWrite: write, append: (fdFlags & FdflagAppend) != 0)
        {
            InReadOnlySandbox = sandbox.ReadOnly,
        };
    }

    private int PathFilestatGet(Caller caller, int fd, int lookupFlags, int pathPointer, int pathLength, int statPointer)
    {
        try
        {
            var memory = new GuestMemory(caller);
            var directory = GetDirectory(fd);
            var path = Resolve(memory, directory, pathPointer, pathLength, (lookupFlags & LookupFollowSymlinks) != 0);
            if (directory.Sandbox.Beneath is { } beneath)
            {
                if (path.Kind == EntryKind.Missing) throw new WasiErrnoException(Errno.NoEntry);
                memory.Slice(statPointer, FileStat.Size);
                FileStat.Write(memory, statPointer, FileStat.InodeOf(path.HostPath), beneath.Stat(path.Components));
                return Errno.Success;
            }
            var kind = Sandbox.Inspect(path.HostPath, out var info);
            if (kind == EntryKind.Missing) throw new WasiErrnoException(Errno.NoEntry);
            long size = info is FileInfo file ? file.Length : 0;
            FileStat.Write(memory, statPointer, info, FileStat.FileTypeOf(kind), size);
            return Errno.Success;
        }
        catch (Exception e) when (TryGetErrno(e, out int errno))
        {
            return errno;
        }
    }

    private int PathFilestatSetTimes(Caller caller, int fd, int lookupFlags, int pathPointer, int pathLength, long accessed, long modified, int flags)
    {
        try
        {
            var memory = new GuestMemory(caller);
            var directory = GetDirectory(fd);
            var path = Resolve(memory, directory, pathPointer, pathLength, (lookupFlags & LookupFollowSymlinks) != 0);
            if (directory.Sandbox.Beneath is { } beneath)
            {
                if (path.Kind == EntryKind.Missing) throw new WasiErrnoException(Errno.NoEntry);
                directory.Sandbox.RequireWritable();
                var (accessSeconds, accessNanoseconds, modifySeconds, modifyNanoseconds) = FileStat.ToTimespecs(accessed, modified, flags);
                beneath.SetTimes(path.Components, accessSeconds, accessNanoseconds, modifySeconds, modifyNanoseconds);
                return Errno.Success;
            }
            var kind = Sandbox.Inspect(path.HostPath, out var info);
            if (kind == EntryKind.Missing) throw new WasiErrnoException(Errno.NoEntry);
            directory.Sandbox.RequireWritable();
            FileStat.SetTimes(info, accessed, modified, flags);
            return Errno.Success;
        }
        catch (Exception e) when (TryGetErrno(e, out int errno))
        {
            return errno;
        }
    }

    private int PathCreateDirectory(Caller caller, int fd, int pathPointer, int pathLength)
    {
        try
        {
            var memory = new GuestMemory(caller);
            var directory = GetDirectory(fd);
            var path = Resolve(memory, directory, pathPointer, pathLength, followLast: false);
            if (path.Kind != EntryKind.Missing) throw new WasiErrnoException(Errno.Exists);
            directory.Sandbox.RequireWritable();
            if (directory.Sandbox.Beneath is { } beneath) beneath.CreateDirectory(path.Components);
            else Directory.CreateDirectory(path.HostPath);
            return Errno.Success;
        }
        catch (Exception e) when (TryGetErrno(e, out int errno))
        {
            return errno;
        }
    }

    private int PathUnlinkFile(Caller caller, int fd, int pathPointer, int pathLength)
    {
        try
        {
            var memory = new GuestMemory(caller);
            var directory = GetDirectory(fd);
            var path = Resolve(memory, directory, pathPointer, pathLength, followLast: false);
            switch (path.Kind)
            {
                case EntryKind.Missing: throw new WasiErrnoException(Errno.NoEntry);
                case EntryKind.Directory: throw new WasiErrnoException(Errno.IsDirectory);
            }
            directory.Sandbox.RequireWritable();
            if (directory.Sandbox.Beneath is { } beneath) beneath.Remove(path.Components, directory: false);
            else File.Delete(path.HostPath);
            return Errno.Success;
        }
        catch (Exception e) when (TryGetErrno(e, out int errno))
        {
            return errno;
        }
    }

    private int PathRemoveDirectory(Caller caller, int fd, int pathPointer, int pathLength)
    {
        try
        {
            var memory = new GuestMemory(caller);
            var directory = GetDirectory(fd);
            var path = Resolve(memory, directory, pathPointer, pathLength, followLast: false);
            switch (path.Kind)
            {
                case EntryKind.Missing: throw new WasiErrnoException(Errno.NoEntry);
                case EntryKind.File or EntryKind.SymbolicLink: throw new WasiErrnoException(Errno.NotDirectory);
            }
            if (path.IsRoot) throw new WasiErrnoException(Errno.Busy);
            directory.Sandbox.RequireWritable();
            if (directory.Sandbox.Beneath is { } beneath)
            {
                beneath.Remove(path.Components, directory: true);
                return Errno.Success;
            }
            if (Directory.EnumerateFileSystemEntries(path.HostPath).Any()) throw new WasiErrnoException(Errno.NotEmpty);
            Directory.Delete(path.HostPath);
            return Errno.Success;
        }
        catch (Exception e) when (TryGetErrno(e, out int errno))
        {
            return errno;
        }
    }

    private int PathRename(Caller caller, int fd, int oldPathPointer, int oldPathLength, int newFd, int newPathPointer, int newPathLength)
    {
        try
        {
            var memory = new GuestMemory(caller);
            var oldDirectory = GetDirectory(fd);
            var newDirectory = GetDirectory(newFd);
            var source = Resolve(memory, oldDirectory, oldPathPointer, oldPathLength, followLast: false);
            var target = Resolve(memory, newDirectory, newPathPointer, newPathLength, followLast: false);
            if (source.Kind == EntryKind.Missing) throw new WasiErrnoException(Errno.NoEntry);
            if (source.IsRoot || target.IsRoot) throw new WasiErrnoException(Errno.Busy);
            oldDirectory.Sandbox.RequireWritable();
            newDirectory.Sandbox.RequireWritable();
            if (source.HostPath == target.HostPath) return Errno.Success;
            if (oldDirectory.Sandbox.Beneath is { } sourceRoot && newDirectory.Sandbox.Beneath is { } targetRoot)
            {
                if (source.Kind != EntryKind.Directory && target.Kind == EntryKind.Directory) throw new WasiErrnoException(Errno.IsDirectory);
                if (source.Kind != EntryKind.Directory && target.TrailingSlash) throw new WasiErrnoException(Errno.NotDirectory);
                // renameat replaces a file, or an empty directory with a directory, as WASI's rename does.
                sourceRoot.Rename(source.Components, targetRoot, target.Components);
                return Errno.Success;
            }
            if (source.Kind == EntryKind.Directory)
            {
                if (target.Kind is EntryKind.File or EntryKind.SymbolicLink) throw new WasiErrnoException(Errno.NotDirectory);
                if (target.HostPath.StartsWith(source.HostPath + "/", StringComparison.Ordinal)) throw new WasiErrnoException(Errno.Invalid);
                if (target.Kind == EntryKind.Directory)
                {
                    // rename() replaces an empty directory.
                    if (Directory.EnumerateFileSystemEntries(target.HostPath).Any()) throw new WasiErrnoException(Errno.NotEmpty);
                    Directory.Delete(target.HostPath);
                }
                Directory.Move(source.HostPath, target.HostPath);
            }
            else
            {
                if (target.Kind == EntryKind.Directory) throw new WasiErrnoException(Errno.IsDirectory);
                if (target.TrailingSlash) throw new WasiErrnoException(Errno.NotDirectory);
                File.Move(source.HostPath, target.HostPath, overwrite: true);
            }
            return Errno.Success;
        }
        catch (Exception e) when (TryGetErrno(e, out int errno))
        {
            return errno;
        }
    }

    private int PathReadlink(Caller caller, int fd, int pathPointer, int pathLength, int buffer, int bufferLength, int usedPointer)
    {
        try
        {
            var memory = new GuestMemory(caller);
            var directory = GetDirectory(fd);
            var path = Resolve(memory, directory, pathPointer, pathLength, followLast: false);
            if (path.Kind == EntryKind.Missing) throw new WasiErrnoException(Errno.NoEntry);
            if (path.Kind != EntryKind.SymbolicLink) throw new WasiErrnoException(Errno.Invalid);
            string link;
            if (directory.Sandbox.Beneath is { } beneath)
            {
                link = beneath.ReadLink(path.Components);
            }
            else
            {
                Sandbox.Inspect(path.HostPath, out var info);
                link = info.LinkTarget ?? "";
            }
            // The text of a link that is absolute or climbs out would tell the guest about the host's directories.
            if (!Sandbox.StaysInside(path.Components.Count - 1, link)) throw new WasiErrnoException(Errno.NotCapable);
            byte[] target = Encoding.UTF8.GetBytes(link);
            var output = memory.Slice(buffer, bufferLength);
            memory.Slice(usedPointer, 4);
            int count = CopyPart(target, output);
            memory.WriteInt32(usedPointer, count);
            return Errno.Success;
        }
        catch (Exception e) when (TryGetErrno(e, out int errno))
        {
            return errno;
        }
    }
}
