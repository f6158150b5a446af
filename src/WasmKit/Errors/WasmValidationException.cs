namespace WasmKit;

/// <summary>The module is well-formed but breaks a WebAssembly validation rule.</summary>
public sealed class WasmValidationException : WasmException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The rule that was broken.</param>
    /// <param name="functionIndex">The function whose body is invalid, if the error is in code.</param>
    /// <param name="offset">The byte offset of the offending instruction or entry, if known.</param>
    /// <param name="inner">The engine's own error, when another engine (a backend) reported it.</param>
    public WasmValidationException(string message, int? functionIndex = null, long? offset = null, Exception? inner = null)
        : base(Describe(message, functionIndex, offset), inner)
    {
        Reason = message;
        FunctionIndex = functionIndex;
        Offset = offset;
    }

    /// <summary>The rule that was broken, without location.</summary>
    public string Reason { get; }

    /// <summary>The index (in the function index space) of the invalid function, if the error is in code.</summary>
    public int? FunctionIndex { get; }

    /// <summary>The byte offset of the offending instruction, if known.</summary>
    public long? Offset { get; }

    private static string Describe(string message, int? functionIndex, long? offset)
    {
        var where = functionIndex is int f ? $" in function {f}" : "";
        where += offset is long o ? $" at byte 0x{o:x}" : "";
        return $"invalid module{where}: {message}";
    }
}
