using System.Text;
using WasmKit.Tests.Support;
using WasmKit.Wasi;

namespace WasmKit.Tests.Wasi;

/// <summary>
/// A module that imports every WASI function and exports a wrapper of the same name that calls it,
/// so a test can call a WASI function as guest code would (with the instance's memory), then look
/// at the memory and the captured streams.
/// </summary>
internal sealed class WasiHarness : IDisposable
{
    /// <summary>Every function of wasi_snapshot_preview1: parameter types and result type (empty for none).</summary>
    public static readonly IReadOnlyDictionary<string, (string Parameters, string Result)> Signatures = new Dictionary<string, (string, string)>
    {
        ["args_get"] = ("i32 i32", "i32"),
        ["args_sizes_get"] = ("i32 i32", "i32"),
        ["environ_get"] = ("i32 i32", "i32"),
        ["environ_sizes_get"] = ("i32 i32", "i32"),
        ["clock_res_get"] = ("i32 i32", "i32"),
        ["clock_time_get"] = ("i32 i64 i32", "i32"),
        ["fd_advise"] = ("i32 i64 i64 i32", "i32"),
        ["fd_allocate"] = ("i32 i64 i64", "i32"),
        ["fd_close"] = ("i32", "i32"),
        ["fd_datasync"] = ("i32", "i32"),
        ["fd_fdstat_get"] = ("i32 i32", "i32"),
        ["fd_fdstat_set_flags"] = ("i32 i32", "i32"),
        ["fd_fdstat_set_rights"] = ("i32 i64 i64", "i32"),
        ["fd_filestat_get"] = ("i32 i32", "i32"),
        ["fd_filestat_set_size"] = ("i32 i64", "i32"),
        ["fd_filestat_set_times"] = ("i32 i64 i64 i32", "i32"),
        ["fd_pread"] = ("i32 i32 i32 i64 i32", "i32"),
        ["fd_prestat_get"] = ("i32 i32", "i32"),
        ["fd_prestat_dir_name"] = ("i32 i32 i32", "i32"),
        ["fd_pwrite"] = ("i32 i32 i32 i64 i32", "i32"),
        ["fd_read"] = ("i32 i32 i32 i32", "i32"),
        ["fd_readdir"] = ("i32 i32 i32 i64 i32", "i32"),
        ["fd_renumber"] = ("i32 i32", "i32"),
        ["fd_seek"] = ("i32 i64 i32 i32", "i32"),
        ["fd_sync"] = ("i32", "i32"),
        ["fd_tell"] = ("i32 i32", "i32"),
        ["fd_write"] = ("i32 i32 i32 i32", "i32"),
        ["path_create_directory"] = ("i32 i32 i32", "i32"),
        ["path_filestat_get"] = ("i32 i32 i32 i32 i32", "i32"),
        ["path_filestat_set_times"] = ("i32 i32 i32 i32 i64 i64 i32", "i32"),
        ["path_link"] = ("i32 i32 i32 i32 i32 i32 i32", "i32"),
        ["path_open"] = ("i32 i32 i32 i32 i32 i64 i64 i32 i32", "i32"),
        ["path_readlink"] = ("i32 i32 i32 i32 i32 i32", "i32"),
        ["path_remove_directory"] = ("i32 i32 i32", "i32"),
        ["path_rename"] = ("i32 i32 i32 i32 i32 i32", "i32"),
        ["path_symlink"] = ("i32 i32 i32 i32 i32", "i32"),
        ["path_unlink_file"] = ("i32 i32 i32", "i32"),
        ["poll_oneoff"] = ("i32 i32 i32 i32", "i32"),
        ["proc_exit"] = ("i32", ""),
        ["proc_raise"] = ("i32", "i32"),
        ["sched_yield"] = ("", "i32"),
        ["random_get"] = ("i32 i32", "i32"),
        ["sock_accept"] = ("i32 i32 i32", "i32"),
        ["sock_recv"] = ("i32 i32 i32 i32 i32 i32", "i32"),
        ["sock_send"] = ("i32 i32 i32 i32 i32", "i32"),
        ["sock_shutdown"] = ("i32 i32", "i32"),
    };

    private static readonly Lazy<byte[]> ModuleBytes = new(() => Wat.ToWasm(BuildText()));

    public WasiHarness(WasiConfiguration? configuration = null, EngineOptions? engineOptions = null)
    {
        Configuration = configuration ?? new WasiConfiguration();
        var engine = engineOptions is null ? new Engine() : new Engine(engineOptions);
        var linker = new Linker(engine);
        Context = linker.DefineWasi(Configuration);
        Store = new Store(engine);
        if (engineOptions?.ConsumeFuel == true) Store.Fuel = long.MaxValue / 2;
        Instance = linker.Instantiate(Store, Module.FromBytes(engine, ModuleBytes.Value));
        Memory = Instance.GetMemory("memory")!;
    }

    public WasiConfiguration Configuration { get; }

    public WasiContext Context { get; }

    /// <summary>The store of the instance: its fuel and interrupts.</summary>
    public Store Store { get; }

    public Instance Instance { get; }

    /// <summary>One page (64 KiB) of guest memory.</summary>
    public Memory Memory { get; }

    public string Stdout => Encoding.UTF8.GetString(((MemoryStream)Configuration.Stdout).ToArray());

    public string Stderr => Encoding.UTF8.GetString(((MemoryStream)Configuration.Stderr).ToArray());

    /// <summary>Calls a WASI function from guest code; i32 arguments are ints, i64 arguments longs.</summary>
    public int Call(string name, params object[] arguments) => (int)Instance.GetFunction(name)!.Invoke(arguments)!;

    /// <summary>Writes a string's UTF-8 bytes at <paramref name="address"/>; returns its length.</summary>
    public int Put(int address, string text) => Memory.WriteString(address, text);

    /// <summary>Writes an iovec (pointer, length) at <paramref name="address"/>.</summary>
    public void PutIovec(int address, int buffer, int length)
    {
        Memory.Write(address, buffer);
        Memory.Write(address + 4, length);
    }

    public int ReadInt32(int address) => Memory.Read<int>(address);

    public long ReadInt64(int address) => Memory.Read<long>(address);

    public byte ReadByte(int address) => Memory.Read<byte>(address);

    /// <summary>Opens <paramref name="path"/> relative to <paramref name="directoryFd"/>; returns the errno and the new descriptor.</summary>
    public (int Errno, int Fd) Open(int directoryFd, string path, int openFlags = 0, long rights = ReadRights, int fdFlags = 0, int lookupFlags = 1)
    {
        const int pathAddress = 60000, resultAddress = 59000;
        int length = Put(pathAddress, path);
        Memory.Write(resultAddress, -1);
        int errno = Call("path_open", directoryFd, lookupFlags, pathAddress, length, openFlags, rights, 0L, fdFlags, resultAddress);
        return (errno, ReadInt32(resultAddress));
    }

    /// <summary>Calls a path function that takes (fd, path, path_len).</summary>
    public int PathCall(string name, int directoryFd, string path)
    {
        const int pathAddress = 60000;
        int length = Put(pathAddress, path);
        return Call(name, directoryFd, pathAddress, length);
    }

    /// <summary>Reads everything from <paramref name="fd"/> with fd_read.</summary>
    public string ReadAll(int fd)
    {
        const int iovec = 1000, buffer = 2000, countAddress = 1100;
        var text = new StringBuilder();
        while (true)
        {
            PutIovec(iovec, buffer, 100);
            Assert.That(Call("fd_read", fd, iovec, 1, countAddress), Is.Zero);
            int count = ReadInt32(countAddress);
            if (count == 0) return text.ToString();
            text.Append(Memory.ReadString(buffer, count));
        }
    }

    /// <summary>Writes <paramref name="text"/> to <paramref name="fd"/> with fd_write.</summary>
    public int Write(int fd, string text)
    {
        const int iovec = 1000, buffer = 2000, countAddress = 1100;
        PutIovec(iovec, buffer, Put(buffer, text));
        return Call("fd_write", fd, iovec, 1, countAddress);
    }

    public const long ReadRights = 1L << 1 | 1L << 14; // fd_read, fd_readdir

    public const long WriteRights = 1L << 6;

    public const long ReadWriteRights = ReadRights | WriteRights;

    public void Dispose() => Context.Dispose();

    private static string BuildText()
    {
        var text = new StringBuilder("(module\n");
        foreach (var (name, (parameters, result)) in Signatures)
            text.Append($"  (import \"wasi_snapshot_preview1\" \"{name}\" (func ${name} {Signature(parameters, result)}))\n");
        text.Append("  (memory (export \"memory\") 1)\n");
        foreach (var (name, (parameters, result)) in Signatures)
        {
            int count = parameters.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
            string arguments = string.Concat(Enumerable.Range(0, count).Select(i => $" (local.get {i})"));
            text.Append($"  (func (export \"{name}\") {Signature(parameters, result)} (call ${name}{arguments}))\n");
        }
        return text.Append(')').ToString();
    }

    private static string Signature(string parameters, string result) =>
        (parameters.Length > 0 ? $"(param {parameters})" : "") + (result.Length > 0 ? $" (result {result})" : "");
}
