namespace WasmKit.BinaryFormat;

/// <summary>
/// A decoded module: every section's content, as the binary format describes it. Index spaces
/// (functions, tables, memories, globals) start with the imports, then the module's own definitions.
/// </summary>
internal sealed class ModuleDefinition
{
    public ModuleDefinition(byte[] bytes) => Bytes = bytes;

    /// <summary>The module's bytes; bodies and data segments point into them.</summary>
    public byte[] Bytes { get; }

    public List<FunctionType> Types { get; } = [];

    public List<ImportDefinition> Imports { get; } = [];

    /// <summary>Type indices of the functions this module defines (function section).</summary>
    public List<uint> FunctionTypeIndices { get; } = [];

    public List<TableType> Tables { get; } = [];

    public List<MemoryType> Memories { get; } = [];

    public List<GlobalDefinition> Globals { get; } = [];

    public List<ExportDefinition> Exports { get; } = [];

    public uint? StartFunction { get; set; }

    public List<ElementSegment> Elements { get; } = [];

    /// <summary>The data count section's value, if present.</summary>
    public uint? DataCount { get; set; }

    /// <summary>The offset of the first <c>memory.init</c> or <c>data.drop</c> in the code section, or -1 when there is none.</summary>
    public int FirstDataIndexOffset { get; set; } = -1;

    /// <summary>Bodies of the defined functions, in the order of <see cref="FunctionTypeIndices"/>.</summary>
    public List<FunctionBody> Bodies { get; } = [];

    public List<DataSegment> Data { get; } = [];

    public List<CustomSection> CustomSections { get; } = [];

    /// <summary>The module name from the <c>name</c> section, if any.</summary>
    public string? ModuleName { get; set; }

    /// <summary>Function names from the <c>name</c> section, by function index.</summary>
    public Dictionary<uint, string> FunctionNames { get; } = [];

    private uint[]? _functionTypeIndexSpace;
    private TableType[]? _tableSpace;
    private MemoryType[]? _memorySpace;
    private GlobalType[]? _globalSpace;

    public int ImportedFunctionCount { get; private set; }

    public int ImportedTableCount { get; private set; }

    public int ImportedMemoryCount { get; private set; }

    public int ImportedGlobalCount { get; private set; }

    public int TotalFunctionCount => ImportedFunctionCount + FunctionTypeIndices.Count;

    public int TotalTableCount => ImportedTableCount + Tables.Count;

    public int TotalMemoryCount => ImportedMemoryCount + Memories.Count;

    public int TotalGlobalCount => ImportedGlobalCount + Globals.Count;

    /// <summary>Adds an import and counts it in its index space.</summary>
    public void AddImport(ImportDefinition import)
    {
        Imports.Add(import);
        InvalidateIndexSpaces();
        switch (import.Kind)
        {
            case ExternalKind.Function: ImportedFunctionCount++; break;
            case ExternalKind.Table: ImportedTableCount++; break;
            case ExternalKind.Memory: ImportedMemoryCount++; break;
            case ExternalKind.Global: ImportedGlobalCount++; break;
        }
    }

    /// <summary>The type index of function <paramref name="functionIndex"/> (imported or defined). The index must be in range.</summary>
    public uint GetFunctionTypeIndex(int functionIndex) =>
        (_functionTypeIndexSpace ??= ImportsOf(ExternalKind.Function).Select(i => i.FunctionTypeIndex).Concat(FunctionTypeIndices).ToArray())[functionIndex];

    public FunctionType GetFunctionType(int functionIndex) => Types[(int)GetFunctionTypeIndex(functionIndex)];

    public TableType GetTableType(int tableIndex) =>
        (_tableSpace ??= ImportsOf(ExternalKind.Table).Select(i => i.Table).Concat(Tables).ToArray())[tableIndex];

    public MemoryType GetMemoryType(int memoryIndex) =>
        (_memorySpace ??= ImportsOf(ExternalKind.Memory).Select(i => i.Memory).Concat(Memories).ToArray())[memoryIndex];

    public GlobalType GetGlobalType(int globalIndex) =>
        (_globalSpace ??= ImportsOf(ExternalKind.Global).Select(i => i.Global).Concat(Globals.Select(g => g.Type)).ToArray())[globalIndex];

    /// <summary>Drops the cached index spaces; call after changing the lists.</summary>
    public void InvalidateIndexSpaces()
    {
        _functionTypeIndexSpace = null;
        _tableSpace = null;
        _memorySpace = null;
        _globalSpace = null;
    }

    /// <summary>The imports of one kind, in index-space order.</summary>
    public List<ImportDefinition> ImportsOf(ExternalKind kind) => Imports.Where(i => i.Kind == kind).ToList();

    /// <summary>A readable name for a function: its name-section name, else <c>wasm-function[N]</c>.</summary>
    public string DescribeFunction(int functionIndex) =>
        FunctionNames.TryGetValue((uint)functionIndex, out var name) ? name : $"wasm-function[{functionIndex}]";
}
