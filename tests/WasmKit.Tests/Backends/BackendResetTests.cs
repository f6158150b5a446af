using WasmKit.Backends;
using WasmKit.Tests.Support;

namespace WasmKit.Tests.Backends;

/// <summary>
/// A reset never lets a guest see state from before it, on every backend and whichever way the backend
/// resets (Wasmtime in place, or by re-instantiation for what it cannot restore in place): memory written by
/// stores, bulk memory instructions, the host and host functions; mutable globals; a grown memory; tables;
/// dropped segments; and a captured state.
/// </summary>
[TestFixtureSource(typeof(BackendFixtures), nameof(BackendFixtures.All))]
public class BackendResetTests(BackendFixture fixture)
{
    // Data "hello" at 100; a global of each number type; stores of every width, bulk memory and growth.
    private const string Guest = """
        (module
          (import "host" "poke" (func $poke (param i32 i32)))
          (memory (export "memory") 1 4)
          (global $counter (mut i32) (i32.const 7))
          (global $wide (mut i64) (i64.const -1))
          (global $real (mut f64) (f64.const 2.5))
          (global $fixed i32 (i32.const 3))
          (data (i32.const 100) "hello")
          (data $passive "passive")
          (func (export "bump") (result i32)
            (global.set $counter (i32.add (global.get $counter) (i32.const 1)))
            (global.set $wide (i64.add (global.get $wide) (i64.const 1)))
            (global.set $real (f64.mul (global.get $real) (f64.const 2)))
            (global.get $counter))
          (func (export "counter") (result i32) (global.get $counter))
          (func (export "wide") (result i64) (global.get $wide))
          (func (export "real") (result f64) (global.get $real))
          (func (export "stores") (param $at i32)
            (i32.store8 (local.get $at) (i32.const 1))
            (i32.store16 offset=2 (local.get $at) (i32.const 0x0202))
            (i32.store offset=4 (local.get $at) (i32.const 0x03030303))
            (i64.store offset=8 (local.get $at) (i64.const 0x0404040404040404))
            (f32.store offset=16 (local.get $at) (f32.const 1))
            (f64.store offset=20 (local.get $at) (f64.const 1))
            (i64.store8 offset=28 (local.get $at) (i64.const 5))
            (i64.store16 offset=29 (local.get $at) (i64.const 0x0505))
            (i64.store32 offset=31 (local.get $at) (i64.const 0x05050505)))
          (func (export "fill") (param $at i32) (param $length i32) (memory.fill (local.get $at) (i32.const 0xEE) (local.get $length)))
          (func (export "copy") (param $to i32) (param $from i32) (param $length i32) (memory.copy (local.get $to) (local.get $from) (local.get $length)))
          (func (export "init") (param $at i32) (memory.init $passive (local.get $at) (i32.const 0) (i32.const 7)))
          (func (export "poke") (param $at i32) (param $value i32) (call $poke (local.get $at) (local.get $value)))
          (func (export "grow") (result i32) (memory.grow (i32.const 1)))
          (func (export "byte") (param $at i32) (result i32) (i32.load8_u (local.get $at)))
          (func (export "sum") (param $at i32) (param $length i32) (result i64)
            (local $total i64)
            (block $done
              (loop $next
                (br_if $done (i32.eqz (local.get $length)))
                (local.set $total (i64.add (local.get $total) (i64.load8_u (local.get $at))))
                (local.set $at (i32.add (local.get $at) (i32.const 1)))
                (local.set $length (i32.sub (local.get $length) (i32.const 1)))
                (br $next)))
            (local.get $total))
          (func (export "fixed") (result i32) (global.get $fixed)))
        """;

    // A table the guest mutates, and a passive segment it drops.
    private const string TableGuest = """
        (module
          (type $number (func (result i32)))
          (table $table 2 funcref)
          (memory 1)
          (func $one (type $number) (i32.const 1))
          (func $two (type $number) (i32.const 2))
          (elem (table $table) (i32.const 0) func $one)
          (data $passive "x")
          (elem declare func $two)
          (func (export "swap") (table.set $table (i32.const 0) (ref.func $two)))
          (func (export "call") (result i32) (call_indirect $table (type $number) (i32.const 0)))
          (func (export "drop") (data.drop $passive))
          (func (export "init") (memory.init $passive (i32.const 0) (i32.const 0) (i32.const 1))))
        """;

    private static byte[]? s_guest;
    private static byte[]? s_tableGuest;

    private static readonly BackendImports Imports = new()
    {
        HostFunctions =
        [
            new HostFunctionDefinition("host", "poke", new FunctionType([ValueKind.Int32, ValueKind.Int32], []),
                (context, arguments, results) =>
                {
                    int address = (int)arguments[0];
                    context.Memory[address] = (byte)arguments[1];
                    context.Written(address, 1);
                }),
        ],
    };

    private (IBackendModule Module, IBackendInstance Instance) Instantiate()
    {
        var module = fixture.CreateBackend().Compile(s_guest ??= Wat.ToWasm(Guest), "reset-guest");
        return (module, module.Instantiate(new BackendInstanceOptions { Imports = Imports }));
    }

    private static ulong Call(IBackendModule module, IBackendInstance instance, string export, params ulong[] arguments) =>
        module.GetInvoker(export)!.Invoke(instance, arguments);

    private static void AssertFresh(IBackendModule module, IBackendInstance instance)
    {
        Assert.Multiple(() =>
        {
            Assert.That(Call(module, instance, "counter"), Is.EqualTo(7UL));
            Assert.That((long)Call(module, instance, "wide"), Is.EqualTo(-1L));
            Assert.That(BitConverter.Int64BitsToDouble((long)Call(module, instance, "real")), Is.EqualTo(2.5));
            Assert.That(instance.MemoryLength, Is.EqualTo(65536));
            Assert.That(instance.ReadMemory(100, 5).ToArray(), Is.EqualTo("hello"u8.ToArray()));
            Assert.That(Call(module, instance, "sum", 0, 100), Is.Zero, "below the data");
            Assert.That(Call(module, instance, "sum", 105, 65536 - 105), Is.Zero, "above the data");
        });
    }

    [Test]
    public void GlobalsAndStoresOfEveryWidthAreUndone()
    {
        var (module, instance) = Instantiate();
        using (instance)
        {
            for (int round = 0; round < 3; round++)
            {
                AssertFresh(module, instance);
                Assert.That(Call(module, instance, "bump"), Is.EqualTo(8UL));
                Call(module, instance, "stores", 98);
                Call(module, instance, "stores", 65536 - 35);
                Assert.That(Call(module, instance, "byte", 65535), Is.EqualTo(5UL));
                Assert.That(instance.Reset(), Is.True);
            }
        }
    }

    [Test]
    public void BulkMemoryWritesAreUndone()
    {
        var (module, instance) = Instantiate();
        using (instance)
        {
            Call(module, instance, "fill", 40000, 5000);
            Call(module, instance, "copy", 60000, 100, 5);
            Call(module, instance, "init", 20);
            Assert.That(instance.ReadMemory(20, 7).ToArray(), Is.EqualTo("passive"u8.ToArray()));
            Assert.That(instance.Reset(), Is.True);
            AssertFresh(module, instance);
            Call(module, instance, "init", 30);
            Assert.That(instance.ReadMemory(30, 7).ToArray(), Is.EqualTo("passive"u8.ToArray()), "the passive segment survives resets");
        }
    }

    [Test]
    public void HostWritesAreUndone()
    {
        var (module, instance) = Instantiate();
        using (instance)
        {
            "written by the host"u8.CopyTo(instance.WriteMemory(50000, 19));
            Call(module, instance, "poke", 7, 9);
            Call(module, instance, "poke", 65535, 9);
            Assert.That(Call(module, instance, "byte", 7), Is.EqualTo(9UL));
            Assert.That(instance.Reset(), Is.True);
            AssertFresh(module, instance);
        }
    }

    [Test]
    public void AGrownMemoryIsFreshAfterReset()
    {
        var (module, instance) = Instantiate();
        using (instance)
        {
            Assert.That(Call(module, instance, "grow"), Is.EqualTo(1UL));
            Call(module, instance, "stores", 65536 + 100);
            Call(module, instance, "bump");
            Assert.That(instance.Reset(), Is.True);
            AssertFresh(module, instance);
            Assert.That(Call(module, instance, "grow"), Is.EqualTo(1UL), "the memory starts at one page again");
            Assert.That(Call(module, instance, "sum", 65536, 65536), Is.Zero);
        }
    }

    [Test]
    public void ACapturedStateIsWhatResetsReturnTo()
    {
        var (module, instance) = Instantiate();
        using (instance)
        {
            Call(module, instance, "bump");
            "kept"u8.CopyTo(instance.WriteMemory(2000, 4));
            if (!instance.CaptureResetState())
            {
                Assert.That(instance.Reset(), Is.True);
                AssertFresh(module, instance);
                return;
            }
            Call(module, instance, "bump");
            Call(module, instance, "stores", 1990);
            Assert.That(instance.Reset(), Is.True);
            Assert.That(Call(module, instance, "counter"), Is.EqualTo(8UL));
            Assert.That(instance.ReadMemory(2000, 4).ToArray(), Is.EqualTo("kept"u8.ToArray()));
            Assert.That(Call(module, instance, "sum", 1990, 10), Is.Zero);

            // After growth the captured state cannot come back by re-instantiating: the reset may fail, never return elsewhere.
            Call(module, instance, "grow");
            Call(module, instance, "bump");
            if (instance.Reset())
            {
                Assert.That(Call(module, instance, "counter"), Is.EqualTo(8UL));
                Assert.That(instance.ReadMemory(2000, 4).ToArray(), Is.EqualTo("kept"u8.ToArray()));
            }
        }
    }

    [Test]
    public void TableChangesAndDroppedSegmentsAreUndone()
    {
        var module = fixture.CreateBackend().Compile(s_tableGuest ??= Wat.ToWasm(TableGuest), "reset-table-guest");
        using var instance = module.Instantiate(new BackendInstanceOptions());
        Call(module, instance, "swap");
        Call(module, instance, "drop");
        Assert.That(Call(module, instance, "call"), Is.EqualTo(2UL));
        Assert.That(() => Call(module, instance, "init"), Throws.InstanceOf<WasmTrapException>());
        Assert.That(instance.Reset(), Is.False, "a trapped instance is not reset");

        using var second = module.Instantiate(new BackendInstanceOptions());
        Call(module, second, "swap");
        Call(module, second, "drop");
        Assert.That(second.Reset(), Is.True);
        Assert.That(Call(module, second, "call"), Is.EqualTo(1UL));
        Assert.That(() => Call(module, second, "init"), Throws.Nothing, "the segment is back");
    }

    [Test]
    public void ImmutableGlobalsAndFreshInstancesAreUnaffected()
    {
        var (module, instance) = Instantiate();
        using (instance)
        {
            Call(module, instance, "bump");
            using var other = module.Instantiate(new BackendInstanceOptions { Imports = Imports });
            AssertFresh(module, other);
            Assert.That(Call(module, instance, "fixed"), Is.EqualTo(3UL));
        }
    }
}
