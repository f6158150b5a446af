using WasmKit.Backends;
using WasmKit.Tests.Support;

namespace WasmKit.Tests.Backends;

/// <summary>
/// The seam's own contract, on every backend: compile errors as WasmKit's exceptions, host functions defined
/// once (synchronous, asynchronous, many parameters), export invokers with any number of results, the async
/// call contract with cancellation, guest memory access and reset.
/// </summary>
[TestFixtureSource(typeof(BackendFixtures), nameof(BackendFixtures.All))]
public class BackendSeamTests(BackendFixture fixture)
{
    private const string Guest = """
        (module
          (import "host" "mix" (func $mix (param i32 i64 f32 f64) (result f64)))
          (import "host" "nine" (func $nine (param i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
          (import "host" "slow" (func $slow (param i32) (result i32)))
          (import "host" "poke" (func $poke (param i32)))
          (memory (export "memory") 1)
          (func (export "mix") (param i32 i64 f32 f64) (result f64) (call $mix (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
          (func (export "nine") (result i32) (call $nine (i32.const 1) (i32.const 2) (i32.const 3) (i32.const 4) (i32.const 5) (i32.const 6) (i32.const 7) (i32.const 8) (i32.const 9)))
          (func (export "slow") (param i32) (result i32) (call $slow (local.get 0)))
          (func (export "poke") (param i32) (call $poke (local.get 0)))
          (func (export "peek") (param i32) (result i32) (i32.load8_u (local.get 0)))
          (func (export "pair") (param i32) (result i32 i64) (local.get 0) (i64.extend_i32_s (local.get 0)))
          (func (export "forever") (loop $l (br $l))))
        """;

    private static byte[]? s_guest;

    private static FunctionType Type(ValueKind[] parameters, ValueKind[] results) => new(parameters, results);

    /// <summary>The host functions, each defined once, in the seam's terms.</summary>
    private static BackendImports Imports(List<string> log) => new()
    {
        HostFunctions =
        [
            new HostFunctionDefinition("host", "mix", Type([ValueKind.Int32, ValueKind.Int64, ValueKind.Float32, ValueKind.Float64], [ValueKind.Float64]),
                (context, arguments, results) =>
                {
                    double sum = (int)arguments[0] + (long)arguments[1] + BitConverter.Int32BitsToSingle((int)arguments[2]) + BitConverter.Int64BitsToDouble((long)arguments[3]);
                    results[0] = (ulong)BitConverter.DoubleToInt64Bits(sum);
                }),
            new HostFunctionDefinition("host", "nine", Type(Enumerable.Repeat(ValueKind.Int32, 9).ToArray(), [ValueKind.Int32]),
                (context, arguments, results) =>
                {
                    int total = 0;
                    foreach (ulong argument in arguments) total = total * 10 + (int)argument;
                    results[0] = (uint)total;
                }),
            new HostFunctionDefinition("host", "slow", Type([ValueKind.Int32], [ValueKind.Int32]),
                async (state, arguments, results, cancellationToken) =>
                {
                    await Task.Delay(10, cancellationToken);
                    log.Add($"slow {arguments.Span[0]} for {state}");
                    results.Span[0] = arguments.Span[0] * 2;
                }),
            new HostFunctionDefinition("host", "poke", Type([ValueKind.Int32], []),
                (context, arguments, results) =>
                {
                    int address = (int)arguments[0];
                    context.Memory[address] = 0x5A;
                    context.Written(address, 1);
                    log.Add($"poke {address} for {context.State}");
                }),
        ],
    };

    private (IBackendModule Module, IBackendInstance Instance, List<string> Log) Instantiate()
    {
        var log = new List<string>();
        var module = fixture.CreateBackend().Compile(s_guest ??= Wat.ToWasm(Guest), "seam-guest");
        var instance = module.Instantiate(new BackendInstanceOptions { Imports = Imports(log), CreateHostState = _ => "state" });
        return (module, instance, log);
    }

    [Test]
    public void CompileErrorsAreWasmKitExceptions()
    {
        var backend = fixture.CreateBackend();
        Assert.That(() => backend.Compile([0, 1, 2, 3]), Throws.TypeOf<WasmFormatException>());
        // (module (func (result i32))): well formed, but the body leaves no i32.
        byte[] invalid = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f, 0x03, 0x02, 0x01, 0x00, 0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b];
        Assert.That(() => backend.Compile(invalid), Throws.TypeOf<WasmValidationException>());
    }

    [Test]
    public void TheModuleDescribesItself()
    {
        var (module, instance, _) = Instantiate();
        using (instance)
        {
            Assert.That(module.Name, Is.EqualTo("seam-guest"));
            Assert.That(module.ContentHash, Has.Length.EqualTo(64));
            Assert.That(module.Imports.Select(i => $"{i.ModuleName}.{i.Name}"), Is.EqualTo(new[] { "host.mix", "host.nine", "host.slow", "host.poke" }));
            Assert.That(module.Memories.Single().Limits.Minimum, Is.EqualTo(1));
            Assert.That(module.GetInvoker("pair")!.Type, Is.EqualTo(Type([ValueKind.Int32], [ValueKind.Int32, ValueKind.Int64])));
            Assert.That(module.GetInvoker("memory"), Is.Null, "not a function");
            Assert.That(module.GetInvoker("missing"), Is.Null);
            Assert.That(module.FindUnresolvedImports(Imports([])), Is.Empty);
            Assert.That(module.FindUnresolvedImports(BackendImports.None), Has.Count.EqualTo(4));
        }
    }

    [Test]
    public void HostFunctionsSeeEveryValueKind()
    {
        var (module, instance, _) = Instantiate();
        using (instance)
        {
            ulong result = module.GetInvoker("mix")!.Invoke(instance,
                [unchecked((uint)-3), unchecked((ulong)-40L), (uint)BitConverter.SingleToInt32Bits(0.5f), (ulong)BitConverter.DoubleToInt64Bits(0.25)]);
            Assert.That(BitConverter.Int64BitsToDouble((long)result), Is.EqualTo(-42.25));
        }
    }

    [Test]
    public void HostFunctionsWithManyParametersWork()
    {
        var (module, instance, _) = Instantiate();
        using (instance) Assert.That(module.GetInvoker("nine")!.Invoke(instance, []), Is.EqualTo(123456789UL));
    }

    [Test]
    public void AsyncHostFunctionsCompleteBeforeTheGuestContinues()
    {
        var (module, instance, log) = Instantiate();
        using (instance)
        {
            Assert.That(module.GetInvoker("slow")!.Invoke(instance, [21]), Is.EqualTo(42UL));
            Assert.That(log, Is.EqualTo(new[] { "slow 21 for state" }));
        }
    }

    [Test]
    public void HostWritesToGuestMemoryAreSeenAndUndoneByReset()
    {
        var (module, instance, log) = Instantiate();
        using (instance)
        {
            module.GetInvoker("poke")!.Invoke(instance, [300]);
            Assert.That(log, Is.EqualTo(new[] { "poke 300 for state" }));
            Assert.That(module.GetInvoker("peek")!.Invoke(instance, [300]), Is.EqualTo(0x5AUL));
            Assert.That(instance.ReadMemory(300, 1)[0], Is.EqualTo(0x5A));
            instance.WriteMemory(301, 1)[0] = 7;
            Assert.That(module.GetInvoker("peek")!.Invoke(instance, [301]), Is.EqualTo(7UL));
            Assert.That(instance.Reset(), Is.True);
            Assert.That(module.GetInvoker("peek")!.Invoke(instance, [300]), Is.Zero);
            Assert.That(instance.ReadMemory(301, 1)[0], Is.Zero);
            Assert.That(() => instance.ReadMemory(65536, 1).Length, Throws.TypeOf<ArgumentOutOfRangeException>());
        }
    }

    [Test]
    public void InvokersReturnEveryResult()
    {
        var (module, instance, _) = Instantiate();
        using (instance)
        {
            var pair = module.GetInvoker("pair")!;
            Span<ulong> results = stackalloc ulong[2];
            pair.Invoke(instance, [unchecked((uint)-5)], results);
            Assert.That(((int)results[0], (long)results[1]), Is.EqualTo((-5, -5L)));
            Assert.That(() => pair.Invoke(instance, [1]), Throws.ArgumentException, "two results need the results span");
            Assert.That(() => module.GetInvoker("peek")!.Invoke(instance, []), Throws.ArgumentException, "wrong argument count");
        }
    }

    [Test]
    public void AnInvokerRefusesAnInstanceOfAnotherModule()
    {
        var (module, instance, _) = Instantiate();
        var (_, other, _) = Instantiate();
        using (instance)
        using (other)
            Assert.That(() => module.GetInvoker("peek")!.Invoke(other, [0]), Throws.ArgumentException);
    }

    [Test]
    public async Task TheAsyncCallContractCompletesAndCancellationInterruptsTheGuest()
    {
        var (module, instance, _) = Instantiate();
        using (instance)
        {
            Assert.That(await module.GetInvoker("slow")!.InvokeAsync(instance, new ulong[] { 4 }), Is.EqualTo(8UL));
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
            var forever = module.GetInvoker("forever")!;
            var error = Assert.ThrowsAsync<WasmTrapException>(async () => await Task.Run(() => forever.InvokeAsync(instance, Array.Empty<ulong>(), cancel.Token).AsTask()))!;
            Assert.That(error.Code, Is.EqualTo(TrapCode.Interrupted));
            Assert.That(instance.HasTrapped, Is.True);
            Assert.That(instance.Reset(), Is.False, "a trapped instance is not reused");
        }
    }
}
