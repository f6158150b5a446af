namespace WasmKit.Wasi;

/// <summary>The wasi_snapshot_preview1 <c>filetype</c> values.</summary>
internal static class FileType
{
    public const byte Unknown = 0;
    public const byte CharacterDevice = 2;
    public const byte Directory = 3;
    public const byte RegularFile = 4;
    public const byte SymbolicLink = 7;
}
