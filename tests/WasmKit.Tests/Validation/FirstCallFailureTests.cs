using System.Security.Cryptography;
using WasmKit.BinaryFormat;
using WasmKit.Compilation;
using static WasmKit.Tests.BinaryFormat.WasmBytes;

namespace WasmKit.Tests.Validation;

/// <summary>
/// The last line of defence behind <see cref="ImplementationLimits"/>: if the .NET runtime still refuses
/// generated code at its first call, the caller gets a <see cref="WasmImplementationLimitException"/>,
/// never a CLR exception type.
/// </summary>
public class FirstCallFailureTests
{
    /// <summary>
    /// A function whose operand stack is deeper than the IL evaluation stack's 65,535 entries: it compiles to
    /// IL but the JIT refuses it. Validation refuses it too, so the test compiles it past the validator and
    /// plants it in the engine's module cache, where <see cref="Module.FromBytes"/> finds it.
    /// </summary>
    private static Module LoadUnvalidatedDeepStackModule(Engine engine)
    {
        const int height = 70_000;
        byte[] resultType = [0x60, 0x00, 0x01, 0x7F];
        var pushes = Enumerable.Repeat(new byte[] { 0x41, 0x01 }, height).SelectMany(b => b);
        var adds = Enumerable.Repeat((byte)0x6A, height - 1);
        byte[] code = [.. pushes, .. adds, 0x0B];
        var bytes = Module(Section(1, Vector(resultType)), FunctionSection(1), Section(7, Vector([.. Name("deep"), 0x00, 0x00])),
            Section(10, Vector(Body([0x00], code))));

        var definition = ModuleDecoder.Decode(bytes);
        var compiled = ModuleCompiler.Compile(engine, definition, "deep");
        engine.RememberCompiled(Convert.ToHexStringLower(SHA256.HashData(bytes)), new CompiledArtifacts(definition, compiled));
        return Module.FromBytes(engine, bytes);
    }

    [Test]
    public void RefusedCodeAtTheFirstTypedCallIsAnImplementationLimit()
    {
        var engine = new Engine();
        var instance = new Linker(engine).Instantiate(new Store(engine), LoadUnvalidatedDeepStackModule(engine));

        var refused = Assert.Throws<WasmImplementationLimitException>(() => instance.GetFunction<int>("deep")!());
        Assert.That(refused!.Limit, Is.EqualTo(WasmImplementationLimitException.GeneratedCodeLimit));
        Assert.That(refused.InnerException, Is.InstanceOf<InvalidProgramException>());
        Assert.That(instance.HasTrapped, Is.True);
    }

    [Test]
    public void RefusedCodeAtTheFirstBoxedCallIsAnImplementationLimit()
    {
        var engine = new Engine();
        var instance = new Linker(engine).Instantiate(new Store(engine), LoadUnvalidatedDeepStackModule(engine));

        var refused = Assert.Throws<WasmImplementationLimitException>(() => instance.GetFunction("deep")!.Invoke());
        Assert.That(refused!.InnerException, Is.InstanceOf<InvalidProgramException>());
        Assert.That(instance.HasTrapped, Is.True);
    }
}
