using System.Diagnostics;
using System.Net.Sockets;
using WasmKit.Wasi;

namespace WasmKit.Tests.Wasi;

/// <summary>Issue 10, fault 11: neither a special file nor a clock can block a WASI call beyond the host's limits.</summary>
public class WasiBlockingTests
{
    private const int Data = 3;
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(10);

    /// <summary>Runs <paramref name="action"/> on another thread and fails the test if it has not ended within the hang guard.</summary>
    private static T WithinHangGuard<T>(Func<T> action, Action? unblock = null)
    {
        var task = Task.Factory.StartNew(action, TaskCreationOptions.LongRunning);
        if (!task.Wait(HangGuard))
        {
            unblock?.Invoke();
            Assert.Fail("the call blocked");
        }
        return task.Result;
    }

    /// <summary>Writes a relative clock subscription (clock 1, monotonic) with <paramref name="timeout"/> nanoseconds at address 100.</summary>
    private static void PutClockSubscription(WasiHarness wasi, long timeout)
    {
        wasi.Memory.GetSpan(100, 48).Clear();
        wasi.Memory.Write(100, 42L);       // userdata
        wasi.Memory.Write<byte>(108, 0);   // clock
        wasi.Memory.Write(116, 1);         // monotonic
        wasi.Memory.Write(124, timeout);
    }

    private static int Poll(WasiHarness wasi) => wasi.Call("poll_oneoff", 100, 300, 1, 400);

    [Test]
    public void OpeningAFifoIsRefusedInsteadOfBlocking()
    {
        string data = Directory.CreateTempSubdirectory("wasmkit-fifo-").FullName;
        try
        {
            string fifo = Path.Combine(data, "pipe");
            using (var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [fifo]) { UseShellExecute = false })!)
            {
                mkfifo.WaitForExit();
                Assert.That(mkfifo.ExitCode, Is.Zero);
            }
            string socketPath = Path.Combine(data, "socket");
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.Bind(new UnixDomainSocketEndPoint(socketPath));

            using var wasi = new WasiHarness(new WasiConfiguration().WithPreopenedDirectory(data, "/data"));
            int errno = WithinHangGuard(() => wasi.Open(Data, "pipe").Errno, unblock: () =>
            {
                using var writer = new FileStream(fifo, FileMode.Open, FileAccess.Write);
            });
            Assert.That(errno, Is.EqualTo(Errno.NotSupported));
            Assert.That(WithinHangGuard(() => wasi.Open(Data, "pipe", 0, WasiHarness.WriteRights).Errno), Is.EqualTo(Errno.NotSupported));
            Assert.That(WithinHangGuard(() => wasi.Open(Data, "socket").Errno), Is.EqualTo(Errno.NotSupported));
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Test]
    public void AnInfiniteClockEndsOnAnInterrupt()
    {
        using var wasi = new WasiHarness(engineOptions: new EngineOptions { Interruptible = true });
        PutClockSubscription(wasi, -1L);
        var task = Task.Factory.StartNew(() => Poll(wasi), TaskCreationOptions.LongRunning);
        // Give the call a moment to start sleeping; whenever the interrupt lands, the call must trap.
        task.Wait(TimeSpan.FromMilliseconds(200));
        Assert.That(task.IsCompleted, Is.False, "an infinite timeout does not return at once");
        wasi.Store.Interrupt();
        Assert.That(() => task.Wait(HangGuard), Throws.InstanceOf<AggregateException>()
            .With.InnerException.TypeOf<WasmTrapException>().And.InnerException.Property(nameof(WasmTrapException.Code)).EqualTo(TrapCode.Interrupted));
    }

    [Test]
    public void ALongSleepEndsWhenTheFuelRunsOut()
    {
        using var wasi = new WasiHarness(engineOptions: new EngineOptions { ConsumeFuel = true });
        PutClockSubscription(wasi, TimeSpan.FromHours(1).Ticks * 100);
        wasi.Store.Fuel = 100;
        var trap = WithinHangGuard(() =>
        {
            try
            {
                Poll(wasi);
                return null;
            }
            catch (WasmTrapException e)
            {
                return e;
            }
        });
        Assert.That(trap?.Code, Is.EqualTo(TrapCode.OutOfFuel), "a millisecond waited costs a unit");
    }

    [Test]
    public void WithoutFuelOrInterruptsAWaitEndsAtTheCapWithEagain()
    {
        var configuration = new WasiConfiguration();
        Assert.That(configuration.MaxPollWait, Is.EqualTo(TimeSpan.FromMinutes(1)), "the default");
        configuration.MaxPollWait = TimeSpan.FromMilliseconds(50);
        using var wasi = new WasiHarness(configuration);
        PutClockSubscription(wasi, -1L);
        wasi.Memory.Write(400, -1);
        Assert.That(WithinHangGuard(() => Poll(wasi)), Is.EqualTo(Errno.Again));
        Assert.That(wasi.ReadInt32(400), Is.Zero, "no event");

        // A wait within the cap still fires normally.
        PutClockSubscription(wasi, 1_000_000);
        Assert.That(Poll(wasi), Is.Zero);
        Assert.That(wasi.ReadInt32(400), Is.EqualTo(1));
        Assert.That(wasi.ReadInt64(300), Is.EqualTo(42));
        Assert.That(() => configuration.MaxPollWait = TimeSpan.Zero, Throws.TypeOf<ArgumentOutOfRangeException>());
    }
}
