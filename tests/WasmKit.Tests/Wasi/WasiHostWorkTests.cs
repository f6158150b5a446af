using WasmKit.Wasi;

namespace WasmKit.Tests.Wasi;

/// <summary>
/// Issue 10, fault 4 (output amplification) and the fd_write part of fault 12: output is capped,
/// bytes moved cost fuel, long transfers see interrupts, and bad iovecs write nothing.
/// </summary>
public class WasiHostWorkTests
{
    private const int Stdout = 1;
    private const int PageSize = 65536;

    /// <summary>Fills one page with iovecs from address 8, each covering the whole page.</summary>
    private static int PutWholePageIovecs(WasiHarness wasi)
    {
        int count = (PageSize - 8) / 8;
        for (int i = 0; i < count; i++) wasi.PutIovec(8 + i * 8, 0, PageSize);
        return count;
    }

    /// <summary>The fuel a call of <paramref name="name"/> consumed.</summary>
    private static long FuelOf(WasiHarness wasi, string name, params object[] arguments)
    {
        long before = wasi.Store.Fuel;
        Assert.That(wasi.Call(name, arguments), Is.Zero);
        return before - wasi.Store.Fuel;
    }

    [Test]
    public void ManyIovecsOverOnePageStopAtTheOutputLimit()
    {
        var configuration = new WasiConfiguration();
        Assert.That(configuration.MaxOutputBytes, Is.EqualTo(16L << 20), "the default");
        using var wasi = new WasiHarness(configuration);
        int count = PutWholePageIovecs(wasi);
        Assert.That(count, Is.EqualTo(8191));
        var stdout = (MemoryStream)configuration.Stdout;
        int lastErrno = 0;
        for (int call = 0; call < 4 && lastErrno == 0; call++)
        {
            lastErrno = wasi.Call("fd_write", Stdout, 8, count, 0);
            Assert.That(stdout.Length, Is.LessThanOrEqualTo(configuration.MaxOutputBytes));
        }
        Assert.That(lastErrno, Is.EqualTo(Errno.FileTooBig));
        Assert.That(stdout.Length, Is.EqualTo(configuration.MaxOutputBytes), "what fits is written, then nothing more");
        Assert.That(wasi.Write(2, "x"), Is.EqualTo(Errno.FileTooBig), "stdout and stderr share the limit");
        Assert.That(((MemoryStream)configuration.Stderr).Length, Is.Zero);
    }

    [Test]
    public void TheOutputLimitIsConfigurableAndAPartialWriteReportsItsCount()
    {
        var configuration = new WasiConfiguration { MaxOutputBytes = 10 };
        using var wasi = new WasiHarness(configuration);
        Assert.That(wasi.Write(Stdout, "0123456"), Is.Zero);
        Assert.That(wasi.Write(2, "789abc"), Is.Zero);
        Assert.That(wasi.ReadInt32(1100), Is.EqualTo(3), "only what fits");
        Assert.That(wasi.Write(Stdout, "d"), Is.EqualTo(Errno.FileTooBig));
        Assert.That(wasi.Stdout + wasi.Stderr, Is.EqualTo("0123456789"));
        Assert.That(() => new WasiConfiguration { MaxOutputBytes = -1 }, Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void BytesWrittenCostFuel()
    {
        var configuration = new WasiConfiguration();
        Assert.That(configuration.BytesPerFuelUnit, Is.EqualTo(64), "the default");
        using var wasi = new WasiHarness(configuration, new EngineOptions { ConsumeFuel = true });
        wasi.PutIovec(100, 1000, 0);
        long empty = FuelOf(wasi, "fd_write", Stdout, 100, 1, 200);
        wasi.PutIovec(100, 1000, 6400);
        Assert.That(FuelOf(wasi, "fd_write", Stdout, 100, 1, 200) - empty, Is.EqualTo(100), "one unit per 64 bytes");
        wasi.PutIovec(108, 1000, 0);
        Assert.That(FuelOf(wasi, "fd_write", Stdout, 100, 2, 200) - empty, Is.EqualTo(101), "and one per iovec");

        // Out of fuel: the write traps instead of moving 512 MiB for a few units.
        int count = PutWholePageIovecs(wasi);
        wasi.Store.Fuel = 10_000;
        var trap = Assert.Throws<WasmTrapException>(() => wasi.Call("fd_write", Stdout, 8, count, 0));
        Assert.That(trap!.Code, Is.EqualTo(TrapCode.OutOfFuel));
        Assert.That(((MemoryStream)configuration.Stdout).Length, Is.LessThanOrEqualTo(6400 + 10_000L * 64));
    }

    [Test]
    public void BytesReadAndRandomBytesCostFuel()
    {
        var configuration = new WasiConfiguration().WithStdin(new string('x', 6400));
        using var wasi = new WasiHarness(configuration, new EngineOptions { ConsumeFuel = true });
        wasi.PutIovec(100, 1000, 0);
        long empty = FuelOf(wasi, "fd_read", 0, 100, 1, 200);
        wasi.PutIovec(100, 1000, 6400);
        Assert.That(FuelOf(wasi, "fd_read", 0, 100, 1, 200) - empty, Is.EqualTo(100));
        Assert.That(wasi.ReadInt32(200), Is.EqualTo(6400));

        long noRandom = FuelOf(wasi, "random_get", 1000, 0);
        Assert.That(FuelOf(wasi, "random_get", 1000, 6400) - noRandom, Is.EqualTo(100));
        wasi.Store.Fuel = 10;
        var trap = Assert.Throws<WasmTrapException>(() => wasi.Call("random_get", 0, PageSize));
        Assert.That(trap!.Code, Is.EqualTo(TrapCode.OutOfFuel));
    }

    [Test]
    public void AnInterruptStopsALongWriteBetweenChunks()
    {
        WasiHarness? harness = null;
        var stdout = new InterruptingStream(() => harness!.Store.Interrupt());
        var configuration = new WasiConfiguration { Stdout = stdout, MaxOutputBytes = long.MaxValue };
        using var wasi = harness = new WasiHarness(configuration, new EngineOptions { Interruptible = true });
        int count = PutWholePageIovecs(wasi);
        var trap = Assert.Throws<WasmTrapException>(() => wasi.Call("fd_write", Stdout, 8, count, 0));
        Assert.That(trap!.Code, Is.EqualTo(TrapCode.Interrupted));
        Assert.That(stdout.BytesWritten, Is.InRange(1, 1L << 20), "at most one chunk after the interrupt");
    }

    [Test]
    public void AWriteWithABadIovecWritesNothingAndReportsEfault()
    {
        using var wasi = new WasiHarness();
        wasi.Put(1000, "hello");
        wasi.PutIovec(100, 1000, 5);
        wasi.PutIovec(108, PageSize - 4, 100);
        wasi.Memory.Write(200, -1);
        Assert.That(wasi.Call("fd_write", Stdout, 100, 2, 200), Is.EqualTo(Errno.Fault));
        Assert.That(wasi.Stdout, Is.Empty);
        Assert.That(wasi.ReadInt32(200), Is.EqualTo(-1));
        wasi.PutIovec(108, -8, 16);
        Assert.That(wasi.Call("fd_write", Stdout, 100, 2, 200), Is.EqualTo(Errno.Fault), "a range that wraps around");
        Assert.That(wasi.Stdout, Is.Empty);

        // A host stream that fails after the first iovec: the guest learns what was written.
        var failing = new InterruptingStream(() => { }) { FailAfterFirstWrite = true };
        using var partial = new WasiHarness(new WasiConfiguration { Stdout = failing });
        partial.Put(1000, "hello world");
        partial.PutIovec(100, 1000, 5);
        partial.PutIovec(108, 1005, 6);
        Assert.That(partial.Call("fd_write", Stdout, 100, 2, 200), Is.Zero);
        Assert.That(partial.ReadInt32(200), Is.EqualTo(5));
    }

    /// <summary>A sink that runs an action on its first write (an interrupt arriving meanwhile) and counts bytes.</summary>
    private sealed class InterruptingStream(Action onFirstWrite) : Stream
    {
        private bool _written;

        public long BytesWritten { get; private set; }

        public bool FailAfterFirstWrite { get; init; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => BytesWritten;

        public override long Position { get => BytesWritten; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (_written && FailAfterFirstWrite) throw new IOException("disk full");
            BytesWritten += buffer.Length;
            if (!_written) onFirstWrite();
            _written = true;
        }
    }
}
