using WasmKit.Tests.Support;

namespace WasmKit.Tests.Execution;

/// <summary>A guest that recurses forever must trap before the .NET stack overflows, which would end the process.</summary>
public class RecursionTests
{
    private const string Module = """
        (module
          (func $forever (export "forever") (param i32) (result i32)
            (i32.add (call $forever (i32.add (local.get 0) (i32.const 1))) (i32.const 1)))
          (func $heavy (export "heavy") (param i64) (result i64)
            (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
            (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
            (local.set 5 (local.get 0))
            (i64.add (call $heavy (local.get 5)) (local.get 7))))
        """;

    [TestCase("forever")]
    [TestCase("heavy")]
    public void TrapsOnTheTestThread(string export)
    {
        var function = Wat.Instantiate(Module).GetFunction(export)!;
        object argument = export == "heavy" ? (object)1L : 1;
        var exception = Assert.Throws<WasmTrapException>(() => function.Invoke(argument));
        Assert.That(exception!.Code, Is.EqualTo(TrapCode.CallStackExhausted));
    }

    [TestCase(256 * 1024)]
    [TestCase(1024 * 1024)]
    public void TrapsOnASmallStackThread(int stackSize)
    {
        var forever = Wat.Instantiate(Module).GetFunction<int, int>("forever")!;
        Exception? caught = null;
        var thread = new Thread(() =>
        {
            try
            {
                forever(0);
            }
            catch (Exception e)
            {
                caught = e;
            }
        }, stackSize);
        thread.Start();
        thread.Join();
        Assert.That(caught, Is.TypeOf<WasmTrapException>());
        Assert.That(((WasmTrapException)caught!).Code, Is.EqualTo(TrapCode.CallStackExhausted));
    }

    [Test]
    public void TrapsWhenEnteredDeepInTheHostStack()
    {
        var forever = Wat.Instantiate(Module).GetFunction<int, int>("forever")!;
        Exception? caught = null;
        var thread = new Thread(() => caught = RecurseInHost(forever, 1500), 512 * 1024);
        thread.Start();
        thread.Join();
        Assert.That(caught, Is.TypeOf<WasmTrapException>());
    }

    private static Exception? RecurseInHost(Func<int, int> guest, int depth)
    {
        Span<byte> padding = stackalloc byte[128];
        padding[0] = (byte)depth;
        if (depth > 0) return RecurseInHost(guest, depth - 1 + (padding[0] & 0));
        try
        {
            guest(0);
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    [Test]
    public void InstanceStillWorksAfterExhaustion()
    {
        var instance = Wat.Instantiate(Module + "");
        var forever = instance.GetFunction<int, int>("forever")!;
        Assert.Throws<WasmTrapException>(() => forever(0));
        Assert.Throws<WasmTrapException>(() => forever(0));
    }
}
