namespace WasmKit;

/// <summary>An export a module provides: its name, kind and type.</summary>
/// <param name="Name">The export's name.</param>
/// <param name="Kind">Function, table, memory or global.</param>
/// <param name="Type">A <see cref="FunctionType"/>, <see cref="TableType"/>, <see cref="MemoryType"/> or <see cref="GlobalType"/>.</param>
public sealed record ExportDescriptor(string Name, ExternalKind Kind, object Type);
