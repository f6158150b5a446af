namespace WasmKit.BinaryFormat;

/// <summary>A custom section: its name and where its payload lies in the module's bytes.</summary>
internal sealed record CustomSection(string Name, int PayloadStart, int PayloadEnd);
