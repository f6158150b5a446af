namespace WasmKit.Wasi;

/// <summary>
/// Maps the host error numbers .NET puts in <c>IOException.HResult</c> on Linux to WASI's.
/// Elsewhere the numbers differ, so only the common cases that WasmKit checks for itself are exact.
/// </summary>
internal static class HostErrno
{
    public static int ToWasi(int hostErrno)
    {
        if (!OperatingSystem.IsLinux()) return Errno.IO;
        return hostErrno switch
        {
            1 => Errno.NotPermitted,
            2 => Errno.NoEntry,
            9 => Errno.BadFileDescriptor,
            11 => Errno.Again,
            13 => Errno.Access,
            16 => Errno.Busy,
            17 => Errno.Exists,
            18 => Errno.CrossDevice,
            20 => Errno.NotDirectory,
            21 => Errno.IsDirectory,
            22 => Errno.Invalid,
            24 => Errno.TooManyFiles,
            27 => Errno.FileTooBig,
            28 => Errno.NoSpace,
            29 => Errno.InvalidSeek,
            30 => Errno.ReadOnlyFileSystem,
            36 => Errno.NameTooLong,
            39 => Errno.NotEmpty,
            40 => Errno.Loop,
            _ => Errno.IO,
        };
    }
}
