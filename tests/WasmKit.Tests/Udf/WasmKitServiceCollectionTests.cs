using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WasmKit.Backends;
using WasmKit.Backends.Managed;
using WasmKit.Components;
using WasmKit.DependencyInjection;
using WasmKit.Tests.Components;
using WasmKit.Udf;

namespace WasmKit.Tests.Udf;

public class WasmKitServiceCollectionTests
{
    [Test]
    public void ContainerBuildsAndResolvesSingletons()
    {
        var services = new ServiceCollection().AddWasmKit(options =>
        {
            options.MaximumInstancesPerModule = 3;
            options.ConsumeFuel = false;
        });
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        var engine = provider.GetRequiredService<Engine>();
        var loader = provider.GetRequiredService<ComponentLoader>();
        var registry = provider.GetRequiredService<UdfRegistry>();
        Assert.That(engine.Options.ResettableInstances, Is.True);
        Assert.That(engine.Options.ConsumeFuel, Is.False);
        Assert.That(engine.Options.Interruptible, Is.True);
        Assert.That(loader.Engine, Is.SameAs(engine));
        Assert.That(registry.Engine, Is.SameAs(engine));
        Assert.That(provider.GetRequiredService<UdfRegistry>(), Is.SameAs(registry));
        Assert.That(provider.GetRequiredService<WasmKitOptions>().MaximumInstancesPerModule, Is.EqualTo(3));
    }

    [Test]
    public void TheOptionsBackendRunsTheLoaderAndTheRegistry()
    {
        // What a provider's o.UseWasmtime() does: set the backend; the loader and the registry then run on it.
        var backend = ManagedBackend.Create();
        var services = new ServiceCollection().AddWasmKit(options =>
        {
            options.Backend = backend;
            options.ComponentDirectories.Add(UdfFixtures.Directory);
        });
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        Assert.That(provider.GetRequiredService<IWasmBackend>(), Is.SameAs(backend));
        Assert.That(provider.GetRequiredService<ComponentLoader>().Backend, Is.SameAs(backend));
        var registry = provider.GetRequiredService<UdfRegistry>();
        Assert.That(registry.Backend, Is.SameAs(backend));
        var document = JsonDocument.Parse("""{"price": 10}""").RootElement;
        Assert.That(registry.Call("path_compare", null, document, new Dictionary<string, object?> { ["path"] = "price", ["op"] = "<", ["value"] = 20 }).AsBoolean(), Is.True);
    }

    [Test]
    public void WithoutABackendTheEnginesManagedBackendRunsEverything()
    {
        using var provider = new ServiceCollection().AddWasmKit().BuildServiceProvider();
        var engine = provider.GetRequiredService<Engine>();
        Assert.That(provider.GetRequiredService<IWasmBackend>(), Is.SameAs(ManagedBackend.For(engine)));
        Assert.That(provider.GetRequiredService<UdfRegistry>().Backend, Is.SameAs(ManagedBackend.For(engine)));
    }

    [Test]
    public void AddingTwiceKeepsTheFirstRegistration()
    {
        var services = new ServiceCollection().AddWasmKit(o => o.ConsumeFuel = false).AddWasmKit();
        Assert.That(services.Count(s => s.ServiceType == typeof(UdfRegistry)), Is.EqualTo(1));
        using var provider = services.BuildServiceProvider();
        Assert.That(provider.GetRequiredService<Engine>().Options.ConsumeFuel, Is.False);
    }

    [Test]
    public void ComponentDirectoriesAreRegisteredAtStartup()
    {
        var services = new ServiceCollection().AddWasmKit(options => options.ComponentDirectories.Add(UdfFixtures.Directory));
        using var provider = services.BuildServiceProvider();
        var registry = provider.GetRequiredService<UdfRegistry>();
        Assert.That(registry.List().Select(m => m.Name), Is.SupersetOf(new[] { "custom_score", "path_compare", "string_distance" }));
        var document = JsonDocument.Parse("""{"price": 10}""").RootElement;
        Assert.That(registry.Call("path_compare", null, document, new Dictionary<string, object?> { ["path"] = "price", ["op"] = "<", ["value"] = 20 }).AsBoolean(), Is.True);
    }

    [Test]
    public void TheRegistryUsesTheContainersMeterFactory()
    {
        var factory = new RecordingMeterFactory();
        var services = new ServiceCollection().AddSingleton<IMeterFactory>(factory).AddWasmKit();
        using (var provider = services.BuildServiceProvider())
        {
            provider.GetRequiredService<UdfRegistry>();
            Assert.That(factory.Created.Select(m => m.Name), Is.EqualTo(new[] { UdfRegistry.MeterName }));
        }
    }

    [Test]
    public void DisposingTheContainerClosesTheRegistry()
    {
        var provider = new ServiceCollection().AddWasmKit().BuildServiceProvider();
        var registry = provider.GetRequiredService<UdfRegistry>();
        var module = UdfTestModules.Load(registry);
        provider.Dispose();
        Assert.Throws<ObjectDisposedException>(() =>
            registry.Register(UdfTestModules.Metadata("add", "add", [UdfType.I32], new UdfParameter("a", UdfType.I32), new UdfParameter("b", UdfType.I32)), module));
    }

    private sealed class RecordingMeterFactory : IMeterFactory
    {
        public List<Meter> Created { get; } = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options);
            Created.Add(meter);
            return meter;
        }

        public void Dispose()
        {
            foreach (var meter in Created) meter.Dispose();
        }
    }
}
