using WasmKit.Tests.Support;

namespace WasmKit.Tests.Embedding;

public class TypedCallTests
{
    private const string LogModule = """
        (module
          (import "env" "log" (func $log (param i32 i32)))
          (import "env" "scale" (func $scale (param f64) (result f64)))
          (memory (export "memory") 1)
          (data (i32.const 100) "hello, host")
          (func (export "greet") (call $log (i32.const 100) (i32.const 11)))
          (func (export "twice_scaled") (param f64) (result f64) (f64.add (call $scale (local.get 0)) (call $scale (local.get 0)))))
        """;

    [Test]
    public void TypedHostFunctionsSeeTheCallersMemory()
    {
        var engine = new Engine();
        var linker = new Linker(engine);
        var logged = new List<string>();
        linker.DefineFunction("env", "log", (Caller caller, int pointer, int length) => logged.Add(caller.Memory!.ReadString(pointer, length)));
        linker.DefineFunction("env", "scale", (Caller _, double x) => x * 10);
        var instance = Wat.Instantiate(LogModule, linker);
        instance.GetAction("greet")!();
        Assert.That(logged, Is.EqualTo(new[] { "hello, host" }));
        Assert.That(instance.GetFunction<double, double>("twice_scaled")!(1.5), Is.EqualTo(30.0));
    }

    [Test]
    public void EachCallerIsReportedForDirectTableAndNestedCalls()
    {
        // Two instances of one module share one host function; each has its own byte at address 0.
        // The host reads the caller's byte, directly, through a table, and while nested in another call.
        const string module = """
            (module
              (import "env" "peek" (func $peek (result i32)))
              (import "env" "reenter" (func $reenter (result i32)))
              (memory (export "memory") 1)
              (table 1 funcref) (elem (i32.const 0) $peek)
              (type $t (func (result i32)))
              (func (export "direct") (result i32) (call $peek))
              (func (export "indirect") (result i32) (call_indirect (type $t) (i32.const 0)))
              (func (export "nested") (result i32) (i32.add (call $reenter) (call $peek))))
            """;
        var engine = new Engine();
        var linker = new Linker(engine);
        Instance? other = null;
        linker.DefineFunction("env", "peek", (Caller caller) => (int)caller.Memory!.Read<byte>(0));
        linker.DefineFunction("env", "reenter", (Caller caller) =>
        {
            int inner = other!.GetFunction<int>("direct")!();
            return inner * 100 + caller.Memory!.Read<byte>(0);
        });
        var store = new Store(engine);
        var compiled = Module.FromBytes(engine, Wat.ToWasm(module));
        var first = linker.Instantiate(store, compiled);
        other = linker.Instantiate(store, compiled);
        first.GetMemory("memory")!.Write<byte>(0, 1);
        other.GetMemory("memory")!.Write<byte>(0, 2);
        Assert.Multiple(() =>
        {
            Assert.That(first.GetFunction<int>("direct")!(), Is.EqualTo(1));
            Assert.That(other.GetFunction<int>("direct")!(), Is.EqualTo(2));
            Assert.That(first.GetFunction<int>("indirect")!(), Is.EqualTo(1));
            Assert.That(other.GetFunction<int>("indirect")!(), Is.EqualTo(2));
            // reenter: 2 from the other instance, then 1 for its own caller; then peek sees 1 again.
            Assert.That(first.GetFunction<int>("nested")!(), Is.EqualTo(201 + 1));
        });
    }

    [Test]
    public void TypedCallsBothWaysDoNotAllocate()
    {
        var engine = new Engine();
        var linker = new Linker(engine);
        linker.DefineFunction("env", "log", (Caller _, int _, int _) => { });
        linker.DefineFunction("env", "scale", (Caller _, double x) => x * 2);
        var instance = Wat.Instantiate(LogModule, linker);
        var call = instance.GetFunction<double, double>("twice_scaled")!;
        // A whole warm-up round: only the steady state is measured.
        for (int i = 0; i < 1000; i++) call(i);
        long before = GC.GetAllocatedBytesForCurrentThread();
        double sum = 0;
        for (int i = 0; i < 1000; i++) sum += call(i);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(sum, Is.EqualTo(4 * 999 * 1000 / 2.0));
        Assert.That(allocated, Is.Zero);
    }

    [Test]
    public void SeveralResultsComeBackAsValueTuples()
    {
        var instance = Wat.Instantiate("""
            (module (func (export "divmod") (param i32 i32) (result i32 i32)
              (i32.div_u (local.get 0) (local.get 1)) (i32.rem_u (local.get 0) (local.get 1)))
              (func (export "three") (result i64 f32 f64) (i64.const 1) (f32.const 2) (f64.const 3)))
            """);
        Assert.That(instance.GetFunction<int, int, (int, int)>("divmod")!(17, 5), Is.EqualTo((3, 2)));
        Assert.That(instance.GetFunction<(long, float, double)>("three")!(), Is.EqualTo((1L, 2f, 3d)));
        Assert.That(() => instance.GetFunction<int, int, (int, long)>("divmod"), Throws.ArgumentException);
    }

    [Test]
    public void ReferencesCrossAsObjects()
    {
        var engine = new Engine();
        var linker = new Linker(engine);
        linker.DefineFunction("env", "wrap", (Caller _, object? value) => (object?)new[] { value });
        var instance = Wat.Instantiate("""
            (module
              (import "env" "wrap" (func $wrap (param externref) (result externref)))
              (table $t (export "table") 2 externref)
              (func (export "roundtrip") (param externref) (result externref) (call $wrap (local.get 0)))
              (func (export "store") (param externref) (table.set $t (i32.const 1) (local.get 0))))
            """, linker);
        var result = instance.GetFunction<object, object>("roundtrip")!("x");
        Assert.That(result, Is.EqualTo(new object[] { "x" }));
        instance.GetAction<object>("store")!("kept");
        Assert.That(instance.GetTable("table")!.GetElement(1), Is.EqualTo("kept"));
    }

    [Test]
    public void UnsupportedHostTypesAreRejectedAtDefinition()
    {
        var linker = new Linker(new Engine());
        var error = Assert.Throws<ArgumentException>(() => linker.DefineFunction("env", "f", (Caller _, string s) => s.Length));
        Assert.That(error!.ParamName, Is.EqualTo("callback"));
    }
}
