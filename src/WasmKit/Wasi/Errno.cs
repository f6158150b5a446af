namespace WasmKit.Wasi;

/// <summary>The wasi_snapshot_preview1 error numbers WasmKit returns (a subset of the spec's list).</summary>
internal static class Errno
{
    public const int Success = 0;
    public const int TooBig = 1;
    public const int Access = 2;
    public const int Again = 6;
    public const int BadFileDescriptor = 8;
    public const int Busy = 10;
    public const int Exists = 20;
    public const int Fault = 21;
    public const int IllegalSequence = 25;
    public const int FileTooBig = 22;
    public const int Invalid = 28;
    public const int IO = 29;
    public const int IsDirectory = 31;
    public const int Loop = 32;
    public const int TooManyFiles = 33;
    public const int NameTooLong = 37;
    public const int NoEntry = 44;
    public const int NoMemory = 48;
    public const int NoSpace = 51;
    public const int NotImplemented = 52;
    public const int NotDirectory = 54;
    public const int NotEmpty = 55;
    public const int NotSupported = 58;
    public const int Overflow = 61;
    public const int NotPermitted = 63;
    public const int ReadOnlyFileSystem = 69;
    public const int InvalidSeek = 70;
    public const int CrossDevice = 75;
    public const int NotCapable = 76;
}
