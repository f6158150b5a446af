namespace WasmKit.SpecTests;

/// <summary>
/// Maps the trap messages the spec scripts expect (assert_trap, assert_exhaustion, assert_uninstantiable) to the
/// <see cref="TrapCode"/> WasmKit must raise. Like the reference interpreter, an expected message matches when it
/// starts with a known one (the suite writes "uninitialized element 2" once); an unknown message fails the assertion.
/// </summary>
internal static class SpecTrapMessages
{
    private static readonly (string Message, TrapCode Code)[] Table =
    [
        ("unreachable", TrapCode.Unreachable),
        ("out of bounds memory access", TrapCode.MemoryOutOfBounds),
        ("out of bounds table access", TrapCode.TableOutOfBounds),
        // call_indirect with an index past the table's end (the element is outside the table, not null).
        ("undefined element", TrapCode.TableOutOfBounds),
        ("uninitialized element", TrapCode.UninitializedElement),
        ("indirect call type mismatch", TrapCode.IndirectCallTypeMismatch),
        ("integer divide by zero", TrapCode.IntegerDivideByZero),
        ("integer overflow", TrapCode.IntegerOverflow),
        ("invalid conversion to integer", TrapCode.BadConversionToInteger),
        ("call stack exhausted", TrapCode.CallStackExhausted),
        ("null reference", TrapCode.NullReference),
        ("null function reference", TrapCode.NullReference),
    ];

    /// <summary>Known messages, for tests of the table.</summary>
    public static IEnumerable<string> Messages => Table.Select(entry => entry.Message);

    /// <summary>The code for an expected message, or null when the table does not know it.</summary>
    public static TrapCode? CodeFor(string? message)
    {
        if (message is null) return null;
        foreach (var (known, code) in Table)
        {
            if (message.StartsWith(known, StringComparison.Ordinal)) return code;
        }
        return null;
    }

    /// <summary>Null when <paramref name="trap"/> is the trap <paramref name="expectedMessage"/> names, else why not.</summary>
    public static string? Mismatch(string? expectedMessage, WasmTrapException trap)
    {
        if (CodeFor(expectedMessage) is not TrapCode expected)
            return $"the harness has no trap code for the message \"{expectedMessage}\" (add it to {nameof(SpecTrapMessages)})";
        return trap.Code == expected ? null : $"trapped with {trap.Code}, expected {expected}";
    }
}
