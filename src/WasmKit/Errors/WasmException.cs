namespace WasmKit;

/// <summary>The base of every exception WasmKit raises for a module, a link or a guest.</summary>
public abstract class WasmException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="inner">The exception that caused this one, if any.</param>
    protected WasmException(string message, Exception? inner = null) : base(message, inner) { }
}
