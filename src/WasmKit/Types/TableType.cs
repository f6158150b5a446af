namespace WasmKit;

/// <summary>A table's element kind (funcref or externref) and limits.</summary>
/// <param name="ElementKind">The kind of reference the table holds.</param>
/// <param name="Limits">The table's size limits, in elements.</param>
public readonly record struct TableType(ValueKind ElementKind, Limits Limits)
{
    /// <summary>The text-format form.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => $"(table {Limits} {ElementKind.ToWasmName()})";
}
