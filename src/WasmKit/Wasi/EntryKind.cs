namespace WasmKit.Wasi;

/// <summary>What a host path names, without following a final symbolic link.</summary>
internal enum EntryKind
{
    Missing,
    File,
    Directory,
    SymbolicLink,
}
