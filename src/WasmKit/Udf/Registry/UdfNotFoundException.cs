namespace WasmKit.Udf;

/// <summary>No UDF of that name (and version) is registered.</summary>
public sealed class UdfNotFoundException : KeyNotFoundException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="name">The name asked for.</param>
    /// <param name="version">The version asked for, or <see langword="null"/> for "any".</param>
    public UdfNotFoundException(string name, string? version)
        : base(version is null ? $"No UDF named '{name}' is registered." : $"UDF '{name}' version {version} is not registered.")
    {
        Name = name;
        Version = version;
    }

    /// <summary>The name asked for.</summary>
    public string Name { get; }

    /// <summary>The version asked for, or <see langword="null"/>.</summary>
    public string? Version { get; }
}
