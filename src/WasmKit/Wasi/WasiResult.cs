namespace WasmKit.Wasi;

/// <summary>How a WASI program run by <see cref="WasiProgram.Run"/> ended.</summary>
public sealed class WasiResult
{
    internal WasiResult(int exitCode, Instance? instance, WasiConfiguration configuration)
    {
        ExitCode = exitCode;
        Instance = instance;
        Configuration = configuration;
    }

    /// <summary>The code passed to <c>proc_exit</c>, or 0 when <c>_start</c> returned.</summary>
    public int ExitCode { get; }

    /// <summary>The instance, for reading its memory or calling a reactor's exports; <see langword="null"/> if the program exited while being instantiated.</summary>
    public Instance? Instance { get; }

    /// <summary>The configuration the program ran with.</summary>
    public WasiConfiguration Configuration { get; }

    /// <summary>What the program wrote to stdout, as UTF-8 text, if it went to a <see cref="MemoryStream"/> (the default); otherwise <see langword="null"/>.</summary>
    public string? Stdout => TextOf(Configuration.Stdout);

    /// <summary>What the program wrote to stderr, as UTF-8 text, if it went to a <see cref="MemoryStream"/> (the default); otherwise <see langword="null"/>.</summary>
    public string? Stderr => TextOf(Configuration.Stderr);

    private static string? TextOf(Stream stream) => stream switch
    {
        MemoryStream memory when memory.TryGetBuffer(out var bytes) => System.Text.Encoding.UTF8.GetString(bytes),
        MemoryStream memory => System.Text.Encoding.UTF8.GetString(memory.ToArray()),
        _ => null,
    };
}
