using System.Runtime.InteropServices;

namespace WasmKit;

/// <summary>
/// Native address space for one linear memory: reserved once for the memory's largest possible size,
/// made accessible page by page as the memory grows, so growth never copies or moves the bytes.
/// Nothing of it lives on the managed heap. Released by <see cref="SafeHandle.Dispose()"/>, or by the
/// finalizer when a memory is never disposed.
/// </summary>
/// <remarks>
/// Unix: one anonymous private <c>PROT_NONE</c> mapping, opened with <c>mprotect</c>; the kernel hands
/// out zero pages on first touch. Given-back pages are replaced by a fresh <c>PROT_NONE</c> mapping
/// (<c>MAP_FIXED</c>), which frees them and reads as zero when committed again. Windows: the
/// same with <c>VirtualAlloc</c> (reserve, then commit) and <c>VirtualFree</c> (decommit, release).
/// </remarks>
internal sealed partial class LinearMemoryReservation : SafeHandle
{
    private LinearMemoryReservation(nint address, ulong reservedBytes)
        : base(0, ownsHandle: true)
    {
        SetHandle(address);
        ReservedBytes = reservedBytes;
    }

    /// <summary>The first byte of the reservation; 0 for an empty one.</summary>
    public nint Address => handle;

    /// <summary>How many bytes are reserved: the most the memory can ever hold.</summary>
    public ulong ReservedBytes { get; }

    /// <inheritdoc/>
    public override bool IsInvalid => handle == 0;

    /// <summary>
    /// Reserves address space for <paramref name="maximumBytes"/>, or as much as the process can give
    /// (halving down to <paramref name="minimumBytes"/>) on platforms with little address space.
    /// </summary>
    /// <returns>The reservation, or <see langword="null"/> when not even the minimum could be reserved.</returns>
    public static LinearMemoryReservation? Reserve(ulong minimumBytes, ulong maximumBytes)
    {
        if (maximumBytes == 0) return new LinearMemoryReservation(0, 0);
        for (ulong size = maximumBytes; ; size = Math.Max(minimumBytes, RoundToPage(size / 2)))
        {
            nint address = ReserveNative(size);
            if (address != 0) return new LinearMemoryReservation(address, size);
            if (size <= minimumBytes) return null;
        }
    }

    /// <summary>Makes [<paramref name="offset"/>, +<paramref name="length"/>) readable and writable; its bytes read as zero if never written.</summary>
    /// <returns>False when the system refused (out of memory); nothing changed then.</returns>
    public bool Commit(ulong offset, ulong length)
    {
        if (length == 0) return true;
        nint at = handle + (nint)offset;
        if (OperatingSystem.IsWindows())
            return Windows.VirtualAlloc(at, (nuint)length, Windows.MemCommit, Windows.PageReadWrite) != 0;
        return Unix.mprotect(at, (nuint)length, Unix.ProtRead | Unix.ProtWrite) == 0;
    }

    /// <summary>
    /// Gives [<paramref name="offset"/>, +<paramref name="length"/>) back to the system: inaccessible
    /// again, its physical pages freed, zero when committed again.
    /// </summary>
    public void Decommit(ulong offset, ulong length)
    {
        if (length == 0) return;
        nint at = handle + (nint)offset;
        bool done = OperatingSystem.IsWindows()
            ? Windows.VirtualFree(at, (nuint)length, Windows.MemDecommit) != 0
            : Unix.mmap(at, (nuint)length, Unix.ProtNone, Unix.MapPrivate | Unix.MapAnonymous | Unix.MapNoReserve | Unix.MapFixed, -1, 0) == at;
        // Without the replacement the pages keep their bytes; clearing them keeps "zero when regrown" true.
        if (!done) ClearFallback(at, length);
    }

    /// <summary>
    /// Frees the physical pages of [0, +<paramref name="length"/>) but keeps them accessible: on Linux
    /// they read as zero at their next touch. False elsewhere, or when the system refused.
    /// </summary>
    public bool DiscardContents(ulong length)
    {
        if (length == 0) return true;
        return OperatingSystem.IsLinux() && Unix.madvise(handle, (nuint)length, Unix.MadviseDontNeed) == 0;
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle()
    {
        if (OperatingSystem.IsWindows()) return Windows.VirtualFree(handle, 0, Windows.MemRelease) != 0;
        return Unix.munmap(handle, (nuint)ReservedBytes) == 0;
    }

    private static unsafe void ClearFallback(nint at, ulong length)
    {
        for (ulong done = 0; done < length; done += int.MaxValue)
            new Span<byte>((byte*)at + done, (int)Math.Min(int.MaxValue, length - done)).Clear();
    }

    private static nint ReserveNative(ulong size)
    {
        if (size > (ulong)nint.MaxValue) return 0;
        if (OperatingSystem.IsWindows()) return Windows.VirtualAlloc(0, (nuint)size, Windows.MemReserve, Windows.PageNoAccess);
        nint address = Unix.mmap(0, (nuint)size, Unix.ProtNone, Unix.MapPrivate | Unix.MapAnonymous | Unix.MapNoReserve, -1, 0);
        return address == Unix.MapFailed ? 0 : address;
    }

    private static ulong RoundToPage(ulong bytes) => bytes / MemoryType.PageSize * MemoryType.PageSize;

    /// <summary>The libc calls, with the flag values of Linux and of the BSDs (macOS).</summary>
    private static partial class Unix
    {
        public const int ProtNone = 0;
        public const int ProtRead = 1;
        public const int ProtWrite = 2;
        public const int MapPrivate = 2;
        public const int MapFixed = 0x10;
        public static readonly int MapAnonymous = OperatingSystem.IsLinux() ? 0x20 : 0x1000;
        public static readonly int MapNoReserve = OperatingSystem.IsLinux() ? 0x4000 : 0x40;
        public const nint MapFailed = -1;

        /// <summary>Linux: private anonymous pages read as zero after this.</summary>
        public const int MadviseDontNeed = 4;

        [LibraryImport("libc", SetLastError = true)]
        public static partial nint mmap(nint address, nuint length, int protection, int flags, int fd, nint offset);

        [LibraryImport("libc", SetLastError = true)]
        public static partial int mprotect(nint address, nuint length, int protection);

        [LibraryImport("libc", SetLastError = true)]
        public static partial int munmap(nint address, nuint length);

        [LibraryImport("libc", SetLastError = true)]
        public static partial int madvise(nint address, nuint length, int advice);
    }

    private static partial class Windows
    {
        public const uint MemCommit = 0x1000;
        public const uint MemReserve = 0x2000;
        public const uint MemDecommit = 0x4000;
        public const uint MemRelease = 0x8000;
        public const uint PageNoAccess = 0x01;
        public const uint PageReadWrite = 0x04;

        [LibraryImport("kernel32", SetLastError = true)]
        public static partial nint VirtualAlloc(nint address, nuint size, uint allocationType, uint protection);

        [LibraryImport("kernel32", SetLastError = true)]
        public static partial int VirtualFree(nint address, nuint size, uint freeType);
    }
}
