using Wt = global::Wasmtime;

namespace WasmKit.SpecTests;

/// <summary>
/// Compares a Wasmtime trap with the message a script expects: the expected message names a WasmKit
/// <see cref="TrapCode"/> (<see cref="SpecTrapMessages"/>), and Wasmtime's trap code must be the one that means the same.
/// Where Wasmtime gives no code, its message (it ends in the spec's wording, "wasm trap: ...") must contain the expected text.
/// </summary>
internal static class WasmtimeTrapCodes
{
    /// <summary>The WasmKit code for a Wasmtime trap code, or null for traps WasmKit has no counterpart for.</summary>
    public static TrapCode? ToWasmKit(Wt.TrapCode code) => code switch
    {
        Wt.TrapCode.Unreachable => TrapCode.Unreachable,
        Wt.TrapCode.MemoryOutOfBounds => TrapCode.MemoryOutOfBounds,
        Wt.TrapCode.TableOutOfBounds => TrapCode.TableOutOfBounds,
        Wt.TrapCode.IndirectCallToNull => TrapCode.UninitializedElement,
        Wt.TrapCode.BadSignature => TrapCode.IndirectCallTypeMismatch,
        Wt.TrapCode.IntegerDivisionByZero => TrapCode.IntegerDivideByZero,
        Wt.TrapCode.IntegerOverflow => TrapCode.IntegerOverflow,
        Wt.TrapCode.BadConversionToInteger => TrapCode.BadConversionToInteger,
        Wt.TrapCode.StackOverflow => TrapCode.CallStackExhausted,
        Wt.TrapCode.NullReference => TrapCode.NullReference,
        _ => null,
    };

    /// <summary>Null when <paramref name="trap"/> is the trap <paramref name="expectedMessage"/> names, else why not.</summary>
    public static string? Mismatch(string? expectedMessage, Wt.TrapException trap)
    {
        if (ToWasmKit(trap.Type) is not TrapCode actual)
        {
            return expectedMessage is not null && trap.Message.Contains(expectedMessage, StringComparison.Ordinal)
                ? null : $"trapped with {trap.Type} whose message does not contain \"{expectedMessage}\"";
        }
        if (SpecTrapMessages.CodeFor(expectedMessage) is not TrapCode expected)
            return $"the harness has no trap code for the message \"{expectedMessage}\" (add it to {nameof(SpecTrapMessages)})";
        return actual == expected ? null : $"trapped with {trap.Type} ({actual}), expected {expected}";
    }
}
