namespace WasmKit;

/// <summary>An instantiated module: its own memories, tables, globals and functions, reached by export name.</summary>
public sealed partial class Instance
{
    private readonly Dictionary<string, object> _exports;

    internal Instance(Module module, Store store, Dictionary<string, object> exports, Runtime.InstanceContext context)
    {
        Module = module;
        Store = store;
        _exports = exports;
        Context = context;
    }

    internal Runtime.InstanceContext Context { get; }

    internal Runtime.InstanceSnapshot? Snapshot { get; set; }

    /// <summary>Whether <see cref="Reset"/> is available: the engine was created with <see cref="EngineOptions.ResettableInstances"/>.</summary>
    public bool CanReset => Snapshot is not null;

    /// <summary>
    /// Puts the instance back into the state it had right after instantiation: the contents and size of
    /// its own memories, its mutable globals, its tables and its segments. Imported memories, tables
    /// and globals are not touched. Cheap: only memory written since the last reset is copied back.
    /// </summary>
    /// <exception cref="InvalidOperationException">The engine was not created with <see cref="EngineOptions.ResettableInstances"/>.</exception>
    public void Reset()
    {
        var snapshot = Snapshot ?? throw new InvalidOperationException("Reset needs an engine created with EngineOptions.ResettableInstances.");
        snapshot.Restore(Context);
        HasTrapped = false;
    }

    /// <summary>
    /// Makes the current state the one <see cref="Reset"/> restores. For hosts that prepare an
    /// instance once after instantiation (e.g. reserve guest memory for arguments).
    /// </summary>
    internal void CaptureResetState()
    {
        if (Snapshot is null) throw new InvalidOperationException("Reset needs an engine created with EngineOptions.ResettableInstances.");
        var definition = Module.Definition;
        Snapshot = Runtime.InstanceSnapshot.Capture(Context, definition.ImportedMemoryCount, definition.ImportedGlobalCount, definition.ImportedTableCount);
    }

    /// <summary>The module this instance was made from.</summary>
    public Module Module { get; }

    /// <summary>The store the instance lives in.</summary>
    public Store Store { get; }

    /// <summary>
    /// Whether a call into this instance trapped. Its memory, tables and globals may then be half
    /// updated, so it is not safe to reuse for independent work: discard it and instantiate anew.
    /// </summary>
    public bool HasTrapped { get; private set; }

    internal void MarkTrapped() => HasTrapped = true;

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

    /// <summary>Builds the typed delegate for an export, checking its signature against the .NET types.</summary>
    private Delegate? TypedFunction(string name, Type[] parameters, Type? result, Type delegateType)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (GetFunction(name) is not Function function) return null;
        var type = function.Type;
        var results = result is null ? [] : ValueTupleElements(result) ?? [result];
        bool matches = type.Parameters.Length == parameters.Length && type.Results.Length == results.Length &&
            !type.Parameters.Concat(type.Results).Contains(ValueKind.V128);
        for (int i = 0; matches && i < parameters.Length; i++)
            matches = Runtime.ValueConversion.ClrType(type.Parameters[i]) == parameters[i];
        for (int i = 0; matches && i < results.Length; i++)
            matches = Runtime.ValueConversion.ClrType(type.Results[i]) == results[i];
        if (!matches)
        {
            string wanted = "(" + string.Join(", ", parameters.Select(p => p.Name)) + ") -> " + (result?.Name ?? "void");
            throw new ArgumentException($"Export '{name}' has type {type}, which does not match {wanted}.", nameof(name));
        }
        // Exported wasm functions have generated entries: bind the delegate straight to them.
        int defined = function.Context == Context ? Array.IndexOf(Context.Functions, function) - Module.Definition.ImportedFunctionCount : -1;
        if (defined >= 0 && Module.Compiled.HostEntries.TryGetValue(defined, out var entry))
            return Delegate.CreateDelegate(delegateType, Context, entry);

        var invokerDefinition = results.Length switch
        {
            0 => Runtime.TypedInvokerTypes.Action(parameters.Length),
            1 => Runtime.TypedInvokerTypes.Function(parameters.Length),
            _ => Runtime.TypedInvokerTypes.MultiResult(parameters.Length, results.Length),
        };
        var invokerType = invokerDefinition.IsGenericTypeDefinition
            ? invokerDefinition.MakeGenericType([.. parameters, .. results])
            : invokerDefinition;
        var invoker = Activator.CreateInstance(invokerType, function)!;
        return Delegate.CreateDelegate(delegateType, invoker, invokerType.GetMethod("Invoke")!);
    }

    private static Type[]? ValueTupleElements(Type type) =>
        type.IsGenericType && type.FullName!.StartsWith("System.ValueTuple`", StringComparison.Ordinal) && type.GetGenericArguments().Length is 2 or 3
            ? type.GetGenericArguments()
            : null;

    /// <summary>An export of any kind.</summary>
    /// <param name="name">The export name.</param>
    /// <returns>The export, or <see langword="null"/> if there is none of that name.</returns>
    public object? GetExport(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _exports.GetValueOrDefault(name);
    }
}
