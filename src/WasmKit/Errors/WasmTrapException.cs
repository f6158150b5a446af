namespace WasmKit;

/// <summary>A WebAssembly guest trapped. The instance's state may be partly updated.</summary>
public sealed class WasmTrapException : WasmException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="code">Why the guest trapped.</param>
    /// <param name="message">Optional detail; defaults to the spec's wording for <paramref name="code"/>.</param>
    /// <param name="inner">The host exception that caused the trap, if any.</param>
    public WasmTrapException(TrapCode code, string? message = null, Exception? inner = null)
        : base(message ?? DescribeCode(code), inner)
    {
        Code = code;
    }

    /// <summary>Why the guest trapped.</summary>
    public TrapCode Code { get; }

    /// <summary>The WebAssembly frames the trap unwound, innermost first (function names from the name section, else <c>wasm-function[N]</c>).</summary>
    public IReadOnlyList<string> WasmBacktrace => Runtime.TrapBacktrace.Capture(this);

    /// <summary>The spec interpreter's wording for a trap code, e.g. "integer divide by zero".</summary>
    /// <param name="code">The trap code.</param>
    /// <returns>The message.</returns>
    public static string DescribeCode(TrapCode code) => code switch
    {
        TrapCode.Unreachable => "unreachable",
        TrapCode.MemoryOutOfBounds => "out of bounds memory access",
        TrapCode.TableOutOfBounds => "out of bounds table access",
        TrapCode.IndirectCallTypeMismatch => "indirect call type mismatch",
        TrapCode.UninitializedElement => "uninitialized element",
        TrapCode.IntegerDivideByZero => "integer divide by zero",
        TrapCode.IntegerOverflow => "integer overflow",
        TrapCode.BadConversionToInteger => "invalid conversion to integer",
        TrapCode.CallStackExhausted => "call stack exhausted",
        TrapCode.NullReference => "null reference",
        TrapCode.OutOfFuel => "all fuel consumed",
        TrapCode.Interrupted => "interrupted",
        TrapCode.HostError => "host function failed",
        _ => code.ToString(),
    };
}
