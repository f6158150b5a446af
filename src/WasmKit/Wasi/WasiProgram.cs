namespace WasmKit.Wasi;

/// <summary>Runs WASI command modules (programs with <c>_start</c>) and reactors (libraries with <c>_initialize</c>).</summary>
public static class WasiProgram
{
    /// <summary>
    /// Instantiates <paramref name="module"/> with WASI preview 1 and runs it: <c>_start</c> for a
    /// command, or <c>_initialize</c> for a reactor (whose exports can then be called through
    /// <see cref="WasiResult.Instance"/>; files it opens stay open until the process closes them).
    /// A <c>proc_exit</c> ends the run with its code; returning from <c>_start</c> means exit code 0.
    /// </summary>
    /// <param name="engine">The engine the module was compiled with.</param>
    /// <param name="module">The program.</param>
    /// <param name="configuration">What the program may see; its standard streams receive the output.</param>
    /// <param name="store">The store to run in, for fuel, limits or interruption; a new one by default.</param>
    /// <returns>The exit code and the instance.</returns>
    /// <exception cref="WasmLinkException">The module imports something other than WASI preview 1.</exception>
    /// <exception cref="WasmTrapException">The program trapped.</exception>
    /// <exception cref="ArgumentException">The module exports neither <c>_start</c> nor <c>_initialize</c> as a function without parameters and results, or the configuration is invalid.</exception>
    public static WasiResult Run(Engine engine, Module module, WasiConfiguration configuration, Store? store = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(configuration);
        bool ownsStore = store is null;
        store ??= new Store(engine);
        var linker = new Linker(engine);
        var context = linker.DefineWasi(configuration);
        bool isReactor = false;
        Instance? instance = null;
        try
        {
            instance = linker.Instantiate(store, module);
            var entry = instance.GetAction("_start");
            if (entry is null)
            {
                entry = instance.GetAction("_initialize")
                    ?? throw new ArgumentException("The module exports neither _start (a WASI command) nor _initialize (a WASI reactor).", nameof(module));
                isReactor = true;
            }
            entry();
            return new WasiResult(0, instance, configuration);
        }
        catch (WasiExitException exit)
        {
            return new WasiResult(exit.ExitCode, instance, configuration);
        }
        catch when (ownsStore)
        {
            // Nobody else can reach the store after a failure: release its memory now.
            store.Dispose();
            throw;
        }
        finally
        {
            // A reactor's exports keep using its descriptors; a finished command's files are closed.
            if (!isReactor) context.Dispose();
            FlushQuietly(configuration.Stdout);
            FlushQuietly(configuration.Stderr);
        }
    }

    private static void FlushQuietly(Stream stream)
    {
        try
        {
            stream.Flush();
        }
        catch (IOException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
