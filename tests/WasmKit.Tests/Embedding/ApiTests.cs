using WasmKit.Tests.Support;

namespace WasmKit.Tests.Embedding;

public class ApiTests
{
    [Test]
    public void SameBytesCompileOnce()
    {
        var engine = new Engine();
        var bytes = Wat.ToWasm("(module (func (export \"f\") (result i32) (i32.const 7)))");
        var first = Module.FromBytes(engine, bytes, "first");
        var second = Module.FromBytes(engine, bytes, "second");
        Assert.That(second.ContentHash, Is.EqualTo(first.ContentHash));
        Assert.That(second.Compiled, Is.SameAs(first.Compiled));
        Assert.That(second.Name, Is.EqualTo("second"));
        var uncached = new Engine(new EngineOptions { CacheModules = false });
        Assert.That(Module.FromBytes(uncached, bytes).Compiled, Is.Not.SameAs(Module.FromBytes(uncached, bytes).Compiled));
    }

    [Test]
    public void ModulesDescribeTheirImportsAndExports()
    {
        var module = Module.FromBytes(new Engine(), Wat.ToWasm("""
            (module
              (import "env" "f" (func (param i32) (result i64)))
              (import "env" "m" (memory 1 2))
              (global (export "g") (mut f32) (f32.const 1))
              (table (export "t") 3 externref))
            """));
        Assert.That(module.Imports, Is.EqualTo(new[]
        {
            new ImportDescriptor("env", "f", ExternalKind.Function, FunctionType.Of([ValueKind.Int32], [ValueKind.Int64])),
            new ImportDescriptor("env", "m", ExternalKind.Memory, new MemoryType(new Limits(1, 2))),
        }));
        Assert.That(module.Exports, Is.EqualTo(new[]
        {
            new ExportDescriptor("g", ExternalKind.Global, new GlobalType(ValueKind.Float32, true)),
            new ExportDescriptor("t", ExternalKind.Table, new TableType(ValueKind.ExternRef, new Limits(3, null))),
        }));
    }

    [Test]
    public void MemoryReadsAndWritesTypedValuesAndStrings()
    {
        var memory = new Memory(new Store(new Engine()), 1, 3);
        memory.Write(8, 0x01020304);
        memory.Write(16, 2.5);
        Assert.That(memory.Read<int>(8), Is.EqualTo(0x01020304));
        Assert.That(memory.GetSpan()[8], Is.EqualTo(4), "little-endian");
        Assert.That(memory.Read<double>(16), Is.EqualTo(2.5));
        int written = memory.WriteString(100, "héllo");
        Assert.That(written, Is.EqualTo(6));
        Assert.That(memory.ReadString(100, written), Is.EqualTo("héllo"));
        Assert.That(memory.ReadNullTerminatedString(100), Is.EqualTo("héllo"));
        Assert.That(() => memory.Read<long>(65532), Throws.TypeOf<ArgumentOutOfRangeException>());
        var before = memory.GetSpan();
        Assert.That(memory.Grow(1), Is.EqualTo(1));
        Assert.That(before.Length, Is.EqualTo(65536), "a span taken before growth keeps the old size");
        Assert.That(memory.GetSpan().Length, Is.EqualTo(131072));
        Assert.That(memory.Read<int>(8), Is.EqualTo(0x01020304), "contents survive growth");
        Assert.That(memory.Grow(5), Is.EqualTo(-1));
    }

    [Test]
    public void GlobalsAndTablesAreUsableFromTheHost()
    {
        var store = new Store(new Engine());
        var global = new Global(store, new GlobalType(ValueKind.Int64, true), 5L);
        global.Value = 7L;
        Assert.That(global.Value, Is.EqualTo(7L));
        Assert.That(() => global.Value = 7, Throws.ArgumentException);
        var constant = new Global(store, new GlobalType(ValueKind.Int32, false), 1);
        Assert.That(() => constant.Value = 2, Throws.InvalidOperationException);
        var table = new Table(store, new TableType(ValueKind.ExternRef, new Limits(1, 4)));
        table.SetElement(0, "host object");
        Assert.That(table.Grow(2, "filler"), Is.EqualTo(1));
        Assert.That(table.GetElement(2), Is.EqualTo("filler"));
        Assert.That(table.Grow(2, null), Is.EqualTo(-1));
        var funcTable = new Table(store, new TableType(ValueKind.FuncRef, new Limits(1, null)));
        Assert.That(() => funcTable.SetElement(0, "not a function"), Throws.ArgumentException);
    }

    [Test]
    public void BadArgumentsNameTheArgument()
    {
        var instance = Wat.Instantiate("(module (func (export \"f\") (param i32)))");
        var error = Assert.Throws<ArgumentException>(() => instance.GetFunction("f")!.Invoke(1L));
        Assert.That(error!.ParamName, Is.EqualTo("arguments"));
        Assert.That(() => Module.FromBytes(null!, new byte[8]), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("engine"));
        Assert.That(() => new Store(new Engine(), new StoreLimits { MaxStackBytes = -1 }), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void AnUnusedModulesCodeIsCollected()
    {
        // Only collectible code is unloaded; tiered code (the default) stays loaded for good.
        var engine = new Engine(new EngineOptions { CodeTiering = CodeTiering.Collectible });
        var code = LoadCallAndForget(engine);
        for (int i = 0; i < 10 && code.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        Assert.That(code.IsAlive, Is.False);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference LoadCallAndForget(Engine engine)
    {
        var module = Module.FromBytes(engine, Wat.ToWasm("(module (func (export \"f\") (result i32) (i32.const 7)))"));
        var instance = new Linker(engine).Instantiate(new Store(engine), module);
        Assert.That(instance.GetFunction<int>("f")!(), Is.EqualTo(7));
        return new WeakReference(module.Compiled.CodeTypes[0]);
    }

    [Test]
    public void AMegabyteModuleLoads()
    {
        // 3,000 functions of straight-line arithmetic: over 1 MB of code.
        var text = new System.Text.StringBuilder("(module\n");
        for (int f = 0; f < 3000; f++)
        {
            text.Append($"(func $f{f} (export \"f{f}\") (param i32) (result i32) (local.get 0)");
            for (int i = 0; i < 60; i++) text.Append($" (i32.const {f * 100 + i}) (i32.add) (i32.const 3) (i32.mul)");
            text.Append(")\n");
        }
        var bytes = Wat.ToWasm(text.Append(')').ToString());
        Assert.That(bytes.Length, Is.GreaterThan(1_000_000));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var module = Module.FromBytes(new Engine(), bytes);
        TestContext.Out.WriteLine($"{bytes.Length:N0} bytes loaded in {clock.ElapsedMilliseconds} ms");
        var instance = new Linker(module.Engine).Instantiate(new Store(module.Engine), module);
        Assert.That(instance.GetFunction<int, int>("f2999")!(0), Is.Not.Zero);
    }
}
