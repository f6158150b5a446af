using System.Runtime.InteropServices;

namespace WasmKit.Wasi;

/// <summary>
/// Tells FIFOs, sockets and devices from regular files without opening them: opening a FIFO blocks
/// until a writer comes, and a device may block or never end, so path_open refuses them. Linux asks
/// the kernel with <c>statx</c>, whose layout is the same on every architecture; elsewhere nothing is
/// refused (.NET has no portable way to read a file's type without opening it).
/// </summary>
internal static partial class SpecialFiles
{
    private const int CurrentDirectory = -100;     // AT_FDCWD
    private const int DoNotFollowLinks = 0x100;    // AT_SYMLINK_NOFOLLOW
    private const uint TypeField = 0x1;            // STATX_TYPE
    private const int StatxSize = 256;             // sizeof(struct statx)
    private const int ModeOffset = 28;             // offsetof(struct statx, stx_mode)
    private const int TypeMask = 0xF000;           // S_IFMT
    private const int RegularFile = 0x8000;        // S_IFREG
    private const int Directory = 0x4000;          // S_IFDIR
    private const int SymbolicLink = 0xA000;       // S_IFLNK

    /// <summary>Whether <paramref name="hostPath"/> names a FIFO, socket or device (a final link is not followed).</summary>
    public static unsafe bool IsSpecial(string hostPath)
    {
        if (!OperatingSystem.IsLinux()) return false;
        byte* buffer = stackalloc byte[StatxSize];
        try
        {
            // A failure (such as the entry having gone) is left to the open that follows to report.
            if (Statx(CurrentDirectory, hostPath, DoNotFollowLinks, TypeField, buffer) != 0) return false;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
        int type = *(ushort*)(buffer + ModeOffset) & TypeMask;
        return type is not (RegularFile or Directory or SymbolicLink);
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Statx(int directoryFd, string path, int flags, uint mask, byte* buffer);
}
