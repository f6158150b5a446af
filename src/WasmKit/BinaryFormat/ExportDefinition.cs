namespace WasmKit.BinaryFormat;

/// <summary>An entry of the export section: a name bound to an index in one index space.</summary>
internal sealed record ExportDefinition(string Name, ExternalKind Kind, uint Index, int Offset);
