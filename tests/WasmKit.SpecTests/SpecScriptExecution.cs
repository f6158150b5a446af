namespace WasmKit.SpecTests;

/// <summary>
/// Converts and runs one script on its own thread under a watchdog, so a hanging engine fails that
/// script instead of stalling the whole run. Every outcome, including harness errors, ends up in a ScriptResult.
/// </summary>
internal static class SpecScriptExecution
{
    public const string TimeoutVariable = "WASMKIT_SPECTEST_TIMEOUT_SECONDS";
    public const string VerboseVariable = "WASMKIT_SPECTEST_VERBOSE";

    private const int DefaultTimeoutSeconds = 300;

    /// <summary>Runs a script through WasmKit, on an engine with <paramref name="options"/> (the defaults if null).</summary>
    public static ScriptResult Run(string wastPath, EngineOptions? options = null) =>
        Run(wastPath, (directory, result, log) => new SpecScriptRunner(directory, result, log, options));

    /// <summary>Runs a script through the engine <paramref name="createRunner"/> wraps (WasmKit or Wasmtime).</summary>
    public static ScriptResult Run(string wastPath, Func<string, ScriptResult, TextWriter?, ISpecScriptRunner> createRunner)
    {
        string file = Path.GetFileName(wastPath);
        var result = new ScriptResult(file);
        WastScript? script = null;
        ISpecScriptRunner? runner = null;
        Exception? crash = null;
        TextWriter? log = Environment.GetEnvironmentVariable(VerboseVariable) is "1" or "true" ? TestContext.Progress : null;

        var worker = new Thread(() =>
        {
            try
            {
                string jsonPath = WastConverter.Convert(wastPath);
                script = WastScript.Load(jsonPath);
                using var scriptRunner = createRunner(Path.GetDirectoryName(jsonPath)!, result, log);
                runner = scriptRunner;
                scriptRunner.Run(script);
            }
            catch (Exception e)
            {
                crash = e;
            }
        })
        {
            IsBackground = true,
            Name = "spectest " + file,
        };
        worker.Start();

        var timeout = TimeSpan.FromSeconds(TimeoutSeconds());
        if (!worker.Join(timeout))
        {
            // The thread is abandoned (it is a background thread); report every assertion as failed.
            var timedOut = new ScriptResult(file)
            {
                HarnessError = $"timed out after {timeout.TotalSeconds:0} s at .wast line {runner?.CurrentLine ?? 0} " +
                    $"(raise {TimeoutVariable} if the machine is just slow)",
            };
            for (int i = script is null ? 0 : SpecScriptRunner.CountAssertions(script); i > 0; i--) timedOut.Fail(0, "not run: timed out");
            return timedOut;
        }
        if (crash is not null)
        {
            result.HarnessError = crash is InvalidOperationException && crash.Message == WastConverter.MissingToolMessage
                ? crash.Message
                : $"the harness crashed at .wast line {runner?.CurrentLine ?? 0}: {crash}";
        }
        return result;
    }

    private static int TimeoutSeconds() =>
        int.TryParse(Environment.GetEnvironmentVariable(TimeoutVariable), out int seconds) && seconds > 0 ? seconds : DefaultTimeoutSeconds;
}
