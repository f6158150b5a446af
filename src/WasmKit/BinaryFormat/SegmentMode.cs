namespace WasmKit.BinaryFormat;

/// <summary>How an element or data segment is used.</summary>
internal enum SegmentMode : byte
{
    /// <summary>Copied into a table or memory at instantiation, then dropped.</summary>
    Active,

    /// <summary>Kept for <c>table.init</c>/<c>memory.init</c>.</summary>
    Passive,

    /// <summary>(Elements only) declares functions for <c>ref.func</c>; dropped at instantiation.</summary>
    Declarative,
}
