namespace WasmKit.BinaryFormat;

/// <summary>A data segment: bytes to place in a memory. <see cref="Data"/> points into the module's bytes.</summary>
internal sealed record DataSegment(
    SegmentMode Mode,
    uint MemoryIndex,
    ConstantExpression? Offset,
    ReadOnlyMemory<byte> Data,
    int ByteOffset);
