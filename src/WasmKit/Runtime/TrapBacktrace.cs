namespace WasmKit.Runtime;

/// <summary>Recovers the WebAssembly frames a trap unwound from its .NET stack trace.</summary>
internal static class TrapBacktrace
{
    /// <summary>Prefix of the .NET method names the compiler gives to WebAssembly functions.</summary>
    public const string MethodPrefix = "wasm:";

    public static IReadOnlyList<string> Capture(Exception exception)
    {
        var trace = new System.Diagnostics.StackTrace(exception, fNeedFileInfo: false);
        var frames = new List<string>();
        foreach (var frame in trace.GetFrames())
        {
            var name = frame.GetMethod()?.Name;
            if (name is not null && name.StartsWith(MethodPrefix, StringComparison.Ordinal))
                frames.Add(name[MethodPrefix.Length..]);
        }
        return frames;
    }
}
