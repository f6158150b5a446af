namespace WasmKit.Wasi;

/// <summary>Adds WASI preview 1 to a <see cref="Linker"/>.</summary>
public static class WasiLinkerExtensions
{
    /// <summary>
    /// Defines every function of <c>wasi_snapshot_preview1</c> in <paramref name="linker"/> for a new
    /// program state made from <paramref name="configuration"/>. A guest that calls <c>proc_exit</c>
    /// unwinds with <see cref="WasiExitException"/>, which the caller of its export should catch.
    /// </summary>
    /// <param name="linker">The linker.</param>
    /// <param name="configuration">What the guest may see.</param>
    /// <returns>The program state; dispose it after the run to close files the guest left open.</returns>
    /// <exception cref="ArgumentException">The configuration is invalid (see <see cref="WasiContext(WasiConfiguration)"/>), or the linker already defines a WASI function.</exception>
    public static WasiContext DefineWasi(this Linker linker, WasiConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(linker);
        var context = new WasiContext(configuration);
        linker.DefineWasi(context);
        return context;
    }

    /// <summary>Defines every function of <c>wasi_snapshot_preview1</c> in <paramref name="linker"/>, bound to <paramref name="context"/>.</summary>
    /// <param name="linker">The linker.</param>
    /// <param name="context">The program state the functions act on.</param>
    /// <exception cref="ArgumentException">The linker already defines a WASI function and does not allow shadowing.</exception>
    public static void DefineWasi(this Linker linker, WasiContext context)
    {
        ArgumentNullException.ThrowIfNull(linker);
        ArgumentNullException.ThrowIfNull(context);
        WasiContext.DefineIn(linker, context);
    }
}
