using System.ComponentModel;
using System.Diagnostics;

namespace WasmKit.SpecTests;

/// <summary>Turns a .wast script into wast2json's command list plus one .wasm per module, cached per script.</summary>
internal static class WastConverter
{
    public const string ToolName = "wast2json";

    public const string MissingToolMessage =
        "wast2json (from wabt) was not found on PATH. Run scripts/install-tools.sh (or `apt-get install wabt`) and try again.";

    /// <summary>Returns the path of X.json, converting only when the cached copy is missing or older than the script.</summary>
    public static string Convert(string wastPath)
    {
        string name = Path.GetFileNameWithoutExtension(wastPath);
        string outputDirectory = Path.Combine(SpecSuiteLocator.CacheDirectory, name);
        string jsonPath = Path.Combine(outputDirectory, name + ".json");
        if (File.Exists(jsonPath) && File.GetLastWriteTimeUtc(jsonPath) > File.GetLastWriteTimeUtc(wastPath))
            return jsonPath;

        // Convert into a fresh folder and swap it in, so an interrupted run never leaves a half-written cache.
        string staging = outputDirectory + ".tmp-" + Guid.NewGuid().ToString("N");
        Directory.CreateDirectory(staging);
        try
        {
            RunWast2Json(wastPath, Path.Combine(staging, name + ".json"));
            if (Directory.Exists(outputDirectory)) Directory.Delete(outputDirectory, recursive: true);
            try
            {
                Directory.Move(staging, outputDirectory);
            }
            catch (IOException) when (File.Exists(jsonPath))
            {
                // The WasmKit and Wasmtime runs may convert the same script at once; the other one's copy is as good.
            }
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
        return jsonPath;
    }

    private static void RunWast2Json(string wastPath, string jsonPath)
    {
        var start = new ProcessStartInfo(ToolName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--enable-all");
        start.ArgumentList.Add(wastPath);
        start.ArgumentList.Add("-o");
        start.ArgumentList.Add(jsonPath);

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException(MissingToolMessage);
        }
        catch (Win32Exception)
        {
            throw new InvalidOperationException(MissingToolMessage);
        }
        using (process)
        {
            // Read both streams concurrently so a chatty stderr cannot block the child.
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            // wast2json prints diagnostics for some valid 2.0 modules under --enable-all but still succeeds; only the exit code matters.
            if (process.ExitCode != 0 || !File.Exists(jsonPath))
                throw new InvalidOperationException($"wast2json failed on {wastPath} (exit code {process.ExitCode}): {stderr.Result}{stdout.Result}");
        }
    }
}
