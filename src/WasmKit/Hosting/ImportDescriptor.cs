namespace WasmKit;

/// <summary>An import a module needs: where from, and of what kind and type.</summary>
/// <param name="ModuleName">The module name of the import.</param>
/// <param name="Name">The field name of the import.</param>
/// <param name="Kind">Function, table, memory or global.</param>
/// <param name="Type">A <see cref="FunctionType"/>, <see cref="TableType"/>, <see cref="MemoryType"/> or <see cref="GlobalType"/>.</param>
public sealed record ImportDescriptor(string ModuleName, string Name, ExternalKind Kind, object Type);
