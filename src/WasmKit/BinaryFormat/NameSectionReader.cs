namespace WasmKit.BinaryFormat;

/// <summary>
/// Reads the module and function names of the <c>name</c> custom section. The section is only a
/// debugging aid, so a malformed one is ignored rather than failing the module.
/// </summary>
internal static class NameSectionReader
{
    /// <summary>The custom section's name.</summary>
    public const string SectionName = "name";

    private const byte ModuleNameSubsection = 0;
    private const byte FunctionNamesSubsection = 1;

    /// <summary>Reads the payload in <paramref name="start"/>..<paramref name="end"/> into <paramref name="module"/>, if it is well-formed.</summary>
    public static void Read(ModuleDefinition module, int start, int end)
    {
        string? moduleName = null;
        var functionNames = new Dictionary<uint, string>();
        try
        {
            var reader = new WasmReader(module.Bytes, start, end);
            int previousId = -1;
            while (!reader.AtEnd)
            {
                byte id = reader.ReadByte();
                // Subsections come at most once each, in increasing id order.
                if (id <= previousId) return;
                previousId = id;
                int size = reader.ReadLength("name subsection");
                var subsection = new WasmReader(module.Bytes, reader.Position, reader.Position + size);
                switch (id)
                {
                    case ModuleNameSubsection:
                        moduleName = subsection.ReadName();
                        break;
                    case FunctionNamesSubsection:
                        ReadNameMap(ref subsection, functionNames);
                        break;
                    default:
                        // Local, label, type... names: not used, skipped whole.
                        subsection.Position = subsection.End;
                        break;
                }
                if (!subsection.AtEnd) return;
                reader.Position += size;
            }
        }
        catch (WasmFormatException)
        {
            return;
        }

        if (moduleName is not null) module.ModuleName = moduleName;
        foreach (var (index, name) in functionNames) module.FunctionNames[index] = name;
    }

    private static void ReadNameMap(ref WasmReader reader, Dictionary<uint, string> names)
    {
        int count = reader.ReadCount("name map entry", minimumBytesPerItem: 2);
        for (int i = 0; i < count; i++)
        {
            uint index = reader.ReadVarUInt32();
            names[index] = reader.ReadName();
        }
    }
}
