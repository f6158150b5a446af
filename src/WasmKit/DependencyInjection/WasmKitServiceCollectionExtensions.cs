using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WasmKit.Backends;
using WasmKit.Backends.Managed;
using WasmKit.Components;
using WasmKit.Udf;

namespace WasmKit.DependencyInjection;

/// <summary>Registers WasmKit's engine, component loader and UDF registry in a service collection.</summary>
public static class WasmKitServiceCollectionExtensions
{
    /// <summary>
    /// Adds singletons: <see cref="WasmKitOptions"/>, an <see cref="Engine"/> with resettable instances (and fuel and
    /// interruption as configured), the <see cref="IWasmBackend"/> (<see cref="WasmKitOptions.Backend"/>, else the managed
    /// backend of that engine), and a <see cref="ComponentLoader"/> and a <see cref="UdfRegistry"/> on that backend.
    /// The registry uses the container's <see cref="IMeterFactory"/> when there is one. Calling it twice adds nothing new.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Adjusts the settings, or <see langword="null"/> for the defaults.</param>
    /// <returns>The same service collection.</returns>
    public static IServiceCollection AddWasmKit(this IServiceCollection services, Action<WasmKitOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new WasmKitOptions();
        configure?.Invoke(options);
        services.TryAddSingleton(options);
        services.TryAddSingleton(provider =>
        {
            var settings = provider.GetRequiredService<WasmKitOptions>();
            return new Engine(new EngineOptions
            {
                ResettableInstances = true,
                ConsumeFuel = settings.ConsumeFuel,
                Interruptible = settings.Interruptible,
                CacheModules = settings.CacheModules,
            });
        });
        services.TryAddSingleton(provider =>
            provider.GetRequiredService<WasmKitOptions>().Backend ?? ManagedBackend.For(provider.GetRequiredService<Engine>()));
        services.TryAddSingleton(provider => new ComponentLoader(provider.GetRequiredService<IWasmBackend>()));
        services.TryAddSingleton(CreateRegistry);
        return services;
    }

    private static UdfRegistry CreateRegistry(IServiceProvider provider)
    {
        var settings = provider.GetRequiredService<WasmKitOptions>();
        var registry = new UdfRegistry(
            new UdfRegistryOptions
            {
                Backend = provider.GetRequiredService<IWasmBackend>(),
                MaximumInstancesPerModule = settings.MaximumInstancesPerModule,
                DefaultLimits = settings.DefaultLimits,
                HostFunctions = [.. settings.HostFunctions],
                ConfigureLinker = settings.ConfigureLinker,
            },
            provider.GetService<IMeterFactory>());
        try
        {
            var loader = provider.GetRequiredService<ComponentLoader>();
            foreach (string directory in settings.ComponentDirectories)
            {
                foreach (var component in loader.LoadDirectory(directory))
                    registry.Register(component);
            }
        }
        catch
        {
            registry.Dispose();
            throw;
        }
        return registry;
    }
}
