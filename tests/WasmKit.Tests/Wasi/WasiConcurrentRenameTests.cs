using System.Diagnostics;
using WasmKit.Wasi;

namespace WasmKit.Tests.Wasi;

/// <summary>
/// Issue 10, fault 1 (remaining gap) and fault 11: while another process renames things inside the
/// preopen, no path operation may act outside it, and no swapped-in FIFO may block path_open. The
/// lookup and the action must not be two separate steps by path name.
/// </summary>
[NonParallelizable]
public class WasiConcurrentRenameTests
{
    private const int Data = 3;
    private const int Create = 1, Truncate = 8;
    private const int Iterations = 2_000;
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(120);

    private string _root = "";
    private string _data = "";

    [SetUp]
    public void CreateTree()
    {
        _root = Directory.CreateTempSubdirectory("wasmkit-race-").FullName;
        _data = Path.Combine(_root, "data");
        Directory.CreateDirectory(Path.Combine(_data, "a", "b"));
        Directory.CreateDirectory(Path.Combine(_data, "v", "up2"));
        File.WriteAllText(Path.Combine(_data, "v", "up2", "x.txt"), "inside");
        // Legitimate in a/b (a/b/../.. is the preopen root); once a/b is moved to v, v/up2 is the preopen's parent.
        File.CreateSymbolicLink(Path.Combine(_data, "a", "b", "up2"), "../..");
        // The sentinel: what lies just outside the preopen, where v/up2 leads while the link is in place.
        File.WriteAllText(Path.Combine(_root, "victim.txt"), "victim");
        File.WriteAllText(Path.Combine(_root, "x.txt"), "outside");
        Directory.CreateDirectory(Path.Combine(_root, "emptydir"));
    }

    [TearDown]
    public void RemoveTree() => Directory.Delete(_root, recursive: true);

    /// <summary>Every entry outside the preopen with its content ("/" for a directory's).</summary>
    private SortedDictionary<string, string> Outside()
    {
        var entries = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in new DirectoryInfo(_root).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(_root, entry.FullName);
            if (relative == "data" || relative.StartsWith("data" + Path.DirectorySeparatorChar, StringComparison.Ordinal)) continue;
            entries[relative] = entry is DirectoryInfo ? "/" : File.ReadAllText(entry.FullName);
        }
        return entries;
    }

    /// <summary>Runs <paramref name="guest"/> while a host thread keeps moving the escaping link over v and back.</summary>
    private void WhileTheLinkIsSwapped(Action guest)
    {
        using var stop = new CancellationTokenSource();
        var swapper = Task.Factory.StartNew(() =>
        {
            string v = Path.Combine(_data, "v"), vOld = Path.Combine(_data, "v_old"), ab = Path.Combine(_data, "a", "b");
            while (!stop.IsCancellationRequested)
            {
                Directory.Move(v, vOld);
                Directory.Move(ab, v);
                Directory.Move(v, ab);
                Directory.Move(vOld, v);
            }
        }, TaskCreationOptions.LongRunning);
        try
        {
            var run = Task.Factory.StartNew(guest, TaskCreationOptions.LongRunning);
            Assert.That(run.Wait(HangGuard), Is.True, "the guest hung");
        }
        finally
        {
            stop.Cancel();
            Assert.That(swapper.Wait(TimeSpan.FromSeconds(30)), Is.True);
        }
        Assert.That(swapper.Exception, Is.Null);
    }

    private static int Rename(WasiHarness wasi, string from, string to)
    {
        int fromLength = wasi.Put(61000, from);
        int toLength = wasi.Put(62000, to);
        return wasi.Call("path_rename", Data, 61000, fromLength, Data, 62000, toLength);
    }

    [Test]
    public void ConcurrentRenamesNeverLetCreateDeleteMkdirOrRenameActOutside()
    {
        var before = Outside();
        using var wasi = new WasiHarness(new WasiConfiguration().WithPreopenedDirectory(_data, "/data"));
        int created = 0, unlinked = 0, made = 0, renamed = 0;
        WhileTheLinkIsSwapped(() =>
        {
            for (int i = 0; i < Iterations; i++)
            {
                var (errno, fd) = wasi.Open(Data, "v/up2/victim.txt", Create | Truncate, WasiHarness.WriteRights);
                if (errno == 0)
                {
                    created++;
                    wasi.Call("fd_close", fd);
                }
                if (wasi.PathCall("path_unlink_file", Data, "v/up2/victim.txt") == 0) unlinked++;
                if (wasi.PathCall("path_create_directory", Data, "v/up2/made") == 0) made++;
                wasi.PathCall("path_remove_directory", Data, "v/up2/made");
                wasi.PathCall("path_create_directory", Data, "v/up2/emptydir");
                wasi.PathCall("path_remove_directory", Data, "v/up2/emptydir");
                if (Rename(wasi, "v/up2/x.txt", "v/up2/y.txt") == 0) renamed++;
                Rename(wasi, "v/up2/y.txt", "v/up2/x.txt");
            }
        });
        Assert.That(Outside(), Is.EqualTo(before), "something outside the preopen was created, deleted or changed");
        // The operations work whenever v is the real directory.
        Assert.That(created, Is.GreaterThan(0));
        Assert.That(unlinked, Is.GreaterThan(0));
        Assert.That(made, Is.GreaterThan(0));
        Assert.That(renamed, Is.GreaterThan(0));
    }

    [Test]
    public void AFifoSwappedInBetweenCheckAndOpenNeverBlocks()
    {
        string file = Path.Combine(_data, "p"), parkedFile = Path.Combine(_data, "p_file"), parkedFifo = Path.Combine(_data, "p_fifo");
        File.WriteAllText(file, "regular");
        using (var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [parkedFifo]) { UseShellExecute = false })!)
        {
            mkfifo.WaitForExit();
            Assert.That(mkfifo.ExitCode, Is.Zero);
        }
        using var wasi = new WasiHarness(new WasiConfiguration().WithPreopenedDirectory(_data, "/data"));
        using var stop = new CancellationTokenSource();
        var swapper = Task.Factory.StartNew(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                File.Move(file, parkedFile);
                File.Move(parkedFifo, file);
                File.Move(file, parkedFifo);
                File.Move(parkedFile, file);
            }
        }, TaskCreationOptions.LongRunning);
        int opened = 0, refused = 0;
        var unexpected = new List<int>();
        var guest = Task.Factory.StartNew(() =>
        {
            for (int i = 0; i < Iterations * 5; i++)
            {
                var (errno, fd) = wasi.Open(Data, "p");
                switch (errno)
                {
                    case 0:
                        opened++;
                        Assert.That(wasi.Call("fd_filestat_get", fd, 500), Is.Zero);
                        Assert.That(wasi.ReadByte(500 + 16), Is.EqualTo(FileType.RegularFile));
                        wasi.Call("fd_close", fd);
                        break;
                    case Errno.NotSupported:
                        refused++;
                        break;
                    case Errno.NoEntry:
                        break;
                    default:
                        unexpected.Add(errno);
                        break;
                }
            }
        }, TaskCreationOptions.LongRunning);
        bool ended;
        try
        {
            ended = guest.Wait(HangGuard);
        }
        finally
        {
            stop.Cancel();
            Assert.That(swapper.Wait(TimeSpan.FromSeconds(30)), Is.True);
        }
        if (!ended)
        {
            // Release the blocked open: a writer on whichever name the FIFO has now.
            foreach (string name in new[] { file, parkedFifo })
            {
                try
                {
                    using var writer = new FileStream(name, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1, FileOptions.None);
                }
                catch (IOException)
                {
                }
            }
            guest.Wait(TimeSpan.FromSeconds(10));
        }
        Assert.That(ended, Is.True, "path_open blocked on a FIFO swapped in after the type check");
        Assert.That(guest.Exception, Is.Null);
        Assert.That(swapper.Exception, Is.Null);
        Assert.That(unexpected, Is.Empty);
        Assert.That(opened, Is.GreaterThan(0));
        Assert.That(refused, Is.GreaterThan(0));
    }
}
