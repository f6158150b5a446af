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

    /// <summary>Every entry outside the preopen with its content ("/" for a directory, "-> target" for a link).</summary>
    private SortedDictionary<string, string> Outside()
    {
        var entries = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in new DirectoryInfo(_root).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(_root, entry.FullName);
            if (relative == "data" || relative.StartsWith("data" + Path.DirectorySeparatorChar, StringComparison.Ordinal)) continue;
            entries[relative] = entry.LinkTarget is { } target ? "-> " + target : entry is DirectoryInfo ? "/" : File.ReadAllText(entry.FullName);
        }
        return entries;
    }

    /// <summary>Runs <paramref name="guest"/> while a host thread keeps moving the escaping link over v and back.</summary>
    private void WhileTheLinkIsSwapped(Action guest)
    {
        using var swapper = new EscapingLinkSwapper(_data, pauseSometimes: true);
        var run = Task.Factory.StartNew(guest, TaskCreationOptions.LongRunning);
        Assert.That(run.Wait(HangGuard), Is.True, "the guest hung");
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
        WhileTheLinkIsSwapped(() =>
        {
            for (int i = 0; i < Iterations * 3; i++)
            {
                var (errno, fd) = wasi.Open(Data, "v/up2/victim.txt", Create | Truncate, WasiHarness.WriteRights);
                if (errno == 0) wasi.Call("fd_close", fd);
                wasi.PathCall("path_unlink_file", Data, "v/up2/victim.txt");
                wasi.PathCall("path_create_directory", Data, "v/up2/made");
                wasi.PathCall("path_remove_directory", Data, "v/up2/made");
                wasi.PathCall("path_create_directory", Data, "v/up2/emptydir");
                wasi.PathCall("path_remove_directory", Data, "v/up2/emptydir");
                Rename(wasi, "v/up2/x.txt", "v/up2/y.txt");
                Rename(wasi, "v/up2/y.txt", "v/up2/x.txt");
            }
        });
        Assert.That(Outside(), Is.EqualTo(before), "something outside the preopen was created, deleted or changed");
        // With v the real directory again, the same operations work.
        Rename(wasi, "v/up2/y.txt", "v/up2/x.txt");
        var (createErrno, created) = wasi.Open(Data, "v/up2/victim.txt", Create | Truncate, WasiHarness.WriteRights);
        Assert.That(createErrno, Is.Zero);
        Assert.That(wasi.Call("fd_close", created), Is.Zero);
        Assert.That(wasi.PathCall("path_unlink_file", Data, "v/up2/victim.txt"), Is.Zero);
        // A directory made in the race may still be there if its removal lost.
        wasi.PathCall("path_remove_directory", Data, "v/up2/made");
        Assert.That(wasi.PathCall("path_create_directory", Data, "v/up2/made"), Is.Zero);
        Assert.That(wasi.PathCall("path_remove_directory", Data, "v/up2/made"), Is.Zero);
        Assert.That(Rename(wasi, "v/up2/x.txt", "v/up2/y.txt"), Is.Zero);
        Assert.That(File.ReadAllText(Path.Combine(_data, "v", "up2", "y.txt")), Is.EqualTo("inside"));
    }

    [Test]
    public void ConcurrentRenamesNeverLetStatTimesReadlinkOrReaddirReachOutside()
    {
        File.CreateSymbolicLink(Path.Combine(_data, "v", "up2", "l"), "x.txt");
        File.CreateSymbolicLink(Path.Combine(_root, "l"), "outside-secret");
        var outsideTime = new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(Path.Combine(_root, "x.txt"), outsideTime);
        var before = Outside();
        using var wasi = new WasiHarness(new WasiConfiguration().WithPreopenedDirectory(_data, "/data"));
        var (openErrno, up2) = wasi.Open(Data, "v/up2", 2);
        Assert.That(openErrno, Is.Zero);
        var leaks = new List<string>();
        WhileTheLinkIsSwapped(() =>
        {
            for (int i = 0; i < Iterations * 5; i++)
            {
                int length = wasi.Put(60000, "v/up2/x.txt");
                if (wasi.Call("path_filestat_get", Data, 0, 60000, length, 500) == 0)
                {
                    if (wasi.ReadInt64(500 + 32) != "inside".Length) leaks.Add("path_filestat_get read the size of a file outside");
                }
                // Modification time 1970 + 1 s, access time left alone.
                wasi.Call("path_filestat_set_times", Data, 0, 60000, length, 0L, 1_000_000_000L, 4);
                length = wasi.Put(60000, "v/up2/l");
                if (wasi.Call("path_readlink", Data, 60000, length, 1000, 256, 100) == 0)
                {
                    string text = wasi.Memory.ReadString(1000, wasi.ReadInt32(100));
                    if (text != "x.txt") leaks.Add($"path_readlink read '{text}' outside");
                }
                if (wasi.Call("fd_readdir", up2, 2000, 4096, 0L, 100) == 0)
                {
                    string names = wasi.Memory.ReadString(2000, wasi.ReadInt32(100));
                    if (names.Contains("victim.txt") || names.Contains("emptydir")) leaks.Add("fd_readdir listed the directory outside");
                }
            }
        });
        Assert.That(leaks, Is.Empty);
        Assert.That(File.GetLastWriteTimeUtc(Path.Combine(_root, "x.txt")), Is.EqualTo(outsideTime), "path_filestat_set_times changed a file outside");
        Assert.That(Outside(), Is.EqualTo(before));
        // With v the real directory again, the same calls work.
        int xLength = wasi.Put(60000, "v/up2/x.txt");
        Assert.That(wasi.Call("path_filestat_get", Data, 0, 60000, xLength, 500), Is.Zero);
        Assert.That(wasi.ReadInt64(500 + 32), Is.EqualTo("inside".Length));
        Assert.That(wasi.Call("path_filestat_set_times", Data, 0, 60000, xLength, 0L, 1_000_000_000L, 4), Is.Zero);
        Assert.That(File.GetLastWriteTimeUtc(Path.Combine(_data, "v", "up2", "x.txt")), Is.EqualTo(DateTime.UnixEpoch.AddSeconds(1)));
        int linkLength = wasi.Put(60000, "v/up2/l");
        Assert.That(wasi.Call("path_readlink", Data, 60000, linkLength, 1000, 256, 100), Is.Zero);
        Assert.That(wasi.Memory.ReadString(1000, wasi.ReadInt32(100)), Is.EqualTo("x.txt"));
        Assert.That(wasi.Call("fd_readdir", up2, 2000, 4096, 0L, 100), Is.Zero);
        Assert.That(wasi.Memory.ReadString(2000, wasi.ReadInt32(100)), Does.Contain("x.txt"));
    }

    /// <summary>The lookup itself never looks at an entry outside: no error tells the guest that a file exists there.</summary>
    [Test]
    public void ConcurrentRenamesNeverLetTheLookupSeeWhatIsOutside()
    {
        File.WriteAllText(Path.Combine(_root, "only-outside.txt"), "outside");
        var before = Outside();
        using var wasi = new WasiHarness(new WasiConfiguration().WithPreopenedDirectory(_data, "/data"));
        var errors = new HashSet<int>();
        WhileTheLinkIsSwapped(() =>
        {
            for (int i = 0; i < Iterations * 10; i++)
            {
                var (errno, fd) = wasi.Open(Data, "v/up2/only-outside.txt", Create | 4, WasiHarness.WriteRights);
                errors.Add(errno);
                if (errno != 0) continue;
                wasi.Call("fd_close", fd);
                // Removed again before the next try (an unlink can lose the race too), so only a file outside could be in the way.
                for (int tries = 0; tries < 100_000 && wasi.PathCall("path_unlink_file", Data, "v/up2/only-outside.txt") != 0; tries++)
                {
                }
            }
        });
        Assert.That(errors, Does.Not.Contain(Errno.Exists), "the lookup saw the file outside");
        var (lastErrno, lastFd) = wasi.Open(Data, "v/up2/only-outside.txt", Create | 4, WasiHarness.WriteRights);
        Assert.That(lastErrno, Is.Zero, "with v the real directory again, the file is created inside");
        Assert.That(wasi.Call("fd_close", lastFd), Is.Zero);
        Assert.That(Outside(), Is.EqualTo(before));
    }

    /// <summary>The descriptors the Linux sandbox opens for lookups and actions, and its root's, are all closed again.</summary>
    [Test]
    public void NoHostDescriptorIsLeftOpen()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("The descriptor-based sandbox is Linux's.");
        static int OpenHostDescriptors() => Directory.GetFileSystemEntries("/proc/self/fd").Length;
        // Warm up whatever the runtime opens once (libraries, the harness module).
        using (var warm = new WasiHarness(new WasiConfiguration().WithPreopenedDirectory(_data, "/data")))
            warm.Open(Data, "v/up2/x.txt");
        int before = OpenHostDescriptors();
        for (int round = 0; round < 20; round++)
        {
            using var wasi = new WasiHarness(new WasiConfiguration().WithPreopenedDirectory(_data, "/data"));
            // No collection meanwhile, so no finalizer closes a leaked descriptor before it is counted.
            bool noCollection = GC.TryStartNoGCRegion(64 << 20);
            int roundStart = OpenHostDescriptors();
            for (int i = 0; i < 50; i++)
            {
                var (errno, fd) = wasi.Open(Data, "v/up2/x.txt");
                Assert.That(errno, Is.Zero);
                Assert.That(wasi.Call("fd_close", fd), Is.Zero);
                Assert.That(wasi.Open(Data, "v/up2/missing/deeper").Errno, Is.EqualTo(Errno.NoEntry));
                Assert.That(wasi.Open(Data, "v/up2/../../../victim.txt").Errno, Is.EqualTo(Errno.NotCapable));
                Assert.That(wasi.PathCall("path_create_directory", Data, "v/up2/m"), Is.Zero);
                Assert.That(wasi.PathCall("path_remove_directory", Data, "v/up2/m"), Is.Zero);
                Assert.That(wasi.Call("fd_readdir", Data, 2000, 4096, 0L, 100), Is.Zero);
                int length = wasi.Put(60000, "v/up2/x.txt");
                Assert.That(wasi.Call("path_filestat_get", Data, 0, 60000, length, 500), Is.Zero);
            }
            int roundEnd = OpenHostDescriptors();
            if (noCollection && System.Runtime.GCSettings.LatencyMode == System.Runtime.GCLatencyMode.NoGCRegion) GC.EndNoGCRegion();
            Assert.That(roundEnd, Is.LessThanOrEqualTo(roundStart + 2), "descriptors leaked within a round");
            // One file left open: closed with the context.
            Assert.That(wasi.Open(Data, "v/up2/x.txt").Errno, Is.Zero);
        }
        Assert.That(OpenHostDescriptors(), Is.LessThanOrEqualTo(before + 2), "descriptors leaked");
    }

    /// <summary>
    /// The layer below the lookup, on its own: it gets components the lookup found free of links
    /// (here always v/up2/...), and while the escaping link is in place as v/up2 every action must fail.
    /// Once with openat2 (where the kernel has it), once forced to the per-component openat walk that
    /// kernels without openat2 use.
    /// </summary>
    [TestCase(false)]
    [TestCase(true)]
    public void TheDescriptorLayerNeverFollowsASwappedInLink(bool walkByComponent)
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("The descriptor-based walk is Linux's.");
        var before = Outside();
        using var sandbox = new Sandbox(_data, readOnly: false);
        var beneath = sandbox.Beneath!;
        beneath.WalkByComponent = walkByComponent;
        void Try(Action action)
        {
            try
            {
                action();
            }
            catch (WasiErrnoException)
            {
                // Losing the race is an error, never an action outside.
            }
        }
        string[] victim = ["v", "up2", "victim.txt"], made = ["v", "up2", "made"], empty = ["v", "up2", "emptydir"];
        string[] x = ["v", "up2", "x.txt"], y = ["v", "up2", "y.txt"];
        WhileTheLinkIsSwapped(() =>
        {
            for (int i = 0; i < Iterations; i++)
            {
                Try(() => beneath.OpenFile(victim, NativeFileSystem.WriteOnly | NativeFileSystem.Create | NativeFileSystem.Truncate).Dispose());
                Try(() => beneath.Remove(victim, directory: false));
                Try(() => beneath.CreateDirectory(made));
                Try(() => beneath.Remove(made, directory: true));
                Try(() => beneath.CreateDirectory(empty));
                Try(() => beneath.Remove(empty, directory: true));
                Try(() => beneath.Rename(x, beneath, y));
                Try(() => beneath.Rename(y, beneath, x));
                Try(() => beneath.SetTimes(x, 0, NativeFileSystem.TimeOmit, 1, 0));
                Try(() => beneath.Stat(x));
            }
        });
        Assert.That(Outside(), Is.EqualTo(before), "something outside the preopen was created, deleted or changed");
        // With the link in place every action is refused; with the real directory back, it works.
        Directory.Move(Path.Combine(_data, "v"), Path.Combine(_data, "v_old"));
        Directory.Move(Path.Combine(_data, "a", "b"), Path.Combine(_data, "v"));
        Assert.That(() => beneath.CreateDirectory(made), Throws.TypeOf<WasiErrnoException>());
        Assert.That(() => beneath.Stat(x), Throws.TypeOf<WasiErrnoException>());
        Assert.That(Directory.Exists(Path.Combine(_root, "made")), Is.False);
        Directory.Move(Path.Combine(_data, "v"), Path.Combine(_data, "a", "b"));
        Directory.Move(Path.Combine(_data, "v_old"), Path.Combine(_data, "v"));
        string madeInside = Path.Combine(_data, "v", "up2", "made");
        if (Directory.Exists(madeInside)) Directory.Delete(madeInside);
        beneath.CreateDirectory(made);
        Assert.That(Directory.Exists(madeInside), Is.True);
        if (walkByComponent) Assert.That(beneath.WalkByComponent, Is.True);
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
        var unexpected = new List<int>();
        var guest = Task.Factory.StartNew(() =>
        {
            for (int i = 0; i < Iterations * 5; i++)
            {
                var (errno, fd) = wasi.Open(Data, "p");
                switch (errno)
                {
                    case 0:
                        Assert.That(wasi.Call("fd_filestat_get", fd, 500), Is.Zero);
                        Assert.That(wasi.ReadByte(500 + 16), Is.EqualTo(FileType.RegularFile));
                        wasi.Call("fd_close", fd);
                        break;
                    case Errno.NotSupported or Errno.NoEntry:
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
            try
            {
                guest.Wait(TimeSpan.FromSeconds(10));
            }
            catch (AggregateException)
            {
                // Reported below.
            }
        }
        Assert.That(ended, Is.True, "path_open blocked on a FIFO swapped in after the type check");
        Assert.That(guest.Exception, Is.Null);
        Assert.That(swapper.Exception, Is.Null);
        Assert.That(unexpected, Is.Empty);
        Assert.That(wasi.Open(Data, "p").Errno, Is.Zero, "the regular file opens");
        Assert.That(wasi.Open(Data, "p_fifo").Errno, Is.EqualTo(Errno.NotSupported), "the FIFO is refused");
    }
}
