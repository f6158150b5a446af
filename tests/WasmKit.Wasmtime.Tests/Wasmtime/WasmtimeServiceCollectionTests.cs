using Microsoft.Extensions.DependencyInjection;
using WasmKit.Backends;
using WasmKit.Components;
using WasmKit.DependencyInjection;
using WasmKit.Udf;
using WasmKit.Wasmtime;

namespace WasmKit.Tests.Wasmtime;

public class WasmtimeServiceCollectionTests
{
    [Test]
    public void UseWasmtimePutsTheLoaderAndRegistryOnWasmtimeAndTheContainerDisposesIt()
    {
        var services = new ServiceCollection();
        services.AddWasmKit(o => o.UseWasmtime(w => w.UsePoolingAllocator = false));
        WasmtimeBackend backend;
        using (var provider = services.BuildServiceProvider())
        {
            backend = (WasmtimeBackend)provider.GetRequiredService<IWasmBackend>();
            var registry = provider.GetRequiredService<UdfRegistry>();
            Assert.That(registry.Backend, Is.SameAs(backend));
            Assert.That(provider.GetRequiredService<ComponentLoader>().Backend, Is.SameAs(backend));
        }
        Assert.Throws<ObjectDisposedException>(() => backend.Compile([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
    }
}
