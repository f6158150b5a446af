namespace WasmKit.Components;

/// <summary>One user-defined function a component manifest declares.</summary>
public sealed record ManifestUdf
{
    /// <summary>The UDF's name (an identifier).</summary>
    public required string Name { get; init; }

    /// <summary>The module export that implements it (defaults to <see cref="Name"/>).</summary>
    public required string Export { get; init; }

    /// <summary>Its semantic version (defaults to the component's).</summary>
    public required string Version { get; init; }

    /// <summary>What it does.</summary>
    public string? Description { get; init; }

    /// <summary>A free-form category such as "text" or "filter".</summary>
    public string? Category { get; init; }

    /// <summary>Search tags.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Who wrote it.</summary>
    public string? Author { get; init; }

    /// <summary>Its parameters, in export-signature order.</summary>
    public IReadOnlyList<ManifestParameter> Parameters { get; init; } = [];

    /// <summary>Its result types (zero or one, usually), from <see cref="ManifestTypes.All"/>.</summary>
    public IReadOnlyList<string> Returns { get; init; } = [];
}
