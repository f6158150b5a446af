namespace WasmKit.Plugins;

/// <summary>A plugin (a module and its manifest) could not be loaded; names the plugin source and the manifest field at fault.</summary>
public sealed class PluginLoadException : WasmException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="source">The plugin's file or name, if known.</param>
    /// <param name="field">The manifest field at fault, as a path such as <c>taps[0].read[2]</c>, if any.</param>
    /// <param name="problem">What is wrong.</param>
    /// <param name="inner">The exception that caused this one, if any.</param>
    public PluginLoadException(string? source, string? field, string problem, Exception? inner = null)
        : base((source is null ? "" : source + ": ") + (field is null ? "" : $"field '{field}': ") + problem, inner)
    {
        Source = source;
        Field = field;
        Problem = problem;
    }

    /// <summary>The plugin's file or name, if known.</summary>
    public new string? Source { get; }

    /// <summary>The manifest field at fault, or null for the plugin as a whole.</summary>
    public string? Field { get; }

    /// <summary>What is wrong, without the source and field.</summary>
    public string Problem { get; }
}
