namespace WasmKit.Wasi;

/// <summary>Writes the 64-byte <c>filestat</c> record and converts between host and WASI times.</summary>
internal static class FileStat
{
    public const int Size = 64;

    /// <summary>The filestat of a host entry; <paramref name="info"/> describes the link itself for a symbolic link.</summary>
    public static void Write(GuestMemory memory, int pointer, FileSystemInfo info, byte fileType, long size)
    {
        var record = memory.Slice(pointer, Size);
        record.Clear();
        WriteFields(memory, pointer, InodeOf(info.FullName), fileType, size,
            ToTimestamp(info.LastAccessTimeUtc), ToTimestamp(info.LastWriteTimeUtc), ToTimestamp(info.LastWriteTimeUtc));
    }

    /// <summary>The filestat of an open file, read through its handle: a rename of its path since it was opened does not matter.</summary>
    public static void Write(GuestMemory memory, int pointer, Microsoft.Win32.SafeHandles.SafeFileHandle handle, string openedPath)
    {
        var record = memory.Slice(pointer, Size);
        record.Clear();
        WriteFields(memory, pointer, InodeOf(openedPath), FileType.RegularFile, RandomAccess.GetLength(handle),
            ToTimestamp(File.GetLastAccessTimeUtc(handle)), ToTimestamp(File.GetLastWriteTimeUtc(handle)), ToTimestamp(File.GetLastWriteTimeUtc(handle)));
    }

    /// <summary>The filestat of an entry read with statx; a directory's size is reported as 0, as elsewhere.</summary>
    public static void Write(GuestMemory memory, int pointer, long inode, EntryStat stat)
    {
        var record = memory.Slice(pointer, Size);
        record.Clear();
        byte fileType = stat.FileType;
        WriteFields(memory, pointer, inode, fileType, fileType == FileType.Directory ? 0 : stat.Size, stat.Accessed, stat.Modified, stat.Modified);
    }

    /// <summary>
    /// The two timespecs (seconds, nanoseconds) utimensat takes for fd/path_filestat_set_times' flags:
    /// a given time, "now" (UTIME_NOW) or "unchanged" (UTIME_OMIT).
    /// </summary>
    public static (long AccessSeconds, long AccessNanoseconds, long ModifySeconds, long ModifyNanoseconds) ToTimespecs(long accessed, long modified, int flags)
    {
        if ((flags & 3) == 3 || (flags & 12) == 12 || (flags & ~15) != 0) throw new WasiErrnoException(Errno.Invalid);
        var (accessSeconds, accessNanoseconds) = Timespec(accessed, given: (flags & 1) != 0, now: (flags & 2) != 0);
        var (modifySeconds, modifyNanoseconds) = Timespec(modified, given: (flags & 4) != 0, now: (flags & 8) != 0);
        return (accessSeconds, accessNanoseconds, modifySeconds, modifyNanoseconds);
    }

    private static (long Seconds, long Nanoseconds) Timespec(long nanoseconds, bool given, bool now)
    {
        if (now) return (0, NativeFileSystem.TimeNow);
        if (!given) return (0, NativeFileSystem.TimeOmit);
        ulong value = (ulong)nanoseconds;
        return ((long)(value / 1_000_000_000), (long)(value % 1_000_000_000));
    }

    /// <summary>The filestat of something with only a type, such as a standard stream.</summary>
    public static void WriteTypeOnly(GuestMemory memory, int pointer, byte fileType)
    {
        memory.Slice(pointer, Size).Clear();
        memory.WriteByte(pointer + 16, fileType);
    }

    private static void WriteFields(GuestMemory memory, int pointer, long inode, byte fileType, long size, long accessed, long modified, long changed)
    {
        memory.WriteInt64(pointer + 0, 0);
        memory.WriteInt64(pointer + 8, inode);
        memory.WriteByte(pointer + 16, fileType);
        memory.WriteInt64(pointer + 24, 1);
        memory.WriteInt64(pointer + 32, size);
        memory.WriteInt64(pointer + 40, accessed);
        memory.WriteInt64(pointer + 48, modified);
        memory.WriteInt64(pointer + 56, changed);
    }

    /// <summary>
    /// A stable, non-zero stand-in for an inode number (.NET does not expose the real one):
    /// FNV-1a of the host path, so equal paths compare equal. Zero would make wasi-libc stat every entry.
    /// </summary>
    public static long InodeOf(string hostPath)
    {
        ulong hash = 14695981039346656037UL;
        foreach (char c in hostPath) hash = (hash ^ c) * 1099511628211UL;
        return hash == 0 ? 1 : (long)hash;
    }

    public static byte FileTypeOf(EntryKind kind) => kind switch
    {
        EntryKind.Directory => FileType.Directory,
        EntryKind.File => FileType.RegularFile,
        EntryKind.SymbolicLink => FileType.SymbolicLink,
        _ => FileType.Unknown,
    };

    /// <summary>Nanoseconds since 1970 (0 for earlier times).</summary>
    public static long ToTimestamp(DateTime utc) => Math.Max(0, (utc.ToUniversalTime() - DateTime.UnixEpoch).Ticks) * 100;

    public static DateTime FromTimestamp(long nanoseconds) => DateTime.UnixEpoch.AddTicks((long)((ulong)nanoseconds / 100));

    /// <summary>Applies fd/path_filestat_set_times: flags ATIM (1), ATIM_NOW (2), MTIM (4), MTIM_NOW (8).</summary>
    public static void SetTimes(FileSystemInfo info, long accessed, long modified, int flags)
    {
        if (AccessTime(accessed, flags) is { } access) info.LastAccessTimeUtc = access;
        if (WriteTime(modified, flags) is { } write) info.LastWriteTimeUtc = write;
    }

    /// <summary>Applies fd_filestat_set_times to an open file through its handle, not its (possibly renamed) path.</summary>
    public static void SetTimes(Microsoft.Win32.SafeHandles.SafeFileHandle handle, long accessed, long modified, int flags)
    {
        if (AccessTime(accessed, flags) is { } access) File.SetLastAccessTimeUtc(handle, access);
        if (WriteTime(modified, flags) is { } write) File.SetLastWriteTimeUtc(handle, write);
    }

    private static DateTime? AccessTime(long accessed, int flags)
    {
        if ((flags & 3) == 3 || (flags & 12) == 12 || (flags & ~15) != 0) throw new WasiErrnoException(Errno.Invalid);
        return (flags & 1) != 0 ? FromTimestamp(accessed) : (flags & 2) != 0 ? DateTime.UtcNow : null;
    }

    private static DateTime? WriteTime(long modified, int flags) =>
        (flags & 4) != 0 ? FromTimestamp(modified) : (flags & 8) != 0 ? DateTime.UtcNow : null;
}
