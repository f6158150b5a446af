namespace WasmKit;

/// <summary>The bytes are not a well-formed WebAssembly binary.</summary>
public sealed class WasmFormatException : WasmException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="offset">The byte offset in the module where decoding failed.</param>
    /// <param name="message">What was expected there.</param>
    /// <param name="inner">The engine's own error, when another engine (a backend) reported it.</param>
    public WasmFormatException(long offset, string message, Exception? inner = null)
        : base($"malformed module at byte 0x{offset:x}: {message}", inner)
    {
        Offset = offset;
        Reason = message;
    }

    /// <summary>The byte offset in the module where decoding failed.</summary>
    public long Offset { get; }

    /// <summary>What was expected, without the offset.</summary>
    public string Reason { get; }
}
