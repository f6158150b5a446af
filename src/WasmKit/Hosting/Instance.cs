namespace WasmKit;

/// <summary>An instantiated module: its own memories, tables, globals and functions, reached by export name.</summary>
public sealed partial class Instance
{
    private readonly Dictionary<string, object> _exports;

    internal Instance(Module module, Store store, Dictionary<string, object> exports)
    {
        Module = module;
        Store = store;
        _exports = exports;
    }

    /// <summary>The module this instance was made from.</summary>
    public Module Module { get; }

    /// <summary>The store the instance lives in.</summary>
    public Store Store { get; }

    /// <summary>Every export: its name and the <see cref="Function"/>, <see cref="Table"/>, <see cref="Memory"/> or <see cref="Global"/>.</summary>
    public IReadOnlyDictionary<string, object> Exports => _exports;

    /// <summary>An exported function.</summary>
    /// <param name="name">The export name.</param>
    /// <returns>The function, or <see langword="null"/> if there is no function export of that name.</returns>
    public Function? GetFunction(string name) => GetExport(name) as Function;

    /// <summary>An exported memory.</summary>
    /// <param name="name">The export name.</param>
    /// <returns>The memory, or <see langword="null"/> if there is no memory export of that name.</returns>
    public Memory? GetMemory(string name) => GetExport(name) as Memory;

    /// <summary>An exported table.</summary>
    /// <param name="name">The export name.</param>
    /// <returns>The table, or <see langword="null"/> if there is no table export of that name.</returns>
    public Table? GetTable(string name) => GetExport(name) as Table;

    /// <summary>An exported global.</summary>
    /// <param name="name">The export name.</param>
    /// <returns>The global, or <see langword="null"/> if there is no global export of that name.</returns>
    public Global? GetGlobal(string name) => GetExport(name) as Global;

    /// <summary>An export of any kind.</summary>
    /// <param name="name">The export name.</param>
    /// <returns>The export, or <see langword="null"/> if there is none of that name.</returns>
    public object? GetExport(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _exports.GetValueOrDefault(name);
    }
}
