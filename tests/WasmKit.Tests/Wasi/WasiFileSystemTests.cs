using System.Text;
using WasmKit.Wasi;

namespace WasmKit.Tests.Wasi;

public class WasiFileSystemTests
{
    private const int Data = 3;
    private const int Create = 1, DirectoryFlag = 2, Exclusive = 4, Truncate = 8;
    private const int Append = 1;

    private string _root = "";
    private string _data = "";

    [SetUp]
    public void CreateTree()
    {
        _root = Directory.CreateTempSubdirectory("wasmkit-wasi-").FullName;
        _data = Path.Combine(_root, "data");
        Directory.CreateDirectory(Path.Combine(_data, "sub"));
        File.WriteAllText(Path.Combine(_data, "input.txt"), "hello\nworld\n");
        File.WriteAllText(Path.Combine(_data, "sub", "nested.txt"), "nested");
        File.WriteAllText(Path.Combine(_root, "outside.txt"), "secret");
        File.CreateSymbolicLink(Path.Combine(_data, "link-out"), "../outside.txt");
        File.CreateSymbolicLink(Path.Combine(_data, "abs-out"), Path.Combine(_root, "outside.txt"));
        File.CreateSymbolicLink(Path.Combine(_data, "link-in"), "sub/nested.txt");
        File.CreateSymbolicLink(Path.Combine(_data, "sub", "up"), "..");
        File.CreateSymbolicLink(Path.Combine(_data, "loop"), "loop");
    }

    [TearDown]
    public void RemoveTree() => Directory.Delete(_root, recursive: true);

    private WasiHarness Harness(bool readOnly = false) =>
        new(new WasiConfiguration().WithPreopenedDirectory(_data, "/data", readOnly));

    [Test]
    public void PreopenIsDescribedAtFd3AndTheScanEndsWithEbadf()
    {
        using var wasi = Harness();
        Assert.That(wasi.Call("fd_prestat_get", Data, 100), Is.Zero);
        Assert.That(wasi.ReadByte(100), Is.Zero, "tag: directory");
        Assert.That(wasi.ReadInt32(104), Is.EqualTo(5));
        Assert.That(wasi.Call("fd_prestat_dir_name", Data, 200, 5), Is.Zero);
        Assert.That(wasi.Memory.ReadString(200, 5), Is.EqualTo("/data"));
        Assert.That(wasi.Call("fd_prestat_dir_name", Data, 200, 4), Is.EqualTo(Errno.NameTooLong));
        Assert.That(wasi.Call("fd_prestat_get", 4, 100), Is.EqualTo(Errno.BadFileDescriptor));
        Assert.That(wasi.Call("fd_prestat_get", 1, 100), Is.EqualTo(Errno.BadFileDescriptor));
        Assert.That(wasi.Call("fd_fdstat_get", Data, 100), Is.Zero);
        Assert.That(wasi.ReadByte(100), Is.EqualTo(FileType.Directory));
    }

    [Test]
    public void NoPreopensMeansNoFileSystem()
    {
        using var wasi = new WasiHarness();
        Assert.That(wasi.Call("fd_prestat_get", 3, 100), Is.EqualTo(Errno.BadFileDescriptor));
        Assert.That(wasi.Open(3, "input.txt").Errno, Is.EqualTo(Errno.BadFileDescriptor));
    }

    [Test]
    public void OpenAndReadAFile()
    {
        using var wasi = Harness();
        var (errno, fd) = wasi.Open(Data, "input.txt");
        Assert.That(errno, Is.Zero);
        Assert.That(fd, Is.EqualTo(4));
        Assert.That(wasi.ReadAll(fd), Is.EqualTo("hello\nworld\n"));
        Assert.That(wasi.Open(Data, "sub/../sub/./nested.txt").Errno, Is.Zero);
        Assert.That(wasi.Call("fd_close", fd), Is.Zero);
        Assert.That(wasi.Open(Data, "link-in").Fd, Is.EqualTo(4), "the lowest free descriptor is reused");
        Assert.That(wasi.ReadAll(4), Is.EqualTo("nested"));
    }

    [TestCase("../outside.txt")]
    [TestCase("/etc/passwd")]
    [TestCase("/data/input.txt")]
    [TestCase("sub/../../outside.txt")]
    [TestCase("..")]
    [TestCase("link-out")]
    [TestCase("abs-out")]
    [TestCase("sub/up/../outside.txt")]
    [TestCase("sub/up/link-out")]
    public void EscapesAreRefusedWithEnotcapable(string path)
    {
        using var wasi = Harness();
        Assert.That(wasi.Open(Data, path).Errno, Is.EqualTo(Errno.NotCapable));
        Assert.That(wasi.Open(Data, path, Create | Exclusive, WasiHarness.WriteRights, lookupFlags: 0).Errno,
            Is.EqualTo(path.EndsWith("link-out") || path == "abs-out" ? Errno.Exists : Errno.NotCapable), "O_EXCL does not follow a final link");
        const int pathAddress = 60000, statAddress = 50000;
        int length = wasi.Put(pathAddress, path);
        Assert.That(wasi.Call("path_filestat_get", Data, 1, pathAddress, length, statAddress), Is.EqualTo(Errno.NotCapable));
        Assert.That(File.ReadAllText(Path.Combine(_root, "outside.txt")), Is.EqualTo("secret"));
    }

    [Test]
    public void EscapesCannotCreateOrRemoveAnything()
    {
        using var wasi = Harness();
        Assert.That(wasi.PathCall("path_create_directory", Data, "../escaped"), Is.EqualTo(Errno.NotCapable));
        Assert.That(wasi.PathCall("path_unlink_file", Data, "../outside.txt"), Is.EqualTo(Errno.NotCapable));
        Assert.That(wasi.Open(Data, "../new.txt", Create, WasiHarness.WriteRights).Errno, Is.EqualTo(Errno.NotCapable));
        Assert.That(wasi.Open(Data, "link-out", Truncate, WasiHarness.WriteRights).Errno, Is.EqualTo(Errno.NotCapable));
        Assert.That(Directory.Exists(Path.Combine(_root, "escaped")), Is.False);
        Assert.That(File.Exists(Path.Combine(_root, "new.txt")), Is.False);
        Assert.That(File.ReadAllText(Path.Combine(_root, "outside.txt")), Is.EqualTo("secret"));
    }

    [Test]
    public void SymlinkLoopsGiveEloop()
    {
        using var wasi = Harness();
        Assert.That(wasi.Open(Data, "loop").Errno, Is.EqualTo(Errno.Loop));
        Assert.That(wasi.Open(Data, "loop", lookupFlags: 0).Errno, Is.EqualTo(Errno.Loop), "O_NOFOLLOW on a link");
    }

    [Test]
    public void OpenErrorsFollowPosix()
    {
        using var wasi = Harness();
        Assert.That(wasi.Open(Data, "missing.txt").Errno, Is.EqualTo(Errno.NoEntry));
        Assert.That(wasi.Open(Data, "").Errno, Is.EqualTo(Errno.NoEntry));
        Assert.That(wasi.Open(Data, "input.txt/x").Errno, Is.EqualTo(Errno.NotDirectory));
        Assert.That(wasi.Open(Data, "input.txt", DirectoryFlag).Errno, Is.EqualTo(Errno.NotDirectory));
        Assert.That(wasi.Open(Data, "input.txt", Create | Exclusive, WasiHarness.WriteRights).Errno, Is.EqualTo(Errno.Exists));
        Assert.That(wasi.Open(Data, "sub", 0, WasiHarness.WriteRights).Errno, Is.EqualTo(Errno.IsDirectory));
        Assert.That(wasi.Open(1, "input.txt").Errno, Is.EqualTo(Errno.NotDirectory));
        const int pathAddress = 60000;
        Assert.That(wasi.Call("path_open", Data, 1, pathAddress, 5, 0, WasiHarness.ReadRights, 0L, 0, (int)wasi.Memory.Length), Is.EqualTo(Errno.Fault));
        Assert.That(wasi.Call("path_open", Data, 1, (int)wasi.Memory.Length - 2, 5, 0, WasiHarness.ReadRights, 0L, 0, 100), Is.EqualTo(Errno.Fault));
        wasi.Memory.GetSpan(pathAddress, 2).Fill(0xFF);
        Assert.That(wasi.Call("path_open", Data, 1, pathAddress, 2, 0, WasiHarness.ReadRights, 0L, 0, 100), Is.EqualTo(Errno.IllegalSequence));
    }

    [Test]
    public void CreateWriteSeekAndReadBack()
    {
        using var wasi = Harness();
        var (errno, fd) = wasi.Open(Data, "new.txt", Create | Exclusive, WasiHarness.ReadWriteRights);
        Assert.That(errno, Is.Zero);
        Assert.That(wasi.Write(fd, "0123456789"), Is.Zero);
        Assert.That(wasi.Call("fd_tell", fd, 100), Is.Zero);
        Assert.That(wasi.ReadInt64(100), Is.EqualTo(10));
        Assert.That(wasi.Call("fd_seek", fd, -4L, 2, 100), Is.Zero);
        Assert.That(wasi.ReadInt64(100), Is.EqualTo(6));
        Assert.That(wasi.ReadAll(fd), Is.EqualTo("6789"));
        Assert.That(wasi.Call("fd_seek", fd, -1L, 0, 100), Is.EqualTo(Errno.Invalid));
        Assert.That(wasi.Call("fd_seek", fd, 0L, 3, 100), Is.EqualTo(Errno.Invalid));

        wasi.Put(300, "AB");
        wasi.PutIovec(200, 300, 2);
        Assert.That(wasi.Call("fd_pwrite", fd, 200, 1, 2L, 100), Is.Zero);
        wasi.PutIovec(200, 400, 6);
        Assert.That(wasi.Call("fd_pread", fd, 200, 1, 1L, 100), Is.Zero);
        Assert.That(wasi.Memory.ReadString(400, wasi.ReadInt32(100)), Is.EqualTo("1AB456"));
        Assert.That(wasi.Call("fd_tell", fd, 100), Is.Zero);
        Assert.That(wasi.ReadInt64(100), Is.EqualTo(10), "pread and pwrite leave the position alone");

        Assert.That(wasi.Call("fd_filestat_get", fd, 500), Is.Zero);
        Assert.That(wasi.ReadByte(516), Is.EqualTo(FileType.RegularFile));
        Assert.That(wasi.ReadInt64(532), Is.EqualTo(10));
        Assert.That(wasi.ReadInt64(548), Is.GreaterThan(0), "mtim");
        Assert.That(wasi.Call("fd_filestat_set_size", fd, 4L), Is.Zero);
        Assert.That(wasi.Call("fd_close", fd), Is.Zero);
        Assert.That(File.ReadAllText(Path.Combine(_data, "new.txt")), Is.EqualTo("01AB"));
    }

    [Test]
    public void AppendAndTruncate()
    {
        using var wasi = Harness();
        var (_, fd) = wasi.Open(Data, "input.txt", 0, WasiHarness.WriteRights, Append);
        Assert.That(wasi.Write(fd, "!"), Is.Zero);
        Assert.That(wasi.Call("fd_fdstat_get", fd, 100), Is.Zero);
        Assert.That(wasi.Memory.Read<ushort>(102), Is.EqualTo(Append));
        Assert.That(File.ReadAllText(Path.Combine(_data, "input.txt")), Is.EqualTo("hello\nworld\n!"));
        Assert.That(wasi.Open(Data, "input.txt", Truncate, WasiHarness.WriteRights).Errno, Is.Zero);
        Assert.That(File.ReadAllText(Path.Combine(_data, "input.txt")), Is.Empty);
    }

    [Test]
    public void ReadOnlyDescriptorsRefuseWritesAndViceVersa()
    {
        using var wasi = Harness();
        var (_, reader) = wasi.Open(Data, "input.txt");
        Assert.That(wasi.Write(reader, "x"), Is.EqualTo(Errno.BadFileDescriptor));
        var (_, writer) = wasi.Open(Data, "input.txt", 0, WasiHarness.WriteRights);
        wasi.PutIovec(100, 200, 4);
        Assert.That(wasi.Call("fd_read", writer, 100, 1, 300), Is.EqualTo(Errno.BadFileDescriptor));
        Assert.That(wasi.Call("fd_read", Data, 100, 1, 300), Is.EqualTo(Errno.IsDirectory));
    }

    [Test]
    public void ReadOnlyPreopenRefusesEveryChange()
    {
        using var wasi = Harness(readOnly: true);
        Assert.That(wasi.Open(Data, "input.txt").Errno, Is.Zero, "reading is fine");
        Assert.That(wasi.Open(Data, "input.txt", 0, WasiHarness.WriteRights).Errno, Is.EqualTo(Errno.ReadOnlyFileSystem));
        Assert.That(wasi.Open(Data, "input.txt", Truncate, WasiHarness.WriteRights).Errno, Is.EqualTo(Errno.ReadOnlyFileSystem));
        Assert.That(wasi.Open(Data, "new.txt", Create, WasiHarness.WriteRights).Errno, Is.EqualTo(Errno.ReadOnlyFileSystem));
        Assert.That(wasi.Open(Data, "new.txt", Create, WasiHarness.ReadRights).Errno, Is.EqualTo(Errno.ReadOnlyFileSystem));
        Assert.That(wasi.PathCall("path_create_directory", Data, "newdir"), Is.EqualTo(Errno.ReadOnlyFileSystem));
        Assert.That(wasi.PathCall("path_unlink_file", Data, "input.txt"), Is.EqualTo(Errno.ReadOnlyFileSystem));
        Assert.That(wasi.PathCall("path_remove_directory", Data, "sub"), Is.EqualTo(Errno.ReadOnlyFileSystem));
        int from = wasi.Put(100, "input.txt"), to = wasi.Put(200, "moved.txt");
        Assert.That(wasi.Call("path_rename", Data, 100, from, Data, 200, to), Is.EqualTo(Errno.ReadOnlyFileSystem));
        Assert.That(wasi.Call("fd_filestat_set_times", Data, 0L, 0L, 2), Is.EqualTo(Errno.ReadOnlyFileSystem));
        Assert.That(Directory.EnumerateFileSystemEntries(_data).Count(), Is.EqualTo(6));
        Assert.That(File.ReadAllText(Path.Combine(_data, "input.txt")), Is.EqualTo("hello\nworld\n"));
    }

    [Test]
    public void DirectoriesAreCreatedListedAndRemoved()
    {
        using var wasi = Harness();
        Assert.That(wasi.PathCall("path_create_directory", Data, "made"), Is.Zero);
        Assert.That(wasi.PathCall("path_create_directory", Data, "made"), Is.EqualTo(Errno.Exists));
        Assert.That(wasi.Open(Data, "made/file", Create, WasiHarness.WriteRights).Errno, Is.Zero);
        Assert.That(wasi.PathCall("path_remove_directory", Data, "made"), Is.EqualTo(Errno.NotEmpty));
        Assert.That(wasi.PathCall("path_remove_directory", Data, "input.txt"), Is.EqualTo(Errno.NotDirectory));
        Assert.That(wasi.PathCall("path_unlink_file", Data, "made"), Is.EqualTo(Errno.IsDirectory));
        Assert.That(wasi.PathCall("path_unlink_file", Data, "made/file"), Is.Zero);
        Assert.That(wasi.PathCall("path_unlink_file", Data, "made/file"), Is.EqualTo(Errno.NoEntry));
        Assert.That(wasi.PathCall("path_remove_directory", Data, "made"), Is.Zero);
        Assert.That(wasi.PathCall("path_remove_directory", Data, "."), Is.EqualTo(Errno.Busy));
        Assert.That(wasi.PathCall("path_unlink_file", Data, "link-out"), Is.Zero, "unlink removes the link, not its target");
        Assert.That(File.Exists(Path.Combine(_root, "outside.txt")), Is.True);
    }

    [Test]
    public void ReaddirListsEntriesWithTypesAndResumesFromACookie()
    {
        using var wasi = Harness();
        var (errno, fd) = wasi.Open(Data, "sub", DirectoryFlag);
        Assert.That(errno, Is.Zero);
        Assert.That(wasi.Call("fd_readdir", fd, 1000, 4096, 0L, 100), Is.Zero);
        var entries = ReadDirents(wasi, 1000, wasi.ReadInt32(100));
        Assert.That(entries.Select(e => (e.Name, e.Type)), Is.EqualTo(new[]
        {
            (".", FileType.Directory), ("..", FileType.Directory), ("nested.txt", FileType.RegularFile), ("up", FileType.SymbolicLink),
        }));
        Assert.That(entries.Select(e => e.Next), Is.EqualTo(new long[] { 1, 2, 3, 4 }));

        // A buffer that ends inside an entry is filled completely: the guest asks again from the last whole entry's cookie.
        Assert.That(wasi.Call("fd_readdir", fd, 1000, 30, 0L, 100), Is.Zero);
        Assert.That(wasi.ReadInt32(100), Is.EqualTo(30));
        Assert.That(wasi.Call("fd_readdir", fd, 1000, 4096, 2L, 100), Is.Zero);
        Assert.That(ReadDirents(wasi, 1000, wasi.ReadInt32(100)).Select(e => e.Name), Is.EqualTo(new[] { "nested.txt", "up" }));
        Assert.That(wasi.Call("fd_readdir", fd, 1000, 4096, 4L, 100), Is.Zero);
        Assert.That(wasi.ReadInt32(100), Is.Zero);
        Assert.That(wasi.Call("fd_readdir", 1, 1000, 4096, 0L, 100), Is.EqualTo(Errno.NotDirectory));
    }

    [Test]
    public void StatFollowsLinksOnlyWhenAsked()
    {
        using var wasi = Harness();
        int length = wasi.Put(60000, "link-in");
        Assert.That(wasi.Call("path_filestat_get", Data, 0, 60000, length, 100), Is.Zero);
        Assert.That(wasi.ReadByte(116), Is.EqualTo(FileType.SymbolicLink));
        Assert.That(wasi.Call("path_filestat_get", Data, 1, 60000, length, 100), Is.Zero);
        Assert.That(wasi.ReadByte(116), Is.EqualTo(FileType.RegularFile));
        Assert.That(wasi.ReadInt64(132), Is.EqualTo(6));
        Assert.That(wasi.Call("path_readlink", Data, 60000, length, 200, 100, 300), Is.Zero);
        Assert.That(wasi.Memory.ReadString(200, wasi.ReadInt32(300)), Is.EqualTo("sub/nested.txt"));
        length = wasi.Put(60000, "link-out");
        Assert.That(wasi.Call("path_filestat_get", Data, 0, 60000, length, 100), Is.Zero, "lstat of a link pointing out is harmless");
        Assert.That(wasi.Call("path_filestat_get", Data, 1, 60000, length, 100), Is.EqualTo(Errno.NotCapable));
    }

    [Test]
    public void RenameMovesFilesAndDirectories()
    {
        using var wasi = Harness();
        int Rename(string from, string to)
        {
            int fromLength = wasi.Put(100, from), toLength = wasi.Put(300, to);
            return wasi.Call("path_rename", Data, 100, fromLength, Data, 300, toLength);
        }
        Assert.That(Rename("input.txt", "sub/moved.txt"), Is.Zero);
        Assert.That(File.ReadAllText(Path.Combine(_data, "sub", "moved.txt")), Is.EqualTo("hello\nworld\n"));
        Assert.That(Rename("input.txt", "again.txt"), Is.EqualTo(Errno.NoEntry));
        Assert.That(Rename("sub/moved.txt", "sub/nested.txt"), Is.Zero, "replaces a file");
        Assert.That(Rename("sub", "renamed"), Is.Zero);
        Assert.That(Directory.Exists(Path.Combine(_data, "renamed")), Is.True);
        Assert.That(Rename("renamed", "renamed/inner"), Is.EqualTo(Errno.Invalid));
        Assert.That(Rename("renamed/nested.txt", "../stolen.txt"), Is.EqualTo(Errno.NotCapable));
        Assert.That(Rename("renamed/nested.txt", "renamed"), Is.EqualTo(Errno.IsDirectory));
    }

    [Test]
    public void FilesStayOpenUntilTheContextIsDisposed()
    {
        var wasi = Harness();
        var (_, fd) = wasi.Open(Data, "created.txt", Create, WasiHarness.WriteRights);
        Assert.That(wasi.Write(fd, "data"), Is.Zero);
        wasi.Dispose();
        Assert.That(wasi.Write(fd, "more"), Is.EqualTo(Errno.BadFileDescriptor));
        Assert.That(File.ReadAllText(Path.Combine(_data, "created.txt")), Is.EqualTo("data"));
    }

    [Test]
    public void MissingPreopenIsAConfigurationError()
    {
        var config = new WasiConfiguration().WithPreopenedDirectory(Path.Combine(_root, "nope"), "/nope");
        Assert.Throws<ArgumentException>(() => new WasiContext(config));
    }

    private static List<(long Next, string Name, byte Type)> ReadDirents(WasiHarness wasi, int address, int used)
    {
        var entries = new List<(long, string, byte)>();
        for (int at = address; at + 24 <= address + used;)
        {
            int nameLength = wasi.ReadInt32(at + 16);
            entries.Add((wasi.ReadInt64(at), Encoding.UTF8.GetString(wasi.Memory.GetSpan(at + 24, nameLength)), wasi.ReadByte(at + 20)));
            at += 24 + nameLength;
        }
        return entries;
    }
}
