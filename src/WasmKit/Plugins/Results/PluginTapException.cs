namespace WasmKit.Plugins;

/// <summary>A plugin's tap failed and the host asked failures to stop the whole tap (<see cref="PluginHostOptions.ThrowOnPluginFailure"/>).</summary>
public sealed class PluginTapException : WasmException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="failure">The failure.</param>
    public PluginTapException(TapFailure failure)
        : base(failure?.ToString() ?? throw new ArgumentNullException(nameof(failure)), failure.Exception)
    {
        Failure = failure;
    }

    /// <summary>The failure: plugin, tap, kind and reason.</summary>
    public TapFailure Failure { get; }
}
