namespace WasmKit.Wasi;

/// <summary>One entry fd_readdir reports: its name (UTF-8), file type and inode number.</summary>
internal readonly record struct DirectoryEntry(byte[] Name, byte FileType, long Inode);
