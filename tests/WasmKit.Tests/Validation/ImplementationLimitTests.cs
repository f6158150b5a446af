using static WasmKit.Tests.BinaryFormat.WasmBytes;

namespace WasmKit.Tests.Validation;

/// <summary>
/// Valid modules beyond WasmKit's <see cref="ImplementationLimits"/> are refused when the <see cref="Module"/>
/// is created, with an exception naming the limit, instead of blowing up the JIT at the first call.
/// </summary>
public class ImplementationLimitTests
{
    private const byte I32 = 0x7F;
    private const byte I32Const = 0x41;
    private const byte Drop = 0x1A;
    private const byte Block = 0x02;
    private const byte End = 0x0B;
    private const byte EmptyBlockType = 0x40;

    private static WasmImplementationLimitException AssertRefused(byte[] bytes, string limit)
    {
        var refused = Assert.Throws<WasmImplementationLimitException>(() => Module.FromBytes(new Engine(), bytes));
        Assert.That(refused!.Limit, Is.EqualTo(limit));
        Assert.That(refused.Message, Does.Contain(limit));
        return refused;
    }

    /// <summary>A module of one <c>(func)</c> (type 0 of <paramref name="types"/>) with the given local groups and code.</summary>
    private static byte[] OneFunction(byte[] locals, byte[] code, params byte[][] types) =>
        Module(types.Length == 0 ? VoidTypeSection : Section(1, Vector(types)), FunctionSection(1), Section(10, Vector(Body(locals, code))));

    private static byte[] Repeat(int count, params byte[] item) => Enumerable.Repeat(item, count).SelectMany(b => b).ToArray();

    [Test]
    public void TooManyFunctionsAreRefused()
    {
        int count = ImplementationLimits.MaxFunctions + 1;
        var bytes = Module(VoidTypeSection, Section(3, [.. U32(count), .. new byte[count]]));
        var refused = AssertRefused(bytes, nameof(ImplementationLimits.MaxFunctions));
        Assert.That(refused.Value, Is.EqualTo(count));
        Assert.That(refused.Maximum, Is.EqualTo(ImplementationLimits.MaxFunctions));
    }

    [Test]
    public void AFunctionBodyOverTheSizeLimitIsRefused()
    {
        var code = Repeat(ImplementationLimits.MaxFunctionBodySize, 0x01); // nop
        var refused = AssertRefused(OneFunction([0x00], [.. code, End]), nameof(ImplementationLimits.MaxFunctionBodySize));
        Assert.That(refused.Location, Does.Contain("function 0"));
    }

    [Test]
    public void TooManyDeclaredLocalsAreRefused()
    {
        var refused = AssertRefused(OneFunction([0x01, .. U32(ImplementationLimits.MaxLocals + 1), I32], [End]), nameof(ImplementationLimits.MaxLocals));
        Assert.That(refused.Value, Is.EqualTo(ImplementationLimits.MaxLocals + 1));
    }

    [Test]
    public void ParametersCountTowardsTheLocalsLimit()
    {
        byte[] twoParameters = [0x60, 0x02, I32, I32, 0x00];
        AssertRefused(OneFunction([0x01, .. U32(ImplementationLimits.MaxLocals - 1), I32], [End], twoParameters), nameof(ImplementationLimits.MaxLocals));
    }

    [Test]
    public void AnOperandStackOverTheLimitIsRefused()
    {
        int height = ImplementationLimits.MaxOperandStackHeight + 1;
        var code = Concat(Repeat(height, I32Const, 0x00), Repeat(height, Drop), [End]);
        var refused = AssertRefused(OneFunction([0x00], code), nameof(ImplementationLimits.MaxOperandStackHeight));
        Assert.That(refused.Location, Does.Contain("function 0"));
    }

    [Test]
    public void ABlockTypeWithTooManyValuesIsRefused()
    {
        int count = ImplementationLimits.MaxValuesPerLabel + 1;
        byte[] manyResults = [0x60, 0x00, .. U32(count), .. Repeat(count, I32)];
        // (func (block (type 1) unreachable) unreachable)
        var bytes = Module(Section(1, Vector([0x60, 0x00, 0x00], manyResults)), FunctionSection(1),
            Section(10, Vector(Body([0x00], Block, 0x01, 0x00, End, 0x00, End))));
        AssertRefused(bytes, nameof(ImplementationLimits.MaxValuesPerLabel));
    }

    [Test]
    public void AFunctionWithTooManyResultsIsRefused()
    {
        int count = ImplementationLimits.MaxValuesPerLabel + 1;
        byte[] manyResults = [0x60, 0x00, .. U32(count), .. Repeat(count, I32)];
        AssertRefused(OneFunction([0x00], [0x00, End], manyResults), nameof(ImplementationLimits.MaxValuesPerLabel));
    }

    [Test]
    public void ManyValuesKeptAcrossManyLabelsAreRefused()
    {
        // 4,000 values stay on the stack across a run of empty blocks: each block start and end carries them all.
        const int height = 4_000;
        var code = Concat(Repeat(height, I32Const, 0x00), Repeat(8, Block, EmptyBlockType, End), Repeat(height, Drop), [End]);
        AssertRefused(OneFunction([0x00], code), nameof(ImplementationLimits.MaxValuesAcrossLabels));
    }

    /// <summary>The issue's JIT bomb: 60,000 operand-stack values across 4 labels (26 s of JIT at the first call before).</summary>
    [Test]
    public void TheIssuesDeepStackModuleIsRefused()
    {
        const int perLabel = 15_000;
        var open = Concat([Block, EmptyBlockType], Repeat(perLabel, I32Const, 0x00));
        var close = Concat(Repeat(perLabel, Drop), [End]);
        var code = Concat(Repeat(4, open), Repeat(4, close), [End]);
        var refused = Assert.Throws<WasmImplementationLimitException>(() => Module.FromBytes(new Engine(), OneFunction([0x00], code)));
        Assert.That(refused!.Limit, Is.AnyOf(nameof(ImplementationLimits.MaxOperandStackHeight), nameof(ImplementationLimits.MaxValuesAcrossLabels)));
    }

    [Test]
    public void AFunctionAtTheStackAndLocalLimitsRuns()
    {
        // The operand stack at its limit and the most locals: still compiled and run by the JIT.
        int height = ImplementationLimits.MaxOperandStackHeight;
        byte[] resultType = [0x60, 0x00, 0x01, I32];
        var code = Concat(Repeat(height, I32Const, 0x01), Repeat(height - 1, 0x6A), [End]); // i32.add
        var bytes = Module(Section(1, Vector(resultType)), FunctionSection(1), Section(7, Vector([.. Name("sum"), 0x00, 0x00])),
            Section(10, Vector(Body([0x01, .. U32(ImplementationLimits.MaxLocals), I32], code))));
        var engine = new Engine();
        var instance = new Linker(engine).Instantiate(new Store(engine), Module.FromBytes(engine, bytes));
        Assert.That(instance.GetFunction<int>("sum")!(), Is.EqualTo(height));
    }

    [Test]
    public void AHundredThousandFunctionModuleLoadsAndCallsItsLastFunction()
    {
        const int count = 100_000;
        byte[] resultType = [0x60, 0x00, 0x01, I32];
        // Function 0 calls the last one (in another generated type); every other function i returns i.
        var bodies = new byte[count][];
        bodies[0] = Body([0x00], [0x10, .. U32(count - 1), End]);
        for (int i = 1; i < count; i++) bodies[i] = Body([0x00], [I32Const, .. S32(i), End]);
        var bytes = Module(Section(1, Vector(resultType)), FunctionSection(count),
            Section(7, Vector([.. Name("last"), 0x00, .. U32(count - 1)], [.. Name("first"), 0x00, 0x00])),
            Section(10, Vector(bodies)));

        var engine = new Engine();
        var instance = new Linker(engine).Instantiate(new Store(engine), Module.FromBytes(engine, bytes));
        Assert.That(instance.GetFunction<int>("last")!(), Is.EqualTo(count - 1));
        Assert.That(instance.GetFunction<int>("first")!(), Is.EqualTo(count - 1));
        Assert.That(instance.GetFunction("last")!.Invoke(), Is.EqualTo(count - 1));
    }

    /// <summary>Signed LEB128.</summary>
    private static byte[] S32(int value)
    {
        var bytes = new List<byte>();
        while (true)
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            bool done = (value == 0 && (b & 0x40) == 0) || (value == -1 && (b & 0x40) != 0);
            bytes.Add(done ? b : (byte)(b | 0x80));
            if (done) return [.. bytes];
        }
    }
}
