using WasmKit.Wasi;

namespace WasmKit.Tests.Wasi;

public class WasiClockRandomPollTests
{
    [Test]
    public void MonotonicClockNeverGoesBackAndAdvances()
    {
        using var wasi = new WasiHarness();
        Assert.That(wasi.Call("clock_time_get", 1, 1L, 100), Is.Zero);
        long first = wasi.ReadInt64(100);
        long previous = first;
        for (int i = 0; i < 1000 && previous == first; i++)
        {
            Thread.Sleep(1);
            Assert.That(wasi.Call("clock_time_get", 1, 1L, 100), Is.Zero);
            Assert.That(wasi.ReadInt64(100), Is.GreaterThanOrEqualTo(previous));
            previous = wasi.ReadInt64(100);
        }
        Assert.That(previous, Is.GreaterThan(first));
    }

    [Test]
    public void RealtimeIsNanosecondsSince1970()
    {
        using var wasi = new WasiHarness();
        Assert.That(wasi.Call("clock_time_get", 0, 1000L, 100), Is.Zero);
        var time = DateTime.UnixEpoch.AddTicks(wasi.ReadInt64(100) / 100);
        Assert.That(time.Year, Is.InRange(2024, 2200));
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void EveryClockHasATimeAndAResolution(int clock)
    {
        using var wasi = new WasiHarness();
        Assert.That(wasi.Call("clock_time_get", clock, 0L, 100), Is.Zero);
        Assert.That(wasi.ReadInt64(100), Is.GreaterThanOrEqualTo(0));
        Assert.That(wasi.Call("clock_res_get", clock, 100), Is.Zero);
        Assert.That(wasi.ReadInt64(100), Is.InRange(1, 1_000_000_000));
    }

    [Test]
    public void UnknownClocksAndBadPointersAreErrors()
    {
        using var wasi = new WasiHarness();
        Assert.That(wasi.Call("clock_time_get", 4, 0L, 100), Is.EqualTo(Errno.Invalid));
        Assert.That(wasi.Call("clock_res_get", -1, 100), Is.EqualTo(Errno.Invalid));
        Assert.That(wasi.Call("clock_time_get", 1, 0L, (int)wasi.Memory.Length - 7), Is.EqualTo(Errno.Fault));
    }

    [Test]
    public void RandomGetFillsTheBuffer()
    {
        using var wasi = new WasiHarness();
        Assert.That(wasi.Call("random_get", 1000, 256), Is.Zero);
        var first = wasi.Memory.GetSpan(1000, 256).ToArray();
        Assert.That(first.Count(b => b != 0), Is.GreaterThan(200));
        Assert.That(wasi.Call("random_get", 1000, 256), Is.Zero);
        Assert.That(wasi.Memory.GetSpan(1000, 256).ToArray(), Is.Not.EqualTo(first));
        Assert.That(wasi.Call("random_get", 1000, 0), Is.Zero);
        Assert.That(wasi.Call("random_get", (int)wasi.Memory.Length - 10, 11), Is.EqualTo(Errno.Fault));
    }

    [Test]
    public void PollOneoffSleepsForAClockSubscription()
    {
        using var wasi = new WasiHarness();
        WriteClockSubscription(wasi, 1000, userdata: 0x1234, clock: 1, timeout: 2_000_000);
        Assert.That(wasi.Call("clock_time_get", 1, 1L, 100), Is.Zero);
        long before = wasi.ReadInt64(100);
        Assert.That(wasi.Call("poll_oneoff", 1000, 2000, 1, 3000), Is.Zero);
        Assert.That(wasi.Call("clock_time_get", 1, 1L, 100), Is.Zero);
        Assert.That(wasi.ReadInt64(100) - before, Is.GreaterThanOrEqualTo(2_000_000));
        Assert.That(wasi.ReadInt32(3000), Is.EqualTo(1));
        Assert.That(wasi.ReadInt64(2000), Is.EqualTo(0x1234), "userdata");
        Assert.That(wasi.Memory.Read<ushort>(2008), Is.Zero, "error");
        Assert.That(wasi.ReadByte(2010), Is.EqualTo(0), "type clock");
    }

    [Test]
    public void PollOneoffReportsDescriptorsReadyAtOnce()
    {
        using var wasi = new WasiHarness(new WasiConfiguration().WithStdin("abc"));
        WriteClockSubscription(wasi, 1000, userdata: 1, clock: 1, timeout: 60_000_000_000);
        wasi.Memory.Write(1048, 2L); // userdata
        wasi.Memory.Write<byte>(1056, 1); // fd_read
        wasi.Memory.Write(1064, 0); // stdin
        wasi.Memory.Write(1096, 3L);
        wasi.Memory.Write<byte>(1104, 2); // fd_write
        wasi.Memory.Write(1112, 1); // stdout
        Assert.That(wasi.Call("poll_oneoff", 1000, 2000, 3, 3000), Is.Zero);
        Assert.That(wasi.ReadInt32(3000), Is.EqualTo(2), "the minute-long timeout has not fired");
        Assert.That((wasi.ReadInt64(2000), wasi.ReadByte(2010), wasi.ReadInt64(2016)), Is.EqualTo((2L, (byte)1, 3L)), "stdin: 3 bytes ready");
        Assert.That((wasi.ReadInt64(2032), wasi.ReadByte(2042)), Is.EqualTo((3L, (byte)2)));
    }

    [Test]
    public void PollOneoffRejectsBadInput()
    {
        using var wasi = new WasiHarness();
        Assert.That(wasi.Call("poll_oneoff", 1000, 2000, 0, 3000), Is.EqualTo(Errno.Invalid));
        wasi.Memory.Write<byte>(1008, 9);
        Assert.That(wasi.Call("poll_oneoff", 1000, 2000, 1, 3000), Is.EqualTo(Errno.Invalid));
        Assert.That(wasi.Call("poll_oneoff", (int)wasi.Memory.Length - 40, 2000, 1, 3000), Is.EqualTo(Errno.Fault));
        WriteClockSubscription(wasi, 1000, userdata: 7, clock: 99, timeout: 0);
        Assert.That(wasi.Call("poll_oneoff", 1000, 2000, 1, 3000), Is.Zero);
        Assert.That(wasi.Memory.Read<ushort>(2008), Is.EqualTo(Errno.Invalid), "an unknown clock is the event's error");
    }

    private static void WriteClockSubscription(WasiHarness wasi, int address, long userdata, int clock, long timeout)
    {
        wasi.Memory.GetSpan(address, 48).Clear();
        wasi.Memory.Write(address, userdata);
        wasi.Memory.Write<byte>(address + 8, 0);
        wasi.Memory.Write(address + 16, clock);
        wasi.Memory.Write(address + 24, timeout);
        wasi.Memory.Write(address + 32, 1000L);
    }
}
