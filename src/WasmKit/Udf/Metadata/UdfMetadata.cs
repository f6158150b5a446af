namespace WasmKit.Udf;

/// <summary>What a user-defined function is, what it takes and what it returns; checked by <see cref="UdfRegistry.Register(UdfMetadata, Module, UdfLimits?)"/>.</summary>
public sealed record UdfMetadata
{
    /// <summary>The UDF name: a letter or '_' followed by letters, digits, '_', '-' or '.' (at most 128 characters).</summary>
    public required string Name { get; init; }

    /// <summary>The semantic version, e.g. "1.0.0".</summary>
    public required string Version { get; init; }

    /// <summary>A sentence on what the UDF does.</summary>
    public string Description { get; init; } = "";

    /// <summary>The name of the WebAssembly function export that implements the UDF; <see cref="Name"/> when empty.</summary>
    public string ExportName { get; init; } = "";

    /// <summary>The declared parameters, in the order of the WebAssembly signature.</summary>
    public IReadOnlyList<UdfParameter> Parameters { get; init; } = [];

    /// <summary>The result types, in order (most UDFs return one value).</summary>
    public IReadOnlyList<UdfType> Returns { get; init; } = [];

    /// <summary>A free-form category such as "text" or "scoring".</summary>
    public string Category { get; init; } = "";

    /// <summary>Free-form tags for queries.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Who wrote the UDF.</summary>
    public string Author { get; init; } = "";

    /// <summary>The export to call: <see cref="ExportName"/>, or <see cref="Name"/> when that is empty.</summary>
    public string EffectiveExportName => string.IsNullOrEmpty(ExportName) ? Name : ExportName;

    /// <summary>"name@version", the way messages and metrics name a UDF.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Name}@{Version}";
}
