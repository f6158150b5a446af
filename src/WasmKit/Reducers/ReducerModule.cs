using WasmKit.Backends;

namespace WasmKit.Reducers;

/// <summary>
/// A reducer module, compiled and checked: it imports nothing nondeterministic
/// (<see cref="ReducerImportPolicy"/>) and exports the reducer contract (memory, <c>reducer_input</c>,
/// <c>reducer_load</c>, <c>reducer_apply</c>, <c>reducer_save</c>). Thread-safe; make one per module and
/// any number of <see cref="Reducer"/>s from it. It works on any <see cref="IWasmBackend"/>; reducers are
/// never reset, so a backend without resettable instances serves them best (on the managed engine,
/// <c>new EngineOptions { ConsumeFuel = true, Interruptible = true }</c> skips the tracking of written pages).
/// </summary>
public sealed class ReducerModule
{
    private ReducerModule(IBackendModule module, ReducerOptions options)
    {
        BackendModule = module;
        Options = options;
        Input = RequireFunction(module, ReducerAbi.InputExport);
        Load = RequireFunction(module, ReducerAbi.LoadExport);
        Apply = RequireFunction(module, ReducerAbi.ApplyExport);
        Save = RequireFunction(module, ReducerAbi.SaveExport);
        InstanceOptions = new BackendInstanceOptions
        {
            Imports = ReducerImportPolicy.CreateImports(),
            MaximumMemoryPages = options.MaximumMemoryPages,
            InitialFuel = options.FuelPerCall,
        };
    }

    /// <summary>The compiled module.</summary>
    public IBackendModule BackendModule { get; }

    /// <summary>The module's name.</summary>
    public string Name => BackendModule.Name;

    /// <summary>The limits its reducers run under.</summary>
    public ReducerOptions Options { get; }

    internal ExportInvoker Input { get; }
    internal ExportInvoker Load { get; }
    internal ExportInvoker Apply { get; }
    internal ExportInvoker Save { get; }
    internal BackendInstanceOptions InstanceOptions { get; }

    /// <summary>Compiles and checks a reducer module.</summary>
    /// <param name="backend">The engine to run it on.</param>
    /// <param name="wasm">The module's bytes.</param>
    /// <param name="options">Limits; the defaults when null.</param>
    /// <param name="name">The module's name, for errors.</param>
    /// <returns>The module.</returns>
    /// <exception cref="WasmFormatException">The bytes are not a module.</exception>
    /// <exception cref="WasmValidationException">The module is invalid.</exception>
    /// <exception cref="NondeterministicImportException">The module imports a clock, randomness, I/O or anything else outside the allowlist.</exception>
    /// <exception cref="ReducerException">An export of the contract is missing or has the wrong type.</exception>
    /// <exception cref="ArgumentException">An option is out of range, or asks for fuel on a backend without it.</exception>
    public static ReducerModule Compile(IWasmBackend backend, ReadOnlySpan<byte> wasm, ReducerOptions? options = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(backend);
        options ??= new ReducerOptions();
        options.Validate();
        if (options.FuelPerCall is not null && !backend.Capabilities.SupportsFuel)
            throw new ArgumentException($"The {backend.Name} backend does not consume fuel, so FuelPerCall cannot be enforced; configure fuel or leave it null.", nameof(options));
        if (options.MaximumMemoryPages > backend.Capabilities.MaximumMemoryPages)
            throw new ArgumentException($"MaximumMemoryPages {options.MaximumMemoryPages} is above the {backend.Name} backend's cap of {backend.Capabilities.MaximumMemoryPages} pages.", nameof(options));

        var module = backend.Compile(wasm, name);
        ReducerImportPolicy.Enforce(module.Name, module.Imports);
        if (!module.Exports.Any(e => e.Name == ReducerAbi.MemoryExport && e.Kind == ExternalKind.Memory))
            throw new ReducerException($"Reducer '{module.Name}' does not export its memory as \"{ReducerAbi.MemoryExport}\".");
        return new ReducerModule(module, options);
    }

    /// <summary>A new reducer: a fresh instance of the module, with the module's initial state.</summary>
    /// <param name="format">The encoding of state, data, commands and effects for this reducer's calls.</param>
    /// <returns>The reducer; dispose it to release its instance.</returns>
    /// <exception cref="WasmLinkException">The instance cannot be created within the limits.</exception>
    /// <exception cref="WasmTrapException">The module's start function trapped.</exception>
    public Reducer CreateReducer(ReducerFormat format = ReducerFormat.Binary)
    {
        if (!Enum.IsDefined(format)) throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown reducer format.");
        return new Reducer(this, format);
    }

    internal IBackendInstance Instantiate() => BackendModule.Instantiate(InstanceOptions);

    private static ExportInvoker RequireFunction(IBackendModule module, string export)
    {
        var expected = ReducerAbi.Functions.First(f => f.Name == export).Type;
        var invoker = module.GetInvoker(export)
            ?? throw new ReducerException($"Reducer '{module.Name}' lacks the export {export}: {expected}.");
        if (!invoker.Type.Equals(expected))
            throw new ReducerException($"Reducer '{module.Name}' exports {export} as {invoker.Type}; the reducer contract needs {expected}.");
        return invoker;
    }
}
