namespace WasmKit;

/// <summary>The kind of an import or export. The numeric values are the binary-format codes.</summary>
public enum ExternalKind : byte
{
    /// <summary>A function.</summary>
    Function = 0,

    /// <summary>A table.</summary>
    Table = 1,

    /// <summary>A linear memory.</summary>
    Memory = 2,

    /// <summary>A global.</summary>
    Global = 3,
}
