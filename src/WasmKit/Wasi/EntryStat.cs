namespace WasmKit.Wasi;

/// <summary>What statx reports about an entry: its type bits (S_IFMT), size, and times in nanoseconds since 1970.</summary>
internal readonly record struct EntryStat(int Type, long Size, long Accessed, long Modified, long Changed)
{
    /// <summary>The WASI filetype of <see cref="Type"/>.</summary>
    public byte FileType => Type switch
    {
        NativeFileSystem.RegularFileType => WasmKit.Wasi.FileType.RegularFile,
        NativeFileSystem.DirectoryType => WasmKit.Wasi.FileType.Directory,
        NativeFileSystem.SymbolicLinkType => WasmKit.Wasi.FileType.SymbolicLink,
        _ => WasmKit.Wasi.FileType.Unknown,
    };
}
