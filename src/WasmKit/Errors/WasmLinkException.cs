namespace WasmKit;

/// <summary>An import could not be satisfied: missing, or of the wrong kind or type.</summary>
public sealed class WasmLinkException : WasmException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">Which import failed and why.</param>
    /// <param name="inner">The engine's own error, when another engine (a backend) reported it.</param>
    public WasmLinkException(string message, Exception? inner = null) : base(message, inner) { }
}
