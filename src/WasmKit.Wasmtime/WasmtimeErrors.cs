using System.Runtime.ExceptionServices;
using System.Text.RegularExpressions;
using Wt = global::Wasmtime;

namespace WasmKit.Wasmtime;

/// <summary>
/// Maps Wasmtime's errors onto WasmKit's exception types, keeping Wasmtime's error as the inner exception:
/// at compilation a parse error is a <see cref="WasmFormatException"/> and anything else a
/// <see cref="WasmValidationException"/>; at instantiation a <see cref="WasmLinkException"/> (or the start
/// function's trap); a trap a <see cref="WasmTrapException"/> with the <see cref="TrapCode"/> of its trap type.
/// </summary>
internal static partial class WasmtimeErrors
{
    // Wasmtime says where a parse or validation error is as "(at offset 0x1f)" or "at offset 31".
    [GeneratedRegex(@"at offset (0x[0-9a-fA-F]+|\d+)")]
    private static partial Regex OffsetPattern();

    /// <summary>The WasmKit exception for a compilation error (Module.FromBytes, Module.Deserialize).</summary>
    public static WasmException Compilation(Wt.WasmtimeException error)
    {
        string message = error.Message;
        string reason = Reason(message);
        long? offset = Offset(message);
        if (message.Contains("failed to parse WebAssembly module", StringComparison.Ordinal))
            return new WasmFormatException(offset ?? 0, reason, error);
        return new WasmValidationException(reason, null, offset, error);
    }

    /// <summary>
    /// The exception for an error raised while guest code ran (a call, or the start function at instantiation):
    /// a trap maps to <see cref="WasmTrapException"/>; a host function's exception (carried by Wasmtime as the
    /// inner exception) is rethrown as it was thrown; other errors at instantiation are link errors.
    /// </summary>
    public static Exception Execution(Wt.WasmtimeException error, bool instantiating)
    {
        if (error is Wt.TrapException trap) return new WasmTrapException(Code(trap), Reason(trap.Message), trap);
        if (error.InnerException is WasmTrapException hostTrap)
            return new WasmTrapException(hostTrap.Code, hostTrap.Message, hostTrap);
        if (error.InnerException is { } hostError)
        {
            // The host function's own exception unwinds to the caller unchanged (the seam's contract).
            ExceptionDispatchInfo.Capture(hostError).Throw();
        }
        if (error.ExitCode is int exitCode) return new WasmKit.Wasi.WasiExitException(exitCode);
        if (instantiating) return new WasmLinkException(Reason(error.Message), error);
        // Wasmtime reports some traps without a trap type (e.g. a trap raised inside WASI): keep its wording.
        return new WasmTrapException(CodeFromMessage(error.Message), Reason(error.Message), error);
    }

    /// <summary>WasmKit's trap code for a Wasmtime trap.</summary>
    public static TrapCode Code(Wt.TrapException trap) => trap.Type switch
    {
        Wt.TrapCode.Unreachable => TrapCode.Unreachable,
        Wt.TrapCode.MemoryOutOfBounds or Wt.TrapCode.HeapMisaligned => TrapCode.MemoryOutOfBounds,
        Wt.TrapCode.TableOutOfBounds => TrapCode.TableOutOfBounds,
        Wt.TrapCode.IndirectCallToNull => TrapCode.UninitializedElement,
        Wt.TrapCode.BadSignature => TrapCode.IndirectCallTypeMismatch,
        Wt.TrapCode.IntegerOverflow => TrapCode.IntegerOverflow,
        Wt.TrapCode.IntegerDivisionByZero => TrapCode.IntegerDivideByZero,
        Wt.TrapCode.BadConversionToInteger => TrapCode.BadConversionToInteger,
        Wt.TrapCode.StackOverflow => TrapCode.CallStackExhausted,
        Wt.TrapCode.NullReference => TrapCode.NullReference,
        Wt.TrapCode.OutOfFuel => TrapCode.OutOfFuel,
        Wt.TrapCode.Interrupt => TrapCode.Interrupted,
        _ => CodeFromMessage(trap.Message),
    };

    /// <summary>The trap code by Wasmtime's spec wording ("wasm trap: ..."), for traps without a known type.</summary>
    private static TrapCode CodeFromMessage(string message)
    {
        if (message.Contains("out of bounds memory access", StringComparison.Ordinal)) return TrapCode.MemoryOutOfBounds;
        if (message.Contains("undefined element", StringComparison.Ordinal) || message.Contains("out of bounds table", StringComparison.Ordinal))
            return TrapCode.TableOutOfBounds;
        if (message.Contains("uninitialized element", StringComparison.Ordinal)) return TrapCode.UninitializedElement;
        if (message.Contains("indirect call type mismatch", StringComparison.Ordinal)) return TrapCode.IndirectCallTypeMismatch;
        if (message.Contains("integer divide by zero", StringComparison.Ordinal)) return TrapCode.IntegerDivideByZero;
        if (message.Contains("integer overflow", StringComparison.Ordinal)) return TrapCode.IntegerOverflow;
        if (message.Contains("invalid conversion to integer", StringComparison.Ordinal)) return TrapCode.BadConversionToInteger;
        if (message.Contains("call stack exhausted", StringComparison.Ordinal)) return TrapCode.CallStackExhausted;
        if (message.Contains("unreachable", StringComparison.Ordinal)) return TrapCode.Unreachable;
        if (message.Contains("all fuel consumed", StringComparison.Ordinal)) return TrapCode.OutOfFuel;
        if (message.Contains("interrupt", StringComparison.Ordinal)) return TrapCode.Interrupted;
        return TrapCode.HostError;
    }

    /// <summary>The innermost cause of Wasmtime's multi-line message (its last non-empty line, numbering removed).</summary>
    private static string Reason(string message)
    {
        var lines = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (int i = lines.Length - 1; i >= 0; i--)
        {
            string line = lines[i];
            int wasmTrap = line.IndexOf("wasm trap: ", StringComparison.Ordinal);
            if (wasmTrap >= 0) return line[(wasmTrap + "wasm trap: ".Length)..];
        }
        if (lines.Length == 0) return message;
        string last = lines[^1];
        int colon = last.IndexOf(": ", StringComparison.Ordinal);
        // "1: Invalid input WebAssembly code at offset 24: type mismatch" → keep the text after the numbering.
        if (colon > 0 && last[..colon].All(char.IsAsciiDigit)) last = last[(colon + 2)..];
        return last;
    }

    private static long? Offset(string message)
    {
        var match = OffsetPattern().Match(message);
        if (!match.Success) return null;
        string text = match.Groups[1].Value;
        return text.StartsWith("0x", StringComparison.Ordinal)
            ? Convert.ToInt64(text[2..], 16)
            : long.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
    }
}
