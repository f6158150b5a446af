using System.Text;
using WasmKit.Wasi;

namespace WasmKit.Tests.Wasi;

public class WasiStreamTests
{
    [Test]
    public void FdWriteGathersEveryIovecIntoStdout()
    {
        using var wasi = new WasiHarness();
        wasi.Put(300, "Hello, ");
        wasi.Put(400, "world!\n");
        wasi.PutIovec(100, 300, 7);
        wasi.PutIovec(108, 400, 0);
        wasi.PutIovec(116, 400, 7);
        Assert.That(wasi.Call("fd_write", 1, 100, 3, 200), Is.Zero);
        Assert.That(wasi.ReadInt32(200), Is.EqualTo(14));
        Assert.That(wasi.Stdout, Is.EqualTo("Hello, world!\n"));
        Assert.That(wasi.Write(2, "oops"), Is.Zero);
        Assert.That(wasi.Stderr, Is.EqualTo("oops"));
    }

    [Test]
    public void FdWriteWithBadPointersGivesEfaultAndWritesNothing()
    {
        using var wasi = new WasiHarness();
        int end = (int)wasi.Memory.Length;
        wasi.PutIovec(100, end - 4, 8);
        Assert.That(wasi.Call("fd_write", 1, 100, 1, 200), Is.EqualTo(Errno.Fault));
        Assert.That(wasi.Call("fd_write", 1, end - 4, 1, 200), Is.EqualTo(Errno.Fault));
        Assert.That(wasi.Call("fd_write", 1, 100, int.MaxValue, 200), Is.EqualTo(Errno.Fault));
        wasi.PutIovec(100, 300, 1);
        Assert.That(wasi.Call("fd_write", 1, 100, 1, end - 1), Is.EqualTo(Errno.Fault));
        wasi.PutIovec(100, -16, 32);
        Assert.That(wasi.Call("fd_write", 1, 100, 1, 200), Is.EqualTo(Errno.Fault));
        Assert.That(wasi.Stdout, Is.Empty);
    }

    [Test]
    public void WrongDescriptorsGiveEbadf()
    {
        using var wasi = new WasiHarness();
        Assert.That(wasi.Write(0, "x"), Is.EqualTo(Errno.BadFileDescriptor));
        Assert.That(wasi.Write(3, "x"), Is.EqualTo(Errno.BadFileDescriptor));
        Assert.That(wasi.Write(-1, "x"), Is.EqualTo(Errno.BadFileDescriptor));
        wasi.PutIovec(100, 300, 4);
        Assert.That(wasi.Call("fd_read", 1, 100, 1, 200), Is.EqualTo(Errno.BadFileDescriptor));
        Assert.That(wasi.Call("fd_close", 42), Is.EqualTo(Errno.BadFileDescriptor));
    }

    [Test]
    public void FdReadReadsStdinUntilEndOfFile()
    {
        using var wasi = new WasiHarness(new WasiConfiguration().WithStdin("line one\nline two\n"));
        wasi.PutIovec(100, 300, 5);
        wasi.PutIovec(108, 400, 100);
        Assert.That(wasi.Call("fd_read", 0, 100, 2, 200), Is.Zero);
        Assert.That(wasi.ReadInt32(200), Is.EqualTo(18));
        Assert.That(wasi.Memory.ReadString(300, 5) + wasi.Memory.ReadString(400, 13), Is.EqualTo("line one\nline two\n"));
        Assert.That(wasi.Call("fd_read", 0, 100, 2, 200), Is.Zero);
        Assert.That(wasi.ReadInt32(200), Is.Zero);
    }

    [Test]
    public void StdinIsEmptyByDefault()
    {
        using var wasi = new WasiHarness();
        Assert.That(wasi.ReadAll(0), Is.Empty);
    }

    [Test]
    public void StdioIsNotSeekableAndDescribesItself()
    {
        using var wasi = new WasiHarness();
        Assert.That(wasi.Call("fd_seek", 1, 0L, 0, 200), Is.EqualTo(Errno.InvalidSeek));
        Assert.That(wasi.Call("fd_tell", 1, 200), Is.EqualTo(Errno.InvalidSeek));
        Assert.That(wasi.Call("fd_fdstat_get", 1, 200), Is.Zero);
        long rights = wasi.ReadInt64(208);
        Assert.That(rights & Rights.FdWrite, Is.Not.Zero);
        Assert.That(rights & (Rights.FdSeek | Rights.FdTell), Is.Zero, "no seek rights: libc's isatty and lseek rely on it");
        Assert.That(wasi.ReadByte(200), Is.EqualTo(FileType.Unknown));

        var terminal = new WasiConfiguration { StdioIsTerminal = true };
        using var console = new WasiHarness(terminal);
        Assert.That(console.Call("fd_fdstat_get", 1, 200), Is.Zero);
        Assert.That(console.ReadByte(200), Is.EqualTo(FileType.CharacterDevice));
        Assert.That(console.Call("fd_filestat_get", 1, 300), Is.Zero);
        Assert.That(console.ReadByte(316), Is.EqualTo(FileType.CharacterDevice));
    }

    [Test]
    public void StdoutCanBeAnyStream()
    {
        using var output = new MemoryStream();
        var config = new WasiConfiguration { Stdout = new BufferedStream(output) };
        using var wasi = new WasiHarness(config);
        Assert.That(wasi.Write(1, "buffered"), Is.Zero);
        Assert.That(wasi.Call("fd_sync", 1), Is.Zero);
        Assert.That(Encoding.UTF8.GetString(output.ToArray()), Is.EqualTo("buffered"));
    }

    [Test]
    public void ClosedStdoutIsGone()
    {
        using var wasi = new WasiHarness();
        Assert.That(wasi.Call("fd_close", 1), Is.Zero);
        Assert.That(wasi.Write(1, "x"), Is.EqualTo(Errno.BadFileDescriptor));
        Assert.That(wasi.Configuration.Stdout.CanWrite, Is.True, "the host's stream stays open");
    }

    [Test]
    public void UnsupportedFunctionsReturnEnosys()
    {
        using var wasi = new WasiHarness();
        Assert.That(wasi.Call("proc_raise", 9), Is.EqualTo(Errno.NotImplemented));
        Assert.That(wasi.Call("sock_accept", 3, 0, 100), Is.EqualTo(Errno.NotImplemented));
        Assert.That(wasi.Call("sock_recv", 3, 100, 1, 0, 200, 204), Is.EqualTo(Errno.NotImplemented));
        Assert.That(wasi.Call("sock_send", 3, 100, 1, 0, 200), Is.EqualTo(Errno.NotImplemented));
        Assert.That(wasi.Call("sock_shutdown", 3, 1), Is.EqualTo(Errno.NotImplemented));
        Assert.That(wasi.Call("path_symlink", 100, 1, 3, 200, 1), Is.EqualTo(Errno.NotImplemented));
        Assert.That(wasi.Call("path_link", 3, 0, 100, 1, 3, 200, 1), Is.EqualTo(Errno.NotImplemented));
        Assert.That(wasi.Call("sched_yield"), Is.Zero);
    }
}
