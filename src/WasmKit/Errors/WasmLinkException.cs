namespace WasmKit;

/// <summary>An import could not be satisfied: missing, or of the wrong kind or type.</summary>
public sealed class WasmLinkException : WasmException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">Which import failed and why.</param>
    public WasmLinkException(string message) : base(message) { }
}
