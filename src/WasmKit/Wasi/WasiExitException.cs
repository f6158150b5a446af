namespace WasmKit.Wasi;

/// <summary>
/// Thrown through the guest when it calls <c>proc_exit</c>, to unwind it; it never ends the host
/// process. <see cref="WasiProgram.Run"/> turns it into <see cref="WasiResult.ExitCode"/>; an
/// embedder that calls <c>_start</c> itself after <see cref="WasiLinkerExtensions.DefineWasi(Linker, WasiConfiguration)"/>
/// should catch it.
/// </summary>
public sealed class WasiExitException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="exitCode">The guest's exit code.</param>
    public WasiExitException(int exitCode)
        : base($"The WebAssembly program exited with code {exitCode}.")
    {
        ExitCode = exitCode;
    }

    /// <summary>The exit code the guest passed to <c>proc_exit</c>.</summary>
    public int ExitCode { get; }
}
