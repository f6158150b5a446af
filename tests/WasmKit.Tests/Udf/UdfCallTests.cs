using WasmKit.Backends;
using WasmKit.Tests.Support;
using WasmKit.Udf;
using static WasmKit.Tests.Udf.UdfTestModules;

namespace WasmKit.Tests.Udf;

[TestFixtureSource(typeof(BackendFixtures), nameof(BackendFixtures.All))]
public class UdfCallTests(BackendFixture fixture)
{
    private static readonly System.Text.Json.JsonElement Empty = Document("{}");
    private UdfRegistry _registry = null!;
    private IBackendModule _module = null!;

    [SetUp]
    public void SetUp()
    {
        _registry = fixture.CreateRegistry();
        _module = Load(_registry);
        Register("add", "add", [UdfType.I32], new UdfParameter("a", UdfType.I32), new UdfParameter("b", UdfType.I32, false, 10));
        Register("add64", "add64", [UdfType.I64], new UdfParameter("a", UdfType.I64), new UdfParameter("b", UdfType.I64));
        Register("half", "half", [UdfType.F32], new UdfParameter("x", UdfType.F32));
        Register("not", "not", [UdfType.Bool], new UdfParameter("x", UdfType.Bool, false, false));
        Register("byte_sum", "byte_sum", [UdfType.I32], new UdfParameter("text", UdfType.String));
        Register("concat_len", "concat_len", [UdfType.I32],
            new UdfParameter("a", UdfType.String), new UdfParameter("b", UdfType.String, false, "xyz"), new UdfParameter("extra", UdfType.I32, false, 0));
        Register("echo", "echo", [UdfType.String], new UdfParameter("text", UdfType.String));
        Register("divmod", "divmod", [UdfType.I64, UdfType.I64], new UdfParameter("a", UdfType.I64), new UdfParameter("b", UdfType.I64));
        Register("nothing", "nothing", []);
        Register("price_below", "price_below", [UdfType.Bool], new UdfParameter("limit", UdfType.F64));
        Register("weighted", "weighted", [UdfType.F64], new UdfParameter("weight", UdfType.F64, false, 1.0));
        Register("crash", "crash", [UdfType.I32]);
    }

    [TearDown]
    public void TearDown() => _registry.Dispose();

    private void Register(string name, string export, UdfType[] returns, params UdfParameter[] parameters) =>
        _registry.Register(Metadata(name, export, returns, parameters), _module);

    private static Dictionary<string, object?> Args(params (string Name, object? Value)[] pairs) =>
        pairs.ToDictionary(p => p.Name, p => p.Value);

    [Test]
    public void NumbersRoundTrip()
    {
        Assert.That(_registry.Call("add", null, Empty, Args(("a", 2), ("b", 3))).AsInt32(), Is.EqualTo(5));
        Assert.That(_registry.Call("add", null, Empty, Args(("a", int.MaxValue), ("b", 1))).AsInt32(), Is.EqualTo(int.MinValue));
        Assert.That(_registry.Call("add64", null, Empty, Args(("a", 1L << 40), ("b", -5L))).AsInt64(), Is.EqualTo((1L << 40) - 5));
        Assert.That(_registry.Call("half", null, Empty, Args(("x", 3f))).AsSingle(), Is.EqualTo(1.5f));
        Assert.That(_registry.Call("not", null, Empty, Args(("x", true))).AsBoolean(), Is.False);
        Assert.That(_registry.Call("not", null, Empty, Args(("x", false))).AsBoolean(), Is.True);
    }

    [Test]
    public void DefaultsFillMissingOptionalArguments()
    {
        Assert.That(_registry.Call("add", null, Empty, Args(("a", 2))).AsInt32(), Is.EqualTo(12));
        Assert.That(_registry.Call("add", null, Empty, Args(("a", 2), ("b", null))).AsInt32(), Is.EqualTo(12));
        Assert.That(_registry.Call("not", null, Empty).AsBoolean(), Is.True);
        Assert.That(_registry.Call("concat_len", null, Empty, Args(("a", "ab"))).AsInt32(), Is.EqualTo(5));
    }

    [Test]
    public void LosslessConversionsAreAccepted()
    {
        Assert.That(_registry.Call("add64", null, Empty, Args(("a", 1), ("b", (short)2))).AsInt64(), Is.EqualTo(3));
        Assert.That(_registry.Call("add", null, Empty, Args(("a", 7L))).AsInt32(), Is.EqualTo(17));
        Assert.That(_registry.Call("weighted", null, Document("""{"rating":2}"""), Args(("weight", 3))).AsDouble(), Is.EqualTo(6));
        Assert.That(_registry.Call("half", null, Empty, Args(("x", 0.5))).AsSingle(), Is.EqualTo(0.25f));
    }

    [Test]
    public void MissingRequiredArgument()
    {
        var error = Assert.Throws<UdfArgumentException>(() => _registry.Call("add", null, Empty, Args(("b", 1))))!;
        Assert.That(error.ParamName, Is.EqualTo("a"));
        Assert.That(error.Udf, Is.EqualTo("add@1.0.0"));
        Assert.That(error.Message, Does.Contain("is required (i32) but missing"));
        Assert.Throws<UdfArgumentException>(() => _registry.Call("add", null, Empty));
    }

    [Test]
    public void NullForARequiredArgument()
    {
        var error = Assert.Throws<UdfArgumentException>(() => _registry.Call("add", null, Empty, Args(("a", null))))!;
        Assert.That(error.Message, Does.Contain("null was given"));
    }

    [TestCase("add", "a", "2", "expects i32, not the string \"2\"")]
    [TestCase("add", "a", 2.5, "expects i32, not 2.5 (Double)")]
    [TestCase("add", "a", 3_000_000_000L, "expects i32, not 3000000000 (Int64)")]
    [TestCase("add", "a", true, "expects i32")]
    [TestCase("not", "x", 1, "expects bool, not 1 (Int32)")]
    [TestCase("byte_sum", "text", 5, "expects string, not 5 (Int32)")]
    [TestCase("half", "x", 0.1, "expects f32")]
    public void WrongArgumentType(string udf, string parameter, object value, string problem)
    {
        var error = Assert.Throws<UdfArgumentException>(() => _registry.Call(udf, null, Empty, Args((parameter, value))))!;
        Assert.That(error.ParamName, Is.EqualTo(parameter));
        Assert.That(error.Problem, Does.Contain(problem));
    }

    [Test]
    public void UnknownArgument()
    {
        var error = Assert.Throws<UdfArgumentException>(() => _registry.Call("add", null, Empty, Args(("a", 1), ("c", 2))))!;
        Assert.That(error.ParamName, Is.EqualTo("c"));
        Assert.That(error.Problem, Does.Contain("is not a parameter of this UDF (parameters: a, b)"));
    }

    [Test]
    public void StringArgumentsArriveAsUtf8()
    {
        Assert.That(_registry.Call("byte_sum", null, Empty, Args(("text", "AB"))).AsInt32(), Is.EqualTo(65 + 66));
        Assert.That(_registry.Call("byte_sum", null, Empty, Args(("text", "é"))).AsInt32(), Is.EqualTo(0xC3 + 0xA9));
        Assert.That(_registry.Call("byte_sum", null, Empty, Args(("text", ""))).AsInt32(), Is.EqualTo(0));
        Assert.That(_registry.Call("concat_len", null, Empty, Args(("a", "€"), ("b", "ab"), ("extra", 100))).AsInt32(), Is.EqualTo(105));
    }

    [Test]
    public void StringResultsAreReadFromGuestMemory()
    {
        Assert.That(_registry.Call("echo", null, Empty, Args(("text", "héllo wörld"))).AsString(), Is.EqualTo("héllo wörld"));
        Assert.That(_registry.Call("echo", null, Empty, Args(("text", ""))).AsString(), Is.EqualTo(""));
    }

    [Test]
    public void SeveralResults()
    {
        var results = _registry.CallAll("divmod", null, new UdfDocument(Empty), Args(("a", 17L), ("b", 5L)));
        Assert.That(results.Select(r => r.AsInt64()), Is.EqualTo(new[] { 3L, 2L }));
        Assert.That(_registry.Call("divmod", null, Empty, Args(("a", 17L), ("b", 5L))).AsInt64(), Is.EqualTo(3));
        Assert.That(_registry.CallAll("add", null, new UdfDocument(Empty), Args(("a", 1))).Single().AsInt32(), Is.EqualTo(11));
    }

    [Test]
    public void NoResult()
    {
        Assert.That(_registry.Call("nothing", null, Empty).HasValue, Is.False);
        Assert.That(_registry.CallAll("nothing", null, new UdfDocument(Empty)), Is.Empty);
    }

    [Test]
    public void TheDocumentIsImplicit()
    {
        var cheap = Document("""{"price": 5}""");
        var dear = Document("""{"price": 500}""");
        var args = Args(("limit", 100.0));
        Assert.That(_registry.Call("price_below", null, cheap, args).AsBoolean(), Is.True);
        Assert.That(_registry.Call("price_below", null, dear, args).AsBoolean(), Is.False);
        Assert.That(_registry.Call("price_below", null, Empty, args).AsBoolean(), Is.False);
    }

    [Test]
    public void TrapsBecomeExecutionErrorsAndTheRegistryKeepsWorking()
    {
        var error = Assert.Throws<UdfExecutionException>(() => _registry.Call("crash", null, Empty))!;
        Assert.That(error.Udf, Is.EqualTo("crash@1.0.0"));
        Assert.That(error.DocumentIndex, Is.EqualTo(-1));
        Assert.That(error.TrapCode, Is.EqualTo(TrapCode.Unreachable));
        Assert.That(error.InnerException, Is.InstanceOf<WasmTrapException>());
        Assert.That(_registry.Call("add", null, Empty, Args(("a", 1))).AsInt32(), Is.EqualTo(11));
    }

    [Test]
    public void FuelStopsEndlessLoops()
    {
        using var registry = fixture.CreateRegistry();
        var module = Load(registry);
        registry.Register(Metadata("spin", "spin", [UdfType.I32]), module, new UdfLimits { Fuel = 10_000 });
        var error = Assert.Throws<UdfExecutionException>(() => registry.Call("spin", null, Empty))!;
        Assert.That(error.TrapCode, Is.EqualTo(TrapCode.OutOfFuel));
    }

    [Test]
    public void TimeoutsInterruptEndlessLoops()
    {
        using var registry = fixture.CreateRegistry();
        var module = Load(registry);
        registry.Register(Metadata("spin", "spin", [UdfType.I32]), module, new UdfLimits { Timeout = TimeSpan.FromMilliseconds(20) });
        registry.Register(Metadata("add", "add", [UdfType.I32], new UdfParameter("a", UdfType.I32), new UdfParameter("b", UdfType.I32)), module);
        var error = Assert.Throws<UdfExecutionException>(() => registry.Call("spin", null, Empty))!;
        Assert.That(error.TrapCode, Is.EqualTo(TrapCode.Interrupted));
        // Later calls on the same module are not interrupted by a stale timer.
        for (int i = 0; i < 20; i++)
            Assert.That(registry.Call("add", null, Empty, Args(("a", i), ("b", 1))).AsInt32(), Is.EqualTo(i + 1));
    }

    [Test]
    public void QuickEvaluationsUnderATimeoutAreNeverInterrupted()
    {
        using var registry = fixture.CreateRegistry();
        var module = Load(registry);
        // A timeout far beyond any single call, even on a loaded machine: only a deadline carried over
        // from one evaluation to the next could interrupt these.
        registry.Register(Metadata("add", "add", [UdfType.I32], new UdfParameter("a", UdfType.I32), new UdfParameter("b", UdfType.I32)), module,
            new UdfLimits { Timeout = TimeSpan.FromSeconds(10) });
        for (int calls = 0; calls < 1000; calls++)
            Assert.That(registry.Call("add", null, Empty, Args(("a", calls), ("b", 1))).AsInt32(), Is.EqualTo(calls + 1));
        Assert.That(registry.GetStatistics("add").Errors, Is.Zero);
    }

    [Test]
    public void EachEvaluationGetsItsOwnDeadline()
    {
        using var registry = fixture.CreateRegistry(new UdfRegistryOptions { MaximumInstancesPerModule = 1 });
        var module = Load(registry);
        var limits = new UdfLimits { Timeout = TimeSpan.FromMilliseconds(200) };
        registry.Register(Metadata("spin", "spin", [UdfType.I32]), module, limits);
        registry.Register(Metadata("add", "add", [UdfType.I32], new UdfParameter("a", UdfType.I32), new UdfParameter("b", UdfType.I32)), module, limits);
        // One instance for both: the long call is interrupted, the short one after it starts a deadline of its own.
        var error = Assert.Throws<UdfExecutionException>(() => registry.Call("spin", null, Empty))!;
        Assert.That(error.TrapCode, Is.EqualTo(TrapCode.Interrupted));
        Assert.That(registry.Call("add", null, Empty, Args(("a", 1), ("b", 2))).AsInt32(), Is.EqualTo(3));
        Assert.That(registry.GetStatistics("add").Errors, Is.Zero);
    }

    [Test]
    public void StringArgumentsOfAnyLengthArrive()
    {
        // Short arguments go to the area reserved in each instance, long ones through wasmkit_alloc.
        foreach (int length in new[] { 0, 1, 7, 8, 9, 500, 1017, 1024, 1025, 5000 })
        {
            string a = new('a', length);
            Assert.That(_registry.Call("concat_len", null, Empty, Args(("a", a), ("b", "héllo"))).AsInt32(), Is.EqualTo(length + 6), $"length {length}");
            Assert.That(_registry.Call("byte_sum", null, Empty, Args(("text", a))).AsInt32(), Is.EqualTo(length * 'a'), $"length {length}");
        }
    }

    [Test]
    public void TypedHandles()
    {
        var add = _registry.GetFunction<int>("add", "1.0.0", Args(("a", 5)));
        Assert.That(add.Invoke(Empty), Is.EqualTo(15));
        Assert.That(add.WithArguments(Args(("a", 5), ("b", 5))).Invoke(Empty), Is.EqualTo(10));
        Assert.That(add.ToString(), Is.EqualTo("add@1.0.0"));
        Assert.That(_registry.GetFunction<long>("add", null, Args(("a", 1))).Invoke(Empty), Is.EqualTo(11L));
        Assert.That(_registry.GetFunction<string>("echo", null, Args(("text", "hi"))).Invoke(Empty), Is.EqualTo("hi"));
        Assert.That(_registry.GetFunction<UdfValue>("half", null, Args(("x", 1f))).Invoke(Empty).AsSingle(), Is.EqualTo(0.5f));
        Assert.That(_registry.GetFunction<object>("not", null).Invoke(Empty), Is.EqualTo(true));
        var below = _registry.GetFunction<bool>("price_below", null, Args(("limit", 100.0)));
        Assert.That(below.Invoke(new UdfDocument(Document("""{"price": 1}"""))), Is.True);
        Assert.That(below.Metadata.Name, Is.EqualTo("price_below"));
    }

    [Test]
    public void TypedHandlesReportTrapsAndTimeoutsAndCountThem()
    {
        using var registry = fixture.CreateRegistry();
        var module = Load(registry);
        registry.Register(Metadata("crash", "crash", [UdfType.I32]), module);
        // A later registration of the same module with other limits gets them (a pool of its own).
        registry.Register(Metadata("spin", "spin", [UdfType.I32]), module, new UdfLimits { Timeout = TimeSpan.FromMilliseconds(20) });
        registry.Register(Metadata("add", "add", [UdfType.I32], new UdfParameter("a", UdfType.I32), new UdfParameter("b", UdfType.I32)), module);
        var crash = registry.GetFunction<int>("crash");
        var add = registry.GetFunction<int>("add", null, Args(("a", 2), ("b", 3)));
        var indexed = IndexedDocument.Parse("{}");

        var trap = Assert.Throws<UdfExecutionException>(() => crash.Invoke(indexed))!;
        Assert.That((trap.Udf, trap.DocumentIndex, trap.TrapCode), Is.EqualTo(("crash@1.0.0", -1, (TrapCode?)TrapCode.Unreachable)));
        var timeout = Assert.Throws<UdfExecutionException>(() => registry.GetFunction<int>("spin").Invoke(Empty))!;
        Assert.That(timeout.TrapCode, Is.EqualTo(TrapCode.Interrupted));
        // The failed instances were discarded: later calls run on fresh ones, undisturbed.
        for (int i = 0; i < 20; i++) Assert.That(add.Invoke(indexed), Is.EqualTo(5));

        Assert.That((registry.GetStatistics("crash").Calls, registry.GetStatistics("crash").Errors), Is.EqualTo((1L, 1L)));
        Assert.That((registry.GetStatistics("spin").Calls, registry.GetStatistics("spin").Errors), Is.EqualTo((1L, 1L)));
        Assert.That((registry.GetStatistics("add").Calls, registry.GetStatistics("add").Errors), Is.EqualTo((20L, 0L)));
    }

    [Test]
    public void TypedHandlesCheckTheResultType()
    {
        Assert.Throws<UdfArgumentException>(() => _registry.GetFunction<bool>("add", null, Args(("a", 1))));
        Assert.Throws<UdfArgumentException>(() => _registry.GetFunction<int>("echo", null, Args(("text", ""))));
        Assert.Throws<UdfArgumentException>(() => _registry.GetFunction<long>("divmod", null, Args(("a", 1L), ("b", 1L))));
        Assert.Throws<UdfArgumentException>(() => _registry.GetFunction<int>("add"));
        Assert.Throws<UdfNotFoundException>(() => _registry.GetFunction<int>("missing"));
    }

    [Test]
    public void UdfValues()
    {
        Assert.That(UdfValue.FromObject(3).ToString(), Is.EqualTo("3"));
        Assert.That(UdfValue.FromObject(1.5).ToString(), Is.EqualTo("1.5"));
        Assert.That(UdfValue.FromObject(true).ToString(), Is.EqualTo("true"));
        Assert.That(UdfValue.FromObject("x").AsString(), Is.EqualTo("x"));
        Assert.That(UdfValue.FromInt64(4) == UdfValue.FromInt64(4), Is.True);
        Assert.That(UdfValue.FromInt64(4) == UdfValue.FromInt32(4), Is.False);
        Assert.That(UdfValue.None.ToObject(), Is.Null);
        Assert.Throws<InvalidOperationException>(() => UdfValue.FromInt32(1).AsDouble());
        Assert.Throws<ArgumentException>(() => UdfValue.FromObject(1m));
    }
}
