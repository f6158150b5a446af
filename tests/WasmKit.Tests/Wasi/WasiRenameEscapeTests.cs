using System.Text;
using WasmKit.Wasi;

namespace WasmKit.Tests.Wasi;

/// <summary>
/// Issue 10, fault 1: renames inside a preopen must never make an opened directory descriptor point
/// outside it, and fault 12: path_readlink must not disclose host paths.
/// </summary>
public class WasiRenameEscapeTests
{
    private const int Data = 3;
    private const int Create = 1, DirectoryFlag = 2;

    private string _root = "";
    private string _data = "";

    [SetUp]
    public void CreateTree()
    {
        _root = Directory.CreateTempSubdirectory("wasmkit-rename-").FullName;
        _data = Path.Combine(_root, "data");
        Directory.CreateDirectory(Path.Combine(_data, "a", "b"));
        Directory.CreateDirectory(Path.Combine(_data, "target"));
        Directory.CreateDirectory(Path.Combine(_root, "outdir"));
        File.WriteAllText(Path.Combine(_root, "secret.txt"), "secret");
        File.WriteAllText(Path.Combine(_root, "victim.txt"), "victim");
        File.WriteAllText(Path.Combine(_root, "outdir", "secret.txt"), "secret two levels");
        File.WriteAllText(Path.Combine(_data, "target", "t.txt"), "inside");
        // Legitimate where it is: a/b/../.. is the preopen root.
        File.CreateSymbolicLink(Path.Combine(_data, "a", "b", "up2"), "../..");
        // Dangling where it is (it leads above the host's root directory), valid two levels down.
        File.CreateSymbolicLink(Path.Combine(_data, "dl"), "../../../outdir");
        // Dangling where it is (a/target does not exist), inside the preopen once moved to v/.
        File.CreateSymbolicLink(Path.Combine(_data, "a", "b", "in"), "../target");
    }

    [TearDown]
    public void RemoveTree() => Directory.Delete(_root, recursive: true);

    private WasiHarness Harness() => new(new WasiConfiguration().WithPreopenedDirectory(_data, "/data"));

    private static int Rename(WasiHarness wasi, int fromFd, string from, int toFd, string to)
    {
        int fromLength = wasi.Put(61000, from);
        int toLength = wasi.Put(62000, to);
        return wasi.Call("path_rename", fromFd, 61000, fromLength, toFd, 62000, toLength);
    }

    /// <summary>The attack of the issue: F is opened on v/up2, then a/b (holding up2 -> ../..) is moved to v.</summary>
    private static int OpenThenMoveTheLinkOverIt(WasiHarness wasi, string linkName = "up2")
    {
        Assert.That(wasi.PathCall("path_create_directory", Data, "v"), Is.Zero);
        Assert.That(wasi.PathCall("path_create_directory", Data, "v/" + linkName), Is.Zero);
        var (errno, fd) = wasi.Open(Data, "v/" + linkName, DirectoryFlag);
        Assert.That(errno, Is.Zero);
        Assert.That(Rename(wasi, Data, "v", Data, "v_old"), Is.Zero);
        Assert.That(Rename(wasi, Data, "a/b", Data, "v"), Is.Zero);
        return fd;
    }

    private void AssertNothingOutsideWasTouched(WasiHarness wasi, int fd)
    {
        var (openErrno, opened) = wasi.Open(fd, "secret.txt");
        if (openErrno == 0) Assert.That(wasi.ReadAll(opened), Does.Not.Contain("secret"), "read a file outside the preopen");
        Assert.That(openErrno, Is.EqualTo(Errno.NotCapable));
        Assert.That(wasi.Open(fd, "created.txt", Create, WasiHarness.WriteRights).Errno, Is.EqualTo(Errno.NotCapable));
        Assert.That(wasi.PathCall("path_unlink_file", fd, "victim.txt"), Is.EqualTo(Errno.NotCapable));
        Assert.That(wasi.PathCall("path_create_directory", fd, "made"), Is.EqualTo(Errno.NotCapable));
        Assert.That(File.Exists(Path.Combine(_root, "created.txt")), Is.False);
        Assert.That(File.Exists(Path.Combine(_root, "outdir", "created.txt")), Is.False);
        Assert.That(File.ReadAllText(Path.Combine(_root, "victim.txt")), Is.EqualTo("victim"));
        Assert.That(Directory.Exists(Path.Combine(_root, "made")), Is.False);
    }

    [Test]
    public void RenamingALegitimateLinkOverAnOpenedDirectoryDoesNotLeadOutside()
    {
        using var wasi = Harness();
        int fd = OpenThenMoveTheLinkOverIt(wasi);
        // The host itself now sees data/v/up2 as the preopen's parent.
        Assert.That(File.Exists(Path.Combine(_data, "v", "up2", "secret.txt")), Is.True);
        AssertNothingOutsideWasTouched(wasi, fd);
    }

    [Test]
    public void ADanglingLinkMovedOverAnOpenedDirectoryDoesNotLeadOutside()
    {
        using var wasi = Harness();
        Assert.That(wasi.PathCall("path_create_directory", Data, "p"), Is.Zero);
        Assert.That(wasi.PathCall("path_create_directory", Data, "p/q"), Is.Zero);
        Assert.That(wasi.PathCall("path_create_directory", Data, "p/q/dl"), Is.Zero);
        var (errno, fd) = wasi.Open(Data, "p/q/dl", DirectoryFlag);
        Assert.That(errno, Is.Zero);
        Assert.That(Rename(wasi, Data, "p/q/dl", Data, "p/q/old"), Is.Zero);
        Assert.That(Rename(wasi, Data, "dl", Data, "p/q/dl"), Is.Zero);
        Assert.That(File.Exists(Path.Combine(_data, "p", "q", "dl", "secret.txt")), Is.True, "the moved link is valid on the host");
        AssertNothingOutsideWasTouched(wasi, fd);
    }

    [Test]
    public void ReaddirAndStatOfAMovedDescriptorStayInside()
    {
        using var wasi = Harness();
        int fd = OpenThenMoveTheLinkOverIt(wasi);
        int readdir = wasi.Call("fd_readdir", fd, 1000, 8192, 0L, 100);
        if (readdir == 0)
            Assert.That(Encoding.UTF8.GetString(wasi.Memory.GetSpan(1000, wasi.ReadInt32(100))), Does.Not.Contain("secret.txt"));
        Assert.That(readdir, Is.EqualTo(Errno.NotCapable));
        Assert.That(wasi.Call("fd_filestat_get", fd, 500), Is.EqualTo(Errno.NotCapable));
        Assert.That(wasi.Call("fd_filestat_set_times", fd, 0L, 0L, 5), Is.EqualTo(Errno.NotCapable), "no times set outside");
        int length = wasi.Put(60000, "secret.txt");
        Assert.That(wasi.Call("path_filestat_get", fd, 1, 60000, length, 500), Is.EqualTo(Errno.NotCapable));
        Assert.That(wasi.Call("path_filestat_get", fd, 0, 60000, length, 500), Is.EqualTo(Errno.NotCapable));
        Assert.That(File.GetLastWriteTimeUtc(_root).Year, Is.GreaterThan(1970));
    }

    [Test]
    public void AfterTheRenameTheDescriptorStillWorksInsideThePreopen()
    {
        using var wasi = Harness();
        int fd = OpenThenMoveTheLinkOverIt(wasi);
        Assert.That(wasi.Open(fd, "secret.txt").Errno, Is.EqualTo(Errno.NotCapable));
        // Undo the renames: the same descriptor names data/v/up2 again, a real directory.
        Assert.That(Rename(wasi, Data, "v", Data, "a/b"), Is.Zero);
        Assert.That(Rename(wasi, Data, "v_old", Data, "v"), Is.Zero);
        var (errno, created) = wasi.Open(fd, "note.txt", Create, WasiHarness.WriteRights);
        Assert.That(errno, Is.Zero);
        Assert.That(wasi.Write(created, "kept"), Is.Zero);
        Assert.That(wasi.Call("fd_close", created), Is.Zero);
        Assert.That(File.ReadAllText(Path.Combine(_data, "v", "up2", "note.txt")), Is.EqualTo("kept"));

        // A link that stays inside the preopen is followed through the descriptor.
        var (innerErrno, inner) = wasi.Open(Data, "v/in", DirectoryFlag);
        Assert.That(innerErrno, Is.EqualTo(Errno.NoEntry), "v/in does not exist yet");
        Assert.That(wasi.PathCall("path_create_directory", Data, "v/in"), Is.Zero);
        (innerErrno, inner) = wasi.Open(Data, "v/in", DirectoryFlag);
        Assert.That(innerErrno, Is.Zero);
        Assert.That(Rename(wasi, Data, "v", Data, "v2"), Is.Zero);
        Assert.That(Rename(wasi, Data, "a/b", Data, "v"), Is.Zero);
        var (readErrno, file) = wasi.Open(inner, "t.txt");
        Assert.That(readErrno, Is.Zero);
        Assert.That(wasi.ReadAll(file), Is.EqualTo("inside"));
        Assert.That(wasi.Call("fd_readdir", inner, 1000, 8192, 0L, 100), Is.Zero);
        Assert.That(Encoding.UTF8.GetString(wasi.Memory.GetSpan(1000, wasi.ReadInt32(100))), Does.Contain("t.txt"));
    }

    [Test]
    public void ConcurrentRenamesNeverLetAReadOutside()
    {
        using var wasi = Harness();
        Assert.That(wasi.PathCall("path_create_directory", Data, "v"), Is.Zero);
        Assert.That(wasi.PathCall("path_create_directory", Data, "v/up2"), Is.Zero);
        File.WriteAllText(Path.Combine(_data, "v", "up2", "secret.txt"), "harmless");
        var (errno, fd) = wasi.Open(Data, "v/up2", DirectoryFlag);
        Assert.That(errno, Is.Zero);
        // Another host process swaps the real directory and the escaping link back and forth while the guest reads.
        int opened = 0;
        using (var swapper = new EscapingLinkSwapper(_data, pauseSometimes: false))
        {
            for (int i = 0; i < 20_000 && !swapper.HasStopped; i++)
            {
                var (openErrno, file) = wasi.Open(fd, "secret.txt");
                if (openErrno != 0) continue;
                opened++;
                Assert.That(wasi.ReadAll(file), Is.EqualTo("harmless"), "read a file outside the preopen");
                Assert.That(wasi.Call("fd_close", file), Is.Zero);
            }
        }
        Assert.That(opened, Is.GreaterThan(0), "the descriptor works while it is inside");
    }

    [Test]
    public void ReadlinkDoesNotDiscloseHostPaths()
    {
        File.CreateSymbolicLink(Path.Combine(_data, "absolute"), Path.Combine(_data, "target"));
        File.CreateSymbolicLink(Path.Combine(_data, "inside"), "target/t.txt");
        using var wasi = Harness();
        int Readlink(string path)
        {
            int length = wasi.Put(60000, path);
            wasi.Memory.GetSpan(1000, 512).Clear();
            return wasi.Call("path_readlink", Data, 60000, length, 1000, 512, 100);
        }
        Assert.That(Readlink("absolute"), Is.EqualTo(Errno.NotCapable));
        Assert.That(Readlink("dl"), Is.EqualTo(Errno.NotCapable), "../../../outdir leaves the preopen");
        Assert.That(Readlink("a/b/up2"), Is.Zero, "../.. from a/b is the preopen root");
        Assert.That(wasi.Memory.ReadString(1000, wasi.ReadInt32(100)), Is.EqualTo("../.."));
        Assert.That(Readlink("inside"), Is.Zero);
        Assert.That(wasi.Memory.ReadString(1000, wasi.ReadInt32(100)), Is.EqualTo("target/t.txt"));
        Assert.That(Encoding.UTF8.GetString(wasi.Memory.GetSpan(1000, 512)), Does.Not.Contain(_root));
    }
}
