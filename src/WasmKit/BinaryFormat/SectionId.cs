namespace WasmKit.BinaryFormat;

/// <summary>The id byte that starts each section of a module.</summary>
internal enum SectionId : byte
{
    Custom = 0,
    Type = 1,
    Import = 2,
    Function = 3,
    Table = 4,
    Memory = 5,
    Global = 6,
    Export = 7,
    Start = 8,
    Element = 9,
    Code = 10,
    Data = 11,
    DataCount = 12,
}

internal static class SectionIdExtensions
{
    /// <summary>The highest id a section may have.</summary>
    public const byte MaximumId = (byte)SectionId.DataCount;

    /// <summary>
    /// The position a non-custom section must take in a module. Ids follow that order except the
    /// data count section, which was added later with the next free id but comes before the code.
    /// </summary>
    public static int Order(this SectionId id) => id switch
    {
        SectionId.DataCount => (int)SectionId.Element + 1,
        SectionId.Code => (int)SectionId.Element + 2,
        SectionId.Data => (int)SectionId.Element + 3,
        _ => (int)id,
    };
}
