using WasmKit.Runtime;

namespace WasmKit;

/// <summary>
/// Resolves a module's imports by module and field name, then instantiates it. Holds host
/// functions, memories, tables, globals and whole instances under names.
/// </summary>
public sealed partial class Linker
{
    private readonly Dictionary<(string Module, string Name), object> _definitions = [];

    /// <summary>Creates a linker.</summary>
    /// <param name="engine">The engine of the modules it links.</param>
    public Linker(Engine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        Engine = engine;
    }

    /// <summary>The engine of the modules it links.</summary>
    public Engine Engine { get; }

    /// <summary>Whether a definition may replace an earlier one of the same name; otherwise that is an error.</summary>
    public bool AllowShadowing { get; set; }

    /// <summary>Defines a function, memory, table or global under a module and field name.</summary>
    /// <param name="module">The import module name.</param>
    /// <param name="name">The import field name.</param>
    /// <param name="item">A <see cref="Function"/>, <see cref="Memory"/>, <see cref="Table"/> or <see cref="Global"/>.</param>
    /// <exception cref="ArgumentException">The item is of another type, or the name is taken and shadowing is off.</exception>
    public void Define(string module, string name, object item)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(item);
        if (item is not (Function or Memory or Table or Global or HostFunctionDefinition or TypedHostFunctionDefinition))
            throw new ArgumentException($"Only a Function, Memory, Table or Global can be defined, not {item.GetType().Name}.", nameof(item));
        if (!AllowShadowing && _definitions.ContainsKey((module, name)))
            throw new ArgumentException($"'{module}'.'{name}' is already defined.", nameof(name));
        _definitions[(module, name)] = item;
    }

    /// <summary>Defines a host function, created in each store that instantiates through this linker.</summary>
    /// <param name="module">The import module name.</param>
    /// <param name="name">The import field name.</param>
    /// <param name="type">The function's signature.</param>
    /// <param name="callback">The code to run.</param>
    /// <remarks>
    /// An exception the callback throws (of this and of the typed overloads) is treated as a trap of the
    /// calling guest: it stopped half way, so every instance whose exported function the exception unwinds
    /// gets <see cref="Instance.HasTrapped"/> set (a resettable instance should be reset, a pool discards it).
    /// The exception itself is rethrown unchanged to the code that called the export, so hosts catch their
    /// own exception types. A <see cref="Wasi.WasiExitException"/> (WASI <c>proc_exit</c>) is the guest's
    /// normal end and marks nothing. A callback that stores a result of the wrong .NET type makes the call
    /// fail with a <see cref="WasmTrapException"/> of code <see cref="TrapCode.HostError"/>. The exception
    /// types the .NET runtime raises for code it cannot compile (<see cref="InvalidProgramException"/>,
    /// <see cref="TypeLoadException"/>, <see cref="BadImageFormatException"/>) are reported as a
    /// <see cref="WasmImplementationLimitException"/> carrying the original as its inner exception, also
    /// when a callback throws them.
    /// </remarks>
    public void DefineFunction(string module, string name, FunctionType type, HostFunctionCallback callback)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(callback);
        Define(module, name, new HostFunctionDefinition(type, callback, $"{module}.{name}"));
    }

    /// <summary>Defines every export of an instance under a module name.</summary>
    /// <param name="module">The import module name its exports are found under.</param>
    /// <param name="instance">The instance.</param>
    public void DefineInstance(string module, Instance instance)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(instance);
        foreach (var (name, item) in instance.Exports) Define(module, name, item);
    }

    /// <summary>Whether an import of that module and name is defined (for checks before instantiation).</summary>
    internal bool IsDefined(string module, string name) => _definitions.ContainsKey((module, name));

    /// <summary>Instantiates a module, resolving its imports from this linker's definitions.</summary>
    /// <param name="store">The store to create the instance in.</param>
    /// <param name="module">The module.</param>
    /// <returns>The instance, after its start function has run.</returns>
    /// <exception cref="WasmLinkException">An import is missing or of the wrong kind or type.</exception>
    /// <exception cref="WasmTrapException">A segment was out of bounds or the start function trapped.</exception>
    public Instance Instantiate(Store store, Module module)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(module);
        if (store.Engine != module.Engine) throw new ArgumentException("The store and the module belong to different engines.", nameof(store));
        var imports = new object[module.Definition.Imports.Count];
        for (int i = 0; i < imports.Length; i++)
        {
            var import = module.Definition.Imports[i];
            if (!_definitions.TryGetValue((import.ModuleName, import.Name), out var item))
                throw new WasmLinkException($"unknown import: '{import.ModuleName}'.'{import.Name}' is not defined");
            if (item is HostFunctionDefinition host) item = host.CreateIn(store);
            else if (item is TypedHostFunctionDefinition typed) item = typed.CreateIn(store);
            imports[i] = item;
        }
        return Instantiator.Instantiate(store, module, imports);
    }

    private void DefineTyped(string module, string name, Delegate callback, Type[] parameters, Type? result, System.Reflection.MethodInfo stubDefinition)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var kinds = new ValueKind[parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
            kinds[i] = ValueConversion.KindOf(parameters[i]) ?? throw new ArgumentException($"Parameter {i + 1} has type {parameters[i].Name}, which has no WebAssembly equivalent (use int, long, float, double, Function or object).", nameof(callback));
        ValueKind[] results = [];
        if (result is not null)
            results = [ValueConversion.KindOf(result) ?? throw new ArgumentException($"The result type {result.Name} has no WebAssembly equivalent (use int, long, float, double, Function or object).", nameof(callback))];
        var generic = parameters.Concat(result is null ? [] : [result]).ToArray();
        var stub = generic.Length == 0 ? stubDefinition : stubDefinition.MakeGenericMethod(generic);
        Define(module, name, new TypedHostFunctionDefinition(new FunctionType(kinds, results), callback, stub.MethodHandle.GetFunctionPointer(), $"{module}.{name}"));
    }

    /// <summary>
    /// Defines a host function whose code is a static method in the compiled calling convention
    /// (the WebAssembly parameters, then the function's <see cref="InstanceContext"/>, whose
    /// <see cref="InstanceContext.CallingContext"/> is the caller): no stub and no delegate between the
    /// guest and the host, for the library's own hottest imports.
    /// </summary>
    internal void DefineEntry(string module, string name, FunctionType type, nint entry) =>
        Define(module, name, new TypedHostFunctionDefinition(type, null, entry, $"{module}.{name}"));

    /// <summary>
    /// Defines a host function whose code is a generic stub in the compiled calling convention that finds
    /// <paramref name="callback"/> as its context's host delegate (the backend seam's slot-based host functions).
    /// </summary>
    internal void DefineStub(string module, string name, FunctionType type, Delegate callback, nint stub) =>
        Define(module, name, new TypedHostFunctionDefinition(type, callback, stub, $"{module}.{name}"));

    /// <summary>A typed host function defined on the linker, materialised per store.</summary>
    private sealed record TypedHostFunctionDefinition(FunctionType Type, Delegate? Callback, nint Stub, string Name)
    {
        private readonly System.Runtime.CompilerServices.ConditionalWeakTable<Store, Function> _perStore = new();

        public Function CreateIn(Store store) =>
            _perStore.GetValue(store, s => Function.FromTypedStub(s, Type, Callback, Stub, Name));
    }

    /// <summary>A host function defined on the linker, materialised per store.</summary>
    private sealed record HostFunctionDefinition(FunctionType Type, HostFunctionCallback Callback, string Name)
    {
        private readonly System.Runtime.CompilerServices.ConditionalWeakTable<Store, Function> _perStore = new();

        public Function CreateIn(Store store) =>
            _perStore.GetValue(store, s => Function.FromCallback(s, Type, Callback, Name));
    }
}
