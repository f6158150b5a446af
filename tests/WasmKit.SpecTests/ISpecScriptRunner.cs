namespace WasmKit.SpecTests;

/// <summary>Interprets one converted script against one engine, counting into a <see cref="ScriptResult"/>.</summary>
internal interface ISpecScriptRunner : IDisposable
{
    /// <summary>The .wast line of the command being run; read by the watchdog when a script hangs.</summary>
    int CurrentLine { get; }

    /// <summary>Runs every command of the script in order.</summary>
    void Run(WastScript script);
}
