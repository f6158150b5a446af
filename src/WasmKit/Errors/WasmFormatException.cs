namespace WasmKit;

/// <summary>The bytes are not a well-formed WebAssembly binary.</summary>
public sealed class WasmFormatException : WasmException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="offset">The byte offset in the module where decoding failed.</param>
    /// <param name="message">What was expected there.</param>
    public WasmFormatException(long offset, string message)
        : base($"malformed module at byte 0x{offset:x}: {message}")
    {
        Offset = offset;
        Reason = message;
    }

    /// <summary>The byte offset in the module where decoding failed.</summary>
    public long Offset { get; }

    /// <summary>What was expected, without the offset.</summary>
    public string Reason { get; }
}
