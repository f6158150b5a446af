namespace WasmKit.Backends;

/// <summary>
/// A host function defined once by the product layer (the "wasmkit" document functions, a plugin's
/// capabilities) and bound by each backend: a name, a type, and either a synchronous or an asynchronous
/// body. A backend may instead use a specialization registered for it (<see cref="WithSpecialization"/>),
/// such as the managed engine's direct entries, which guest calls reach with no stub between.
/// </summary>
public sealed class HostFunctionDefinition
{
    private readonly KeyValuePair<string, object>[] _specializations;

    /// <summary>Defines a synchronous host function.</summary>
    /// <param name="moduleName">The import module name, e.g. "wasmkit".</param>
    /// <param name="name">The import name.</param>
    /// <param name="type">The function type.</param>
    /// <param name="implementation">The body.</param>
    public HostFunctionDefinition(string moduleName, string name, FunctionType type, HostFunctionImplementation implementation)
        : this(moduleName, name, type, implementation, null, [])
    {
        ArgumentNullException.ThrowIfNull(implementation);
    }

    /// <summary>Defines an asynchronous host function (see <see cref="AsyncHostFunctionImplementation"/> for the contract).</summary>
    /// <param name="moduleName">The import module name.</param>
    /// <param name="name">The import name.</param>
    /// <param name="type">The function type.</param>
    /// <param name="implementation">The body.</param>
    public HostFunctionDefinition(string moduleName, string name, FunctionType type, AsyncHostFunctionImplementation implementation)
        : this(moduleName, name, type, null, implementation, [])
    {
        ArgumentNullException.ThrowIfNull(implementation);
    }

    private HostFunctionDefinition(string moduleName, string name, FunctionType type,
        HostFunctionImplementation? implementation, AsyncHostFunctionImplementation? asyncImplementation, KeyValuePair<string, object>[] specializations)
    {
        ArgumentException.ThrowIfNullOrEmpty(moduleName);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(type);
        ModuleName = moduleName;
        Name = name;
        Type = type;
        Implementation = implementation;
        AsyncImplementation = asyncImplementation;
        _specializations = specializations;
    }

    /// <summary>The import module name.</summary>
    public string ModuleName { get; }

    /// <summary>The import name.</summary>
    public string Name { get; }

    /// <summary>The function type.</summary>
    public FunctionType Type { get; }

    /// <summary>The synchronous body; null for an asynchronous function.</summary>
    public HostFunctionImplementation? Implementation { get; }

    /// <summary>The asynchronous body; null for a synchronous function.</summary>
    public AsyncHostFunctionImplementation? AsyncImplementation { get; }

    /// <summary>Whether the body is asynchronous.</summary>
    public bool IsAsync => AsyncImplementation is not null;

    /// <summary>
    /// A copy that carries a backend-specific implementation as well, used by the backend named
    /// <paramref name="backendName"/> instead of the general body (which every other backend uses).
    /// It must behave as the general body does.
    /// </summary>
    /// <param name="backendName">The backend's <see cref="IWasmBackend.Name"/>.</param>
    /// <param name="specialization">What that backend understands (the managed backend: a <c>ManagedHostEntry</c>).</param>
    /// <returns>The new definition.</returns>
    public HostFunctionDefinition WithSpecialization(string backendName, object specialization)
    {
        ArgumentException.ThrowIfNullOrEmpty(backendName);
        ArgumentNullException.ThrowIfNull(specialization);
        var all = _specializations.Where(s => s.Key != backendName).Append(new(backendName, specialization)).ToArray();
        return new HostFunctionDefinition(ModuleName, Name, Type, Implementation, AsyncImplementation, all);
    }

    /// <summary>The specialization registered for a backend, if any.</summary>
    /// <param name="backendName">The backend's <see cref="IWasmBackend.Name"/>.</param>
    /// <returns>The specialization, or <see langword="null"/>.</returns>
    public object? GetSpecialization(string backendName)
    {
        foreach (var (name, value) in _specializations)
            if (name == backendName) return value;
        return null;
    }

    /// <inheritdoc />
    public override string ToString() => $"{ModuleName}.{Name}: {Type}";
}
