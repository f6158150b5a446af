namespace WasmKit.Runtime;

/// <summary>Recovers the WebAssembly frames a trap unwound from its .NET stack trace.</summary>
internal static class TrapBacktrace
{
    /// <summary>Prefix of the .NET method names the compiler gives to WebAssembly functions.</summary>
    private const string MethodPrefix = "wasm[";

    /// <summary>The .NET method name of a WebAssembly function: unique by index, readable by name.</summary>
    public static string MethodName(int functionIndex, string displayName) => $"{MethodPrefix}{functionIndex}] {displayName}";

    public static IReadOnlyList<string> Capture(Exception exception)
    {
        var trace = new System.Diagnostics.StackTrace(exception, fNeedFileInfo: false);
        var frames = new List<string>();
        foreach (var frame in trace.GetFrames())
        {
            var name = frame.GetMethod()?.Name;
            if (name is null || !name.StartsWith(MethodPrefix, StringComparison.Ordinal)) continue;
            int close = name.IndexOf("] ", StringComparison.Ordinal);
            frames.Add(close < 0 ? name : name[(close + 2)..]);
        }
        return frames;
    }
}
