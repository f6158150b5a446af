namespace WasmKit.Reducers;

/// <summary>
/// A reducer module or call broke the reducer contract: a missing or mistyped export, a refused import, an
/// input the guest rejected, a result outside guest memory, or a call on a reducer whose guest trapped.
/// Guest traps themselves surface as <see cref="WasmTrapException"/>.
/// </summary>
public class ReducerException : WasmException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened, naming the reducer and the export or import.</param>
    /// <param name="inner">The cause, if any.</param>
    public ReducerException(string message, Exception? inner = null) : base(message, inner) { }
}
