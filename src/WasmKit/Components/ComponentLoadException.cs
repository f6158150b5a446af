namespace WasmKit.Components;

/// <summary>A component (a module and its manifest) could not be loaded; names the file and the manifest field at fault.</summary>
public sealed class ComponentLoadException : WasmException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="filePath">The file at fault (the manifest or the module), if known.</param>
    /// <param name="field">The manifest field at fault, as a path such as <c>udfs[0].parameters[1].type</c>, if any.</param>
    /// <param name="problem">What is wrong.</param>
    /// <param name="inner">The exception that caused this one, if any.</param>
    public ComponentLoadException(string? filePath, string? field, string problem, Exception? inner = null)
        : base(Describe(filePath, field, problem), inner)
    {
        FilePath = filePath;
        Field = field;
        Problem = problem;
    }

    /// <summary>The file at fault, if known.</summary>
    public string? FilePath { get; }

    /// <summary>The manifest field at fault (e.g. <c>version</c> or <c>udfs[0].export</c>), or null for the file as a whole.</summary>
    public string? Field { get; }

    /// <summary>What is wrong, without the file and field.</summary>
    public string Problem { get; }

    private static string Describe(string? filePath, string? field, string problem) =>
        (filePath is null ? "" : filePath + ": ") + (field is null ? "" : $"field '{field}': ") + problem;
}
