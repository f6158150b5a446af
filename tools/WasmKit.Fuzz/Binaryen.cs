using System.Diagnostics;

namespace WasmKit.Fuzz;

/// <summary>Runs binaryen's wasm-opt (translate-to-fuzz, its interpreter, --denan) and wabt's validator.</summary>
public sealed class Binaryen(string wasmOpt = "wasm-opt")
{
    /// <summary>
    /// WebAssembly 2.0 without SIMD and reference types. --mvp-features first turns everything
    /// off, so SIMD, GC, exceptions, tail calls, threads, memory64, multi-memory etc. never appear.
    /// </summary>
    private static readonly string[] BaseFeatures =
    [
        "--mvp-features",
        "--enable-sign-ext",
        "--enable-mutable-globals",
        "--enable-nontrapping-float-to-int",
        "--enable-bulk-memory",
        "--enable-multivalue",
    ];

    /// <summary>The wasm-opt feature flags for a module with or without reference types.</summary>
    public static string[] Features(bool referenceTypes) =>
        referenceTypes ? [.. BaseFeatures, "--enable-reference-types"] : BaseFeatures;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>Whether wasm-opt and wasm-validate can be started.</summary>
    public bool IsAvailable()
    {
        try
        {
            return Run(["--version"]).ExitCode == 0 && Run("wasm-validate", ["--version"]).ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    /// <summary>Turns random bytes into a valid module: <c>wasm-opt INPUT -ttf -o OUTPUT</c>.</summary>
    public ProcessOutcome TranslateToFuzz(string inputPath, string outputPath, bool referenceTypes) =>
        Run([inputPath, "-ttf", .. Features(referenceTypes), "-o", outputPath]);

    /// <summary>Runs every export in binaryen's interpreter: <c>wasm-opt MODULE --fuzz-exec-before -q</c>.</summary>
    /// <remarks>Reading with every supported feature on is fine for modules that use fewer.</remarks>
    public ProcessOutcome FuzzExec(string modulePath) =>
        Run([modulePath, .. Features(referenceTypes: true), "--fuzz-exec-before", "-q"]);

    /// <summary>
    /// Checks a module with wabt's validator (SIMD off). binaryen 108 often writes invalid modules
    /// when reference types are on (typed function references, funcref where externref is due).
    /// </summary>
    public ProcessOutcome Validate(string modulePath) => Run("wasm-validate", ["--disable-simd", modulePath]);

    private ProcessOutcome Run(IEnumerable<string> arguments) => Run(wasmOpt, arguments);

    private static ProcessOutcome Run(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return new ProcessOutcome(-1, stdout.Result, stderr.Result + $"\n{program} timed out after {Timeout.TotalSeconds} s", TimedOut: true);
        }
        return new ProcessOutcome(process.ExitCode, stdout.Result, stderr.Result, TimedOut: false);
    }
}

/// <summary>How a wasm-opt run ended.</summary>
/// <param name="ExitCode">The exit code (-1 when it timed out).</param>
/// <param name="Stdout">What it printed.</param>
/// <param name="Stderr">Its diagnostics.</param>
/// <param name="TimedOut">Whether it was killed for taking too long.</param>
public sealed record ProcessOutcome(int ExitCode, string Stdout, string Stderr, bool TimedOut);
