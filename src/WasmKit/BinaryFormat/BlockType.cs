namespace WasmKit.BinaryFormat;

/// <summary>The type of a block, loop or if: empty, one result kind, or an index into the type section.</summary>
internal readonly record struct BlockType(BlockTypeKind Kind, ValueKind ValueKind, uint TypeIndex)
{
    public static BlockType Empty => new(BlockTypeKind.Empty, default, 0);

    public static BlockType Value(ValueKind kind) => new(BlockTypeKind.Value, kind, 0);

    public static BlockType Indexed(uint index) => new(BlockTypeKind.TypeIndex, default, index);
}

internal enum BlockTypeKind : byte
{
    Empty,
    Value,
    TypeIndex,
}
