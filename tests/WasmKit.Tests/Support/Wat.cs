using System.Diagnostics;

namespace WasmKit.Tests.Support;

/// <summary>Turns WebAssembly text into binary with wabt's wat2wasm, which the test command installs.</summary>
internal static class Wat
{
    public static byte[] ToWasm(string text)
    {
        var directory = Directory.CreateTempSubdirectory("wasmkit-wat-");
        try
        {
            var input = Path.Combine(directory.FullName, "module.wat");
            var output = Path.Combine(directory.FullName, "module.wasm");
            File.WriteAllText(input, text);
            var start = new ProcessStartInfo("wat2wasm", ["--debug-names", input, "-o", output])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            };
            Process process;
            try
            {
                process = Process.Start(start)!;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                Assert.Fail("wat2wasm is missing: run scripts/install-tools.sh (it installs Debian's wabt).");
                throw;
            }
            string errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0) Assert.Fail($"wat2wasm failed:\n{errors}");
            return File.ReadAllBytes(output);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>Compiles and instantiates a module with no imports.</summary>
    public static Instance Instantiate(string text, Linker? linker = null, Store? store = null)
    {
        var engine = linker?.Engine ?? store?.Engine ?? new Engine();
        store ??= new Store(engine);
        linker ??= new Linker(engine);
        return linker.Instantiate(store, Module.FromBytes(engine, ToWasm(text)));
    }
}
