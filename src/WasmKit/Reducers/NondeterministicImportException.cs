namespace WasmKit.Reducers;

/// <summary>
/// A reducer module imports something that could make replay nondeterministic: a clock, randomness, I/O
/// (WASI or any host function) or anything else outside the allowlist (<see cref="ReducerImportPolicy"/>).
/// Raised when the module is loaded, before any instance exists.
/// </summary>
public sealed class NondeterministicImportException : ReducerException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="reducerName">The reducer module's name.</param>
    /// <param name="import">The refused import.</param>
    public NondeterministicImportException(string reducerName, ImportDescriptor import)
        : base($"Reducer '{reducerName}' imports {import.ModuleName}.{import.Name} ({import.Kind.ToString().ToLowerInvariant()} {import.Type}); "
             + $"a reducer may import only {ReducerImportPolicy.Describe()}, because clocks, randomness and I/O would make replaying its commands nondeterministic.")
    {
        ImportModule = import.ModuleName;
        ImportName = import.Name;
    }

    /// <summary>The refused import's module name, e.g. "wasi_snapshot_preview1".</summary>
    public string ImportModule { get; }

    /// <summary>The refused import's name, e.g. "clock_time_get".</summary>
    public string ImportName { get; }
}
