using WasmKit.DependencyInjection;

namespace WasmKit.Wasmtime;

/// <summary>Selects the Wasmtime backend in <c>services.AddWasmKit(o =&gt; o.UseWasmtime())</c>.</summary>
public static class WasmtimeServiceCollectionExtensions
{
    /// <summary>
    /// Makes the container's component loader and UDF registry run on a new <see cref="WasmtimeBackend"/>
    /// (disposed with the container). <see cref="WasmKitOptions.ConsumeFuel"/> and <see cref="WasmKitOptions.Interruptible"/>
    /// carry over; <see cref="WasmKitOptions.ConfigureLinker"/> (managed engine only) must stay unset.
    /// </summary>
    /// <param name="options">The WasmKit options being configured.</param>
    /// <param name="configure">Adjusts the Wasmtime engine's configuration, or <see langword="null"/> for the defaults.</param>
    /// <returns>The same options.</returns>
    public static WasmKitOptions UseWasmtime(this WasmKitOptions options, Action<WasmtimeBackendOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var backendOptions = new WasmtimeBackendOptions
        {
            ConsumeFuel = options.ConsumeFuel,
            Interruptible = options.Interruptible,
        };
        configure?.Invoke(backendOptions);
        options.Backend = new WasmtimeBackend(backendOptions);
        return options;
    }
}
