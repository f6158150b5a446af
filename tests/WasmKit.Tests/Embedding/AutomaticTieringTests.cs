using WasmKit.Tests.Support;

namespace WasmKit.Tests.Embedding;

/// <summary>
/// <see cref="CodeTiering.Automatic"/>, the default: tiered code for small modules, collectible code for modules
/// above <see cref="EngineOptions.AutomaticTieringMaxCodeBytes"/>, with the same results either way.
/// </summary>
public sealed class AutomaticTieringTests
{
    private const string Module = """
        (module
          (func (export "mix") (param i32) (result i32) (i32.add (i32.mul (local.get 0) (i32.const 31)) (i32.const 7))))
        """;

    [Test]
    public void AutomaticIsTheDefault()
    {
        Assert.That(new EngineOptions().CodeTiering, Is.EqualTo(CodeTiering.Automatic));
        Assert.That(new EngineOptions().AutomaticTieringMaxCodeBytes, Is.EqualTo(16 * 1024));
    }

    [Test]
    public void SmallModulesAreTiered()
    {
        var module = WasmKit.Module.FromBytes(new Engine(), Wat.ToWasm(Module));
        Assert.That(module.Compiled.IsCollectible, Is.False);
    }

    [Test]
    public void ModulesAboveTheLimitAreCollectibleAndRunTheSame()
    {
        var engine = new Engine(new EngineOptions { AutomaticTieringMaxCodeBytes = 4 });
        var module = WasmKit.Module.FromBytes(engine, Wat.ToWasm(Module));
        Assert.That(module.Compiled.IsCollectible, Is.True);

        using var store = new Store(engine);
        var mix = new Linker(engine).Instantiate(store, module).GetFunction<int, int>("mix")!;
        Assert.That(mix(5), Is.EqualTo(5 * 31 + 7));
    }

    [Test]
    public void AModuleExactlyAtTheLimitIsTiered()
    {
        var bytes = Wat.ToWasm(Module);
        var probe = WasmKit.Module.FromBytes(new Engine(new EngineOptions { CacheModules = false }), bytes);
        long codeBytes = probe.Definition.Bodies.Sum(body => (long)(body.CodeEnd - body.CodeStart));
        var module = WasmKit.Module.FromBytes(new Engine(new EngineOptions { AutomaticTieringMaxCodeBytes = codeBytes }), bytes);
        Assert.That(module.Compiled.IsCollectible, Is.False);
    }

    [Test]
    public void OptionsRejectValuesOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new EngineOptions { CodeTiering = (CodeTiering)42 });
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new EngineOptions { AutomaticTieringMaxCodeBytes = -1 });
    }
}
