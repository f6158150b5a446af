using WasmKit.Wasi;

namespace WasmKit.Tests.Wasi;

/// <summary>Issue 10, fault 7: a guest cannot exhaust the host's file descriptors.</summary>
public class WasiDescriptorLimitTests
{
    private const int Data = 3;

    private string _data = "";

    [SetUp]
    public void CreateTree()
    {
        _data = Directory.CreateTempSubdirectory("wasmkit-fdlimit-").FullName;
        File.WriteAllText(Path.Combine(_data, "file.txt"), "x");
    }

    [TearDown]
    public void RemoveTree() => Directory.Delete(_data, recursive: true);

    /// <summary>Opens file.txt until an error; returns the descriptors opened and the error.</summary>
    private static (List<int> Opened, int Errno) OpenUntilRefused(WasiHarness wasi, int atMost)
    {
        var opened = new List<int>();
        while (opened.Count < atMost)
        {
            var (errno, fd) = wasi.Open(Data, "file.txt");
            if (errno != 0) return (opened, errno);
            opened.Add(fd);
        }
        return (opened, 0);
    }

    [Test]
    public void OpeningFilesInALoopStopsWithEmfileAtTheDefaultLimit()
    {
        var configuration = new WasiConfiguration().WithPreopenedDirectory(_data, "/data");
        Assert.That(configuration.MaxOpenDescriptors, Is.EqualTo(1024), "the default");
        using var wasi = new WasiHarness(configuration);
        var (opened, errno) = OpenUntilRefused(wasi, 5000);
        Assert.That(errno, Is.EqualTo(Errno.TooManyFiles));
        Assert.That(opened, Has.Count.EqualTo(1024 - 4), "stdin, stdout, stderr and the preopen count too");
        Assert.That(wasi.Open(Data, ".", 2).Errno, Is.EqualTo(Errno.TooManyFiles), "directories count as well");
    }

    [Test]
    public void ClosingOneLetsAnotherOpen()
    {
        var configuration = new WasiConfiguration { MaxOpenDescriptors = 8 }.WithPreopenedDirectory(_data, "/data");
        using var wasi = new WasiHarness(configuration);
        var (opened, errno) = OpenUntilRefused(wasi, 100);
        Assert.That(errno, Is.EqualTo(Errno.TooManyFiles));
        Assert.That(opened, Has.Count.EqualTo(4));
        Assert.That(wasi.Call("fd_close", opened[1]), Is.Zero);
        var (again, fd) = wasi.Open(Data, "file.txt");
        Assert.That(again, Is.Zero);
        Assert.That(fd, Is.EqualTo(opened[1]));
        Assert.That(wasi.Open(Data, "file.txt").Errno, Is.EqualTo(Errno.TooManyFiles));

        // fd_renumber closes the descriptor it replaces, which frees a slot too.
        Assert.That(wasi.Call("fd_renumber", opened[0], opened[2]), Is.Zero);
        Assert.That(wasi.Open(Data, "file.txt").Errno, Is.Zero);
        Assert.That(wasi.Open(Data, "file.txt").Errno, Is.EqualTo(Errno.TooManyFiles));
    }

    [Test]
    public void TheLimitIsConfigurable()
    {
        var configuration = new WasiConfiguration { MaxOpenDescriptors = 2000 }.WithPreopenedDirectory(_data, "/data");
        using var wasi = new WasiHarness(configuration);
        var (opened, errno) = OpenUntilRefused(wasi, 5000);
        Assert.That(errno, Is.EqualTo(Errno.TooManyFiles));
        Assert.That(opened, Has.Count.EqualTo(2000 - 4));
        Assert.That(() => new WasiConfiguration { MaxOpenDescriptors = 2 }, Throws.TypeOf<ArgumentOutOfRangeException>(), "stdio needs three");
    }
}
