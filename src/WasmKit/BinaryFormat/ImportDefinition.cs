namespace WasmKit.BinaryFormat;

/// <summary>An entry of the import section. Which of the type fields applies depends on <see cref="Kind"/>.</summary>
internal sealed record ImportDefinition(
    string ModuleName,
    string Name,
    ExternalKind Kind,
    uint FunctionTypeIndex,
    TableType Table,
    MemoryType Memory,
    GlobalType Global,
    int Offset);
