namespace WasmKit.Wasi;

/// <summary>The wasi_snapshot_preview1 rights bits WasmKit reports and checks.</summary>
internal static class Rights
{
    public const long FdDatasync = 1L << 0;
    public const long FdRead = 1L << 1;
    public const long FdSeek = 1L << 2;
    public const long FdFdstatSetFlags = 1L << 3;
    public const long FdSync = 1L << 4;
    public const long FdTell = 1L << 5;
    public const long FdWrite = 1L << 6;
    public const long FdAdvise = 1L << 7;
    public const long FdAllocate = 1L << 8;
    public const long FdReaddir = 1L << 14;
    public const long FdFilestatGet = 1L << 21;
    public const long FdFilestatSetSize = 1L << 22;
    public const long FdFilestatSetTimes = 1L << 23;
    public const long PollFdReadwrite = 1L << 27;

    /// <summary>Every right of preview 1 (bits 0 to 29).</summary>
    public const long All = (1L << 30) - 1;

    /// <summary>What a stream such as stdout can do: no seeking, which is how libc tells a terminal from a file.</summary>
    public const long Stream = FdRead | FdWrite | FdFdstatSetFlags | FdFilestatGet | PollFdReadwrite | FdSync | FdDatasync;

    /// <summary>What an open regular file can do, besides reading and writing.</summary>
    public const long File = FdDatasync | FdSeek | FdFdstatSetFlags | FdSync | FdTell | FdAdvise | FdAllocate |
        FdFilestatGet | FdFilestatSetSize | FdFilestatSetTimes | PollFdReadwrite;

    /// <summary>What a directory can do: everything but the rights of open files' contents.</summary>
    public const long Directory = All & ~(FdRead | FdWrite | FdSeek | FdTell | FdAdvise | FdAllocate | FdFilestatSetSize);
}
