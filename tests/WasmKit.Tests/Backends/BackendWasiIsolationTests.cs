using System.Text;
using WasmKit.Backends;
using WasmKit.Pooling;
using WasmKit.Tests.Support;
using WasmKit.Wasi;

namespace WasmKit.Tests.Backends;

/// <summary>
/// WASI configured through the seam (<see cref="BackendImports.Wasi"/>) is per instance on every backend: one
/// instance's open files, output budget and stdin position are invisible to another made from the same imports,
/// a pooled instance's WASI state does not survive into the next rent, and disposing an instance closes the
/// host files its guest opened.
/// </summary>
[TestFixtureSource(typeof(BackendFixtures), nameof(BackendFixtures.All))]
public class BackendWasiIsolationTests(BackendFixture fixture)
{
    private const int BadDescriptor = 8;

    // Scratch layout: an iovec at 0, the call's out-value at 16, paths at 100, data at 1024.
    private const string Guest = """
        (module
          (import "wasi_snapshot_preview1" "path_open"
            (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_fdstat_get" (func $fd_fdstat_get (param i32 i32) (result i32)))
          (memory (export "memory") 1)
          ;; Creates (or opens) the file named at 100 in the first preopen; the new fd, or -errno.
          (func (export "open") (param $length i32) (result i32)
            (local $errno i32)
            (local.set $errno (call $path_open (i32.const 3) (i32.const 0) (i32.const 100) (local.get $length)
              (i32.const 1) (i64.const 0x1fffffff) (i64.const 0x1fffffff) (i32.const 0) (i32.const 16)))
            (if (result i32) (local.get $errno)
              (then (i32.sub (i32.const 0) (local.get $errno)))
              (else (i32.load (i32.const 16)))))
          ;; Writes the bytes at 1024; the count written, or -errno.
          (func (export "write") (param $fd i32) (param $length i32) (result i32)
            (local $errno i32)
            (i32.store (i32.const 0) (i32.const 1024))
            (i32.store (i32.const 4) (local.get $length))
            (local.set $errno (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 16)))
            (if (result i32) (local.get $errno)
              (then (i32.sub (i32.const 0) (local.get $errno)))
              (else (i32.load (i32.const 16)))))
          ;; Reads into 1024; the count read, or -errno.
          (func (export "read") (param $fd i32) (param $length i32) (result i32)
            (local $errno i32)
            (i32.store (i32.const 0) (i32.const 1024))
            (i32.store (i32.const 4) (local.get $length))
            (local.set $errno (call $fd_read (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 16)))
            (if (result i32) (local.get $errno)
              (then (i32.sub (i32.const 0) (local.get $errno)))
              (else (i32.load (i32.const 16)))))
          (func (export "close") (param $fd i32) (result i32) (call $fd_close (local.get $fd)))
          ;; 0 when the descriptor is open, its errno (EBADF = 8) when not.
          (func (export "stat") (param $fd i32) (result i32) (call $fd_fdstat_get (local.get $fd) (i32.const 200))))
        """;

    private static byte[]? s_guest;

    private IBackendModule _module = null!;
    private DirectoryInfo _directory = null!;

    [SetUp]
    public void SetUp()
    {
        _module = fixture.CreateBackend().Compile(s_guest ??= Wat.ToWasm(Guest), "wasi-isolation");
        _directory = Directory.CreateTempSubdirectory("wasmkit-wasi-isolation-");
    }

    [TearDown]
    public void TearDown() => _directory.Delete(recursive: true);

    private WasiConfiguration Configuration() => new WasiConfiguration().WithPreopenedDirectory(_directory.FullName, "/data");

    private IBackendInstance Instantiate(BackendImports imports) => _module.Instantiate(new BackendInstanceOptions { Imports = imports });

    private int Call(IBackendInstance instance, string export, params int[] arguments) =>
        (int)_module.GetInvoker(export)!.Invoke(instance, arguments.Select(a => (ulong)(uint)a).ToArray());

    private int Open(IBackendInstance instance, string name)
    {
        byte[] path = Encoding.UTF8.GetBytes(name);
        path.CopyTo(instance.WriteMemory(100, path.Length));
        return Call(instance, "open", path.Length);
    }

    private int Write(IBackendInstance instance, int fd, string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        bytes.CopyTo(instance.WriteMemory(1024, bytes.Length));
        return Call(instance, "write", fd, bytes.Length);
    }

    private string Read(IBackendInstance instance, int fd, int length)
    {
        int count = Call(instance, "read", fd, length);
        Assert.That(count, Is.GreaterThanOrEqualTo(0), "fd_read failed");
        return Encoding.UTF8.GetString(instance.ReadMemory(1024, count));
    }

    /// <summary>Whether this process holds a descriptor open on <paramref name="path"/> (Linux: /proc/self/fd).</summary>
    private static bool ProcessHoldsOpen(string path)
    {
        foreach (string link in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            string? target;
            try
            {
                target = new FileInfo(link).LinkTarget;
            }
            catch (IOException)
            {
                continue; // Closed while listing.
            }
            if (target == path) return true;
        }
        return false;
    }

    private static void RequireProcFileDescriptors()
    {
        if (!Directory.Exists("/proc/self/fd")) Assert.Ignore("Needs /proc/self/fd to see which files the process holds open.");
    }

    [Test]
    public void AFileOpenedByOneInstanceIsNotVisibleToAnother()
    {
        var imports = new BackendImports { Wasi = Configuration() };
        using var first = Instantiate(imports);
        using var second = Instantiate(imports);
        int fd = Open(first, "first.txt");
        Assert.That(fd, Is.GreaterThan(3), "path_open");
        Assert.That(Call(first, "stat", fd), Is.Zero);
        Assert.That(Call(second, "stat", fd), Is.EqualTo(BadDescriptor), "the other instance has no such descriptor");
        Assert.That(Write(second, fd, "intruder"), Is.EqualTo(-BadDescriptor));
        Assert.That(Call(second, "close", fd), Is.EqualTo(BadDescriptor), "nor may it close the first one's");
        int secondFd = Open(second, "second.txt");
        Assert.That(secondFd, Is.GreaterThan(3));
        Assert.That(Write(first, fd, "one"), Is.EqualTo(3));
        Assert.That(Write(second, secondFd, "two"), Is.EqualTo(3));
        Assert.That(Call(first, "close", fd), Is.Zero);
        Assert.That(Call(second, "close", secondFd), Is.Zero);
        Assert.That(File.ReadAllText(Path.Combine(_directory.FullName, "first.txt")), Is.EqualTo("one"));
        Assert.That(File.ReadAllText(Path.Combine(_directory.FullName, "second.txt")), Is.EqualTo("two"));
    }

    [Test]
    public void TheOutputBudgetIsCountedPerInstance()
    {
        var stdout = new MemoryStream();
        var configuration = Configuration();
        configuration.Stdout = stdout;
        configuration.MaxOutputBytes = 5;
        var imports = new BackendImports { Wasi = configuration };
        using var first = Instantiate(imports);
        using var second = Instantiate(imports);
        Assert.That(Write(first, 1, "11111"), Is.EqualTo(5));
        // Past its budget: the managed engine says EFBIG, Wasmtime drops the bytes; either way none reach stdout.
        Write(first, 1, "xx");
        Assert.That(Write(second, 1, "22222"), Is.EqualTo(5), "the second instance has a budget of its own");
        Assert.That(Encoding.UTF8.GetString(stdout.ToArray()), Is.EqualTo("1111122222"));
    }

    [Test]
    public void EachInstanceReadsStdinFromItsStart()
    {
        var configuration = Configuration().WithStdin("abc");
        var imports = new BackendImports { Wasi = configuration };
        using var first = Instantiate(imports);
        Assert.That(Read(first, 0, 16), Is.EqualTo("abc"));
        Assert.That(Read(first, 0, 16), Is.Empty, "end of stdin");
        using var second = Instantiate(imports);
        Assert.That(Read(second, 0, 2), Is.EqualTo("ab"));
        Assert.That(Read(second, 0, 16), Is.EqualTo("c"));
    }

    [Test]
    public void InstancesOnSeveralThreadsShareStdoutWithoutLosingWrites()
    {
        const int Writes = 20000;
        var stdout = new MemoryStream();
        var configuration = Configuration();
        configuration.Stdout = stdout;
        var imports = new BackendImports { Wasi = configuration };
        using var start = new Barrier(2);
        var writers = new[] { "a", "b" }.Select(letter => Task.Factory.StartNew(() =>
        {
            using var instance = Instantiate(imports);
            start.SignalAndWait();
            int failed = 0;
            for (int i = 0; i < Writes; i++)
                if (Write(instance, 1, letter + letter + "\n") != 3) failed++;
            return failed;
        }, TaskCreationOptions.LongRunning)).ToArray();
        Assert.That(writers.Sum(writer => writer.Result), Is.Zero, "every write succeeded whole");
        string[] lines = Encoding.UTF8.GetString(stdout.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(2 * Writes));
        Assert.That(lines.Count(line => line == "aa"), Is.EqualTo(Writes), "each write lands whole");
        Assert.That(lines.Count(line => line == "bb"), Is.EqualTo(Writes));
    }

    [Test]
    public void APooledInstanceStartsEachRentWithAFreshWasiState()
    {
        RequireProcFileDescriptors();
        var stdout = new MemoryStream();
        var configuration = Configuration().WithStdin("abc");
        configuration.Stdout = stdout;
        configuration.MaxOutputBytes = 3;
        using var pool = new InstancePool(_module, new BackendInstanceOptions { Imports = new BackendImports { Wasi = configuration } },
            new InstancePoolOptions { MaximumInstances = 1 });
        string file = Path.Combine(_directory.FullName, "left-open.txt");
        int fd;
        using (var rent = pool.Rent())
        {
            fd = Open(rent.BackendInstance, "left-open.txt");
            Assert.That(fd, Is.GreaterThan(3));
            Assert.That(Read(rent.BackendInstance, 0, 16), Is.EqualTo("abc"));
            Assert.That(Write(rent.BackendInstance, 1, "one"), Is.EqualTo(3));
            Assert.That(ProcessHoldsOpen(file), Is.True);
            Assert.That(Call(rent.BackendInstance, "close", 3), Is.Zero, "the guest may close its preopen");
        }
        Assert.That(ProcessHoldsOpen(file), Is.False, "the return closed the file the rent left open");
        using (var rent = pool.Rent())
        {
            Assert.That(pool.Metrics.Created, Is.EqualTo(1), "the same instance, reset");
            Assert.That(Call(rent.BackendInstance, "stat", fd), Is.EqualTo(BadDescriptor), "the last rent's descriptor is gone");
            Assert.That(Read(rent.BackendInstance, 0, 16), Is.EqualTo("abc"), "stdin from its start");
            Assert.That(Write(rent.BackendInstance, 1, "two"), Is.EqualTo(3), "a fresh output budget");
            Assert.That(Open(rent.BackendInstance, "again.txt"), Is.GreaterThan(3), "the preopen is back");
        }
        Assert.That(Encoding.UTF8.GetString(stdout.ToArray()), Is.EqualTo("onetwo"));
    }

    [Test]
    public void DisposingAnInstanceClosesTheFilesItsGuestOpened()
    {
        RequireProcFileDescriptors();
        var imports = new BackendImports { Wasi = Configuration() };
        var instance = Instantiate(imports);
        string file = Path.Combine(_directory.FullName, "instance.txt");
        Assert.That(Open(instance, "instance.txt"), Is.GreaterThan(3));
        Assert.That(ProcessHoldsOpen(file), Is.True);
        instance.Dispose();
        Assert.That(ProcessHoldsOpen(file), Is.False);
    }

    [Test]
    public void DisposingAPoolClosesTheFilesOfItsInstances()
    {
        RequireProcFileDescriptors();
        var pool = new InstancePool(_module, new BackendInstanceOptions { Imports = new BackendImports { Wasi = Configuration() } },
            new InstancePoolOptions { MaximumInstances = 1 });
        string file = Path.Combine(_directory.FullName, "pooled.txt");
        var rent = pool.Rent();
        Assert.That(Open(rent.BackendInstance, "pooled.txt"), Is.GreaterThan(3));
        pool.Dispose();
        Assert.That(ProcessHoldsOpen(file), Is.True, "a rented instance lives until it comes back");
        rent.Dispose();
        Assert.That(ProcessHoldsOpen(file), Is.False, "coming back to a disposed pool, it was discarded with its files");
    }

    [Test]
    public void AnInstanceMadeWithTheManagedLinkerDirectlyHasNoWasiStateToShare()
    {
        fixture.RequireManaged("the managed backend's linker");
        var backend = (WasmKit.Backends.Managed.ManagedBackend)_module.Backend;
        var linker = backend.GetLinker(new BackendImports { Wasi = Configuration() });
        var module = ((WasmKit.Backends.Managed.ManagedBackendModule)_module).Module;
        using var store = new Store(backend.Engine) { Fuel = long.MaxValue };
        var instance = linker.Instantiate(store, module);
        var stat = instance.GetFunction("stat")!;
        Assert.That(() => stat.Invoke(1), Throws.InvalidOperationException.With.Message.Contains("no WASI state"));
    }
}
