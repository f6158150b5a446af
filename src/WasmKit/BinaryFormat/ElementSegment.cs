namespace WasmKit.BinaryFormat;

/// <summary>An element segment: references to place in a table, each given by a constant expression.</summary>
internal sealed record ElementSegment(
    SegmentMode Mode,
    uint TableIndex,
    ConstantExpression? Offset,
    ValueKind ElementKind,
    ConstantExpression[] Items,
    int ByteOffset);
