namespace WasmKit.SpecTests;

/// <summary>
/// The assert_return check shared by every engine's runner: run the action, then compare each result with the
/// expected value by the engine's value rules (how its results are represented differs, the rules do not).
/// </summary>
internal static class SpecReturnCheck
{
    /// <summary>Null when the action returned the expected values; otherwise what went wrong.</summary>
    /// <param name="command">The assert_return command.</param>
    /// <param name="perform">Runs the command's action on the engine, returning its results.</param>
    /// <param name="mismatch">Compares one expected value with one result: null when they match, else why not.</param>
    /// <param name="describeExpected">Renders an expected value.</param>
    /// <param name="describeActual">Renders a result.</param>
    public static string? Compare(
        WastCommand command,
        Func<WastAction, object?[]> perform,
        Func<WastValue, object?, string?> mismatch,
        Func<WastValue, string> describeExpected,
        Func<object?, string> describeActual)
    {
        var expected = command.Expected ?? [];
        string Expected() => "[" + string.Join(", ", expected.Select(describeExpected)) + "]";
        string Actual(object?[] values) => "[" + string.Join(", ", values.Select(describeActual)) + "]";
        object?[] actual;
        try
        {
            actual = perform(command.Action!);
        }
        catch (UnavailableTargetException e)
        {
            return $"expected {Expected()}; {e.Message}";
        }
        catch (Exception e) when (e is not UnsupportedCommandException)
        {
            return $"expected {Expected()}, threw {SpecScriptRunner.Describe(e)}";
        }
        if (actual.Length != expected.Count)
            return $"expected {Expected()}, got {Actual(actual)} (different result count)";
        for (int i = 0; i < expected.Count; i++)
        {
            if (mismatch(expected[i], actual[i]) is string why)
                return $"expected {Expected()}, got {Actual(actual)} (result {i}: {why})";
        }
        return null;
    }
}
