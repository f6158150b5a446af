namespace WasmKit.Compilation;

/// <summary>
/// The code of a module, shared by all its instances: one static method per defined function in
/// dynamic types (collectible or tiered, see <see cref="CodeTiering"/>), and their entry points in the
/// WebAssembly calling convention.
/// </summary>
internal sealed class CompiledModule
{
    public CompiledModule(Type[] codeTypes, nint[] functionPointers, int[] typeIds, IReadOnlyDictionary<int, System.Reflection.MethodInfo>? hostEntries = null, bool isCollectible = true)
    {
        IsCollectible = isCollectible;
        CodeTypes = codeTypes;
        FunctionPointers = functionPointers;
        TypeIds = typeIds;
        HostEntries = hostEntries ?? new Dictionary<int, System.Reflection.MethodInfo>();
    }

    /// <summary>Typed entries for exported functions (see <see cref="HostEntryEmitter"/>), by defined-function index.</summary>
    public IReadOnlyDictionary<int, System.Reflection.MethodInfo> HostEntries { get; }

    /// <summary>Whether the code is unloaded with the module (else it is tiered by the runtime and stays loaded).</summary>
    public bool IsCollectible { get; }

    /// <summary>The generated types; kept referenced so that their collectible assembly stays alive while the module does.</summary>
    public Type[] CodeTypes { get; }

    /// <summary>Entry points of the module's own functions, in function-section order.</summary>
    public nint[] FunctionPointers { get; }

    /// <summary>The engine's type id for each entry of the module's type section.</summary>
    public int[] TypeIds { get; }

    /// <summary>
    /// The methods left for <see cref="MachineCodeCompilation.Background"/> compilation. Referenced only from here,
    /// weakly by the engine's threads: once the module is unreachable, its background work stops.
    /// </summary>
    public PendingMachineCode? PendingMachineCode { get; set; }
}
