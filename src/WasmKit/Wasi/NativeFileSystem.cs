using System.Runtime.InteropServices;

namespace WasmKit.Wasi;

/// <summary>
/// The Linux C library calls the sandbox acts through, relative to directory descriptors, so that no
/// rename between a lookup and an action can redirect the action (see <see cref="LinuxBeneathRoot"/>).
/// Flag values are Linux's; <c>O_DIRECTORY</c> and <c>O_NOFOLLOW</c> differ on ARM and PowerPC.
/// </summary>
internal static unsafe partial class NativeFileSystem
{
    public const int ReadOnly = 0;                  // O_RDONLY
    public const int WriteOnly = 1;                 // O_WRONLY
    public const int ReadWrite = 2;                 // O_RDWR
    public const int Create = 0x40;                 // O_CREAT
    public const int Exclusive = 0x80;              // O_EXCL
    public const int Truncate = 0x200;              // O_TRUNC
    public const int NonBlocking = 0x800;           // O_NONBLOCK
    public const int CloseOnExec = 0x80000;         // O_CLOEXEC
    public const int PathOnly = 0x200000;           // O_PATH

    public const int CurrentDirectory = -100;       // AT_FDCWD
    public const int RemoveDirectoryFlag = 0x200;   // AT_REMOVEDIR
    public const int NoFollowFlag = 0x100;          // AT_SYMLINK_NOFOLLOW
    public const int EmptyPathFlag = 0x1000;        // AT_EMPTY_PATH

    public const int NoSuchEntry = 2;               // ENOENT
    public const int NotPermitted = 1;              // EPERM
    public const int Interrupted = 4;               // EINTR
    public const int NoDeviceOrAddress = 6;         // ENXIO
    public const int TryAgain = 11;                 // EAGAIN
    public const int CrossDevice = 18;              // EXDEV
    public const int NoSystemCall = 38;             // ENOSYS
    public const int TooManyLinks = 40;             // ELOOP

    /// <summary>Nanoseconds value of a timespec that means "now" (UTIME_NOW).</summary>
    public const long TimeNow = (1L << 30) - 1;

    /// <summary>Nanoseconds value of a timespec that means "leave unchanged" (UTIME_OMIT).</summary>
    public const long TimeOmit = (1L << 30) - 2;

    private const int GetFlags = 3;                 // F_GETFL
    private const int SetFlags = 4;                 // F_SETFL
    private const long Openat2Number = 437;         // SYS_openat2, the same on every architecture
    private const int StatxSize = 256;              // sizeof(struct statx)
    private const int ModeOffset = 28;              // offsetof(struct statx, stx_mode)
    private const uint TypeField = 0x1;             // STATX_TYPE
    private const uint BasicStats = 0x7FF;          // STATX_BASIC_STATS
    private const int SizeOffset = 40;              // offsetof(struct statx, stx_size)
    private const int AccessTimeOffset = 64;        // offsetof(struct statx, stx_atime)
    private const int ChangeTimeOffset = 96;        // offsetof(struct statx, stx_ctime)
    private const int ModifyTimeOffset = 112;       // offsetof(struct statx, stx_mtime)
    public const int SymbolicLinkType = 0xA000;     // S_IFLNK

    public const int TypeMask = 0xF000;             // S_IFMT
    public const int RegularFileType = 0x8000;      // S_IFREG
    public const int DirectoryType = 0x4000;        // S_IFDIR

    public const ulong ResolveNoMagicLinks = 0x02;  // RESOLVE_NO_MAGICLINKS
    public const ulong ResolveNoSymlinks = 0x04;    // RESOLVE_NO_SYMLINKS
    public const ulong ResolveBeneath = 0x08;       // RESOLVE_BENEATH

    private static bool HasArmFlags =>
        System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture is Architecture.Arm or Architecture.Arm64 or Architecture.Armv6 or Architecture.Ppc64le;

    /// <summary>O_DIRECTORY.</summary>
    public static int DirectoryOnly => HasArmFlags ? 0x4000 : 0x10000;

    /// <summary>O_NOFOLLOW.</summary>
    public static int NoFollow => HasArmFlags ? 0x8000 : 0x20000;

    /// <summary>The errno of the last call made through this class.</summary>
    public static int LastError => Marshal.GetLastPInvokeError();

    /// <summary>Raises the WASI form of the last call's errno.</summary>
    public static WasiErrnoException LastErrorAsWasi() => new(HostErrno.ToWasi(LastError));

    /// <summary>openat2 with <paramref name="resolve"/> flags; -1 with the errno on failure (ENOSYS on kernels before 5.6).</summary>
    public static int OpenBeneath(int directory, string path, int flags, ulong resolve)
    {
        var how = new OpenHow { Flags = (ulong)(uint)flags, Mode = 0, Resolve = resolve };
        byte[] name = ToCString(path);
        fixed (byte* pointer = name)
        {
            long result;
            int attempts = 0;
            // EAGAIN: the kernel saw a rename race during the lookup and could not vouch for it; try again a few times.
            do result = Syscall(Openat2Number, directory, pointer, &how, (nuint)sizeof(OpenHow));
            while (result < 0 && (LastError == Interrupted || (LastError == TryAgain && ++attempts < 8)));
            return (int)result;
        }
    }

    /// <summary>The file type bits (S_IFMT) of an open descriptor, or -1 with the errno.</summary>
    public static int TypeOf(int fd)
    {
        byte* buffer = stackalloc byte[StatxSize];
        if (Statx(fd, "", EmptyPathFlag | NoFollowFlag, TypeField, buffer) != 0) return -1;
        return *(ushort*)(buffer + ModeOffset) & TypeMask;
    }

    /// <summary>
    /// Reads type, size and times of <paramref name="name"/> relative to <paramref name="directory"/>
    /// (of the descriptor itself for an empty name); false with the errno on failure.
    /// </summary>
    public static bool StatAt(int directory, string name, bool followLast, out EntryStat stat)
    {
        byte* buffer = stackalloc byte[StatxSize];
        int flags = (followLast ? 0 : NoFollowFlag) | (name.Length == 0 ? EmptyPathFlag : 0);
        stat = default;
        if (Statx(directory, name, flags, BasicStats, buffer) != 0) return false;
        stat = new EntryStat(
            *(ushort*)(buffer + ModeOffset) & TypeMask,
            *(long*)(buffer + SizeOffset),
            Nanoseconds(buffer + AccessTimeOffset),
            Nanoseconds(buffer + ModifyTimeOffset),
            Nanoseconds(buffer + ChangeTimeOffset));
        return true;
    }

    /// <summary>A statx_timestamp (seconds, then nanoseconds) as nanoseconds since 1970, 0 for earlier times.</summary>
    private static long Nanoseconds(byte* timestamp)
    {
        long seconds = *(long*)timestamp;
        uint nanoseconds = *(uint*)(timestamp + 8);
        return seconds < 0 ? 0 : seconds * 1_000_000_000 + nanoseconds;
    }

    /// <summary>The text of the symbolic link <paramref name="name"/> in <paramref name="directory"/>; null with the errno on failure.</summary>
    public static string? ReadLinkAt(int directory, string name)
    {
        // PATH_MAX: no link text is longer.
        byte[] buffer = new byte[4096];
        fixed (byte* pointer = buffer)
        {
            nint length = ReadLinkAtCall(directory, name, pointer, (nuint)buffer.Length);
            return length < 0 ? null : System.Text.Encoding.UTF8.GetString(buffer, 0, (int)length);
        }
    }

    /// <summary>Clears O_NONBLOCK, which only served to open without blocking; false with the errno on failure.</summary>
    public static bool MakeBlocking(int fd)
    {
        int flags = Fcntl(fd, GetFlags, 0);
        return flags >= 0 && Fcntl(fd, SetFlags, flags & ~NonBlocking) >= 0;
    }

    /// <summary>Sets access and modification times; a nanoseconds field may be <see cref="TimeNow"/> or <see cref="TimeOmit"/>.</summary>
    public static int SetTimes(int directory, string name, long accessSeconds, long accessNanoseconds, long modifySeconds, long modifyNanoseconds, int flags)
    {
        long* times = stackalloc long[4];
        times[0] = accessSeconds;
        times[1] = accessNanoseconds;
        times[2] = modifySeconds;
        times[3] = modifyNanoseconds;
        return UtimensAt(directory, name, times, flags);
    }

    private static byte[] ToCString(string text)
    {
        byte[] bytes = new byte[System.Text.Encoding.UTF8.GetByteCount(text) + 1];
        System.Text.Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct OpenHow
    {
        public ulong Flags;
        public ulong Mode;
        public ulong Resolve;
    }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, long directory, byte* path, OpenHow* how, nuint size);

    [LibraryImport("libc", EntryPoint = "openat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int OpenAt(int directory, string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "mkdirat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MakeDirectoryAt(int directory, string path, int mode);

    [LibraryImport("libc", EntryPoint = "unlinkat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int UnlinkAt(int directory, string path, int flags);

    [LibraryImport("libc", EntryPoint = "renameat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int RenameAt(int oldDirectory, string oldPath, int newDirectory, string newPath);

    [LibraryImport("libc", EntryPoint = "readlinkat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint ReadLinkAtCall(int directory, string path, byte* buffer, nuint size);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int fd, int command, int argument);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directory, string path, int flags, uint mask, byte* buffer);

    [LibraryImport("libc", EntryPoint = "utimensat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int UtimensAt(int directory, string path, long* times, int flags);
}
