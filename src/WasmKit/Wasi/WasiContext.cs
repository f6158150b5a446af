using System.Text;

namespace WasmKit.Wasi;

/// <summary>
/// The state of one WASI program: its file descriptor table (standard streams, preopened
/// directories, files it opened), arguments and environment, and the <c>wasi_snapshot_preview1</c>
/// functions that act on them. Define it in a linker with
/// <see cref="WasiLinkerExtensions.DefineWasi(Linker, WasiContext)"/>; use one context per program
/// run and from one thread at a time. Disposing it closes the files the guest left open.
/// </summary>
/// <remarks>
/// The guest sees only what the configuration grants. Paths resolve inside a preopened directory:
/// absolute paths, ".." above its root and symbolic links leading out fail with ENOTCAPABLE.
/// A directory the guest opened is resolved again from its preopen's root at every use, so no
/// rename can make it lead outside; <c>path_readlink</c> returns only relative link text that
/// stays inside. FIFOs, sockets and devices are refused with ENOTSUP (opening them could block).
/// On Linux each preopen is held open as a directory descriptor and every lookup and action
/// (open, create, unlink, mkdir, rmdir, rename, stat, set times, readlink, readdir) goes through
/// descriptors opened beneath it without following any link (<c>openat2</c> with
/// <c>RESOLVE_BENEATH</c>, or <c>openat(O_NOFOLLOW)</c> per component on kernels before 5.6), and
/// files are opened with <c>O_NONBLOCK</c> and checked to be regular: another process renaming
/// things in a writable preopen at the same time can make a call fail, never act outside the
/// preopen or block. On other systems actions go by host path after the lookup, and an opened
/// file's handle is checked to lie inside the root; there a concurrent rename by another process
/// between the lookup and the action could still redirect a creation, removal or rename. The limits of
/// <see cref="WasiConfiguration"/> apply: <see cref="WasiConfiguration.MaxOutputBytes"/> (EFBIG),
/// <see cref="WasiConfiguration.MaxOpenDescriptors"/> (EMFILE), <see cref="WasiConfiguration.MaxPollWait"/>
/// (EAGAIN), and bytes moved cost fuel (<see cref="WasiConfiguration.BytesPerFuelUnit"/>).
/// Bad guest pointers give EFAULT; host I/O errors become WASI error numbers. Functions WasmKit
/// does not implement (sockets, <c>proc_raise</c>, <c>path_link</c>, <c>path_symlink</c>) return ENOSYS.
/// </remarks>
public sealed partial class WasiContext : IDisposable
{
    /// <summary>The import module name of WASI preview 1.</summary>
    public const string ModuleName = "wasi_snapshot_preview1";

    private readonly List<Descriptor?> _descriptors = [];
    private readonly List<Sandbox> _sandboxes = [];
    private readonly List<string> _preopenNames = [];
    private readonly byte[][] _arguments;
    private readonly byte[][] _environment;
    private readonly long _maxOutputBytes;
    private readonly int _bytesPerFuelUnit;
    private readonly int _maxOpenDescriptors;
    private readonly long _maxPollWaitNanoseconds;
    private readonly bool _stdioIsTerminal;
    private readonly Stream _stdout;
    private readonly Stream _stderr;
    // Stdin: a stream read as it goes, or (for a context made by a WasiContextFactory) bytes each reset reads from their start.
    private readonly Stream? _stdinStream;
    private readonly byte[]? _stdinBytes;

    /// <summary>Descriptors open now (non-null entries of the table), against <see cref="WasiConfiguration.MaxOpenDescriptors"/>.</summary>
    private int _openDescriptors;

    /// <summary>Bytes written to stdout and stderr so far, against <see cref="WasiConfiguration.MaxOutputBytes"/>.</summary>
    private long _outputBytes;

    /// <summary>Creates the context, reading <paramref name="configuration"/> once: later changes to it do not apply.</summary>
    /// <param name="configuration">What the guest may see.</param>
    /// <exception cref="ArgumentException">An argument or variable contains a NUL character, or a preopened directory does not exist.</exception>
    public WasiContext(WasiConfiguration configuration)
        : this(configuration, EncodeArguments(configuration), EncodeEnvironment(configuration),
            configuration.Stdout ?? Stream.Null, configuration.Stderr ?? Stream.Null, configuration.Stdin ?? Stream.Null, stdinBytes: null)
    {
    }

    /// <summary>A context of a <see cref="WasiContextFactory"/>: its encoded strings, its (synchronized) output streams, stdin as bytes.</summary>
    internal WasiContext(WasiConfiguration configuration, byte[][] arguments, byte[][] environment, Stream stdout, Stream stderr, Stream? stdinStream, byte[]? stdinBytes)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        Configuration = configuration;
        _arguments = arguments;
        _environment = environment;
        _stdout = stdout;
        _stderr = stderr;
        _stdinStream = stdinStream;
        _stdinBytes = stdinBytes;
        _stdioIsTerminal = configuration.StdioIsTerminal;
        _maxOutputBytes = configuration.MaxOutputBytes;
        _bytesPerFuelUnit = configuration.BytesPerFuelUnit;
        _maxOpenDescriptors = configuration.MaxOpenDescriptors;
        _maxPollWaitNanoseconds = configuration.MaxPollWait >= TimeSpan.FromTicks(long.MaxValue / 100) ? long.MaxValue : configuration.MaxPollWait.Ticks * 100;
        try
        {
            foreach (var preopen in configuration.PreopenedDirectories)
            {
                ArgumentNullException.ThrowIfNull(preopen, nameof(configuration));
                _sandboxes.Add(new Sandbox(preopen.HostPath, preopen.ReadOnly));
                _preopenNames.Add(preopen.GuestPath);
            }
        }
        catch
        {
            foreach (var sandbox in _sandboxes) sandbox.Dispose();
            throw;
        }
        OpenInitialDescriptors();
    }

    /// <summary>The configuration the context was created from.</summary>
    public WasiConfiguration Configuration { get; }

    /// <summary>The code the guest passed to <c>proc_exit</c>, or <see langword="null"/> if it has not called it.</summary>
    public int? ExitCode { get; private set; }

    /// <summary>Closes every file the guest opened. The host's standard streams stay open.</summary>
    public void Dispose()
    {
        CloseAllDescriptors();
        foreach (var sandbox in _sandboxes) sandbox.Dispose();
    }

    /// <summary>
    /// Puts the program state back to how it started, keeping the preopened directories' host handles: closes
    /// every file the guest opened, gives back stdin, stdout, stderr and the preopens at their numbers, starts
    /// stdin again (from its first byte when the context holds it as bytes), and zeroes the output counted
    /// against <see cref="WasiConfiguration.MaxOutputBytes"/> and <see cref="ExitCode"/>.
    /// </summary>
    internal void Reset()
    {
        CloseAllDescriptors();
        _descriptors.Clear();
        _outputBytes = 0;
        ExitCode = null;
        OpenInitialDescriptors();
    }

    /// <summary>Fills the empty table: stdin, stdout, stderr, then one descriptor per preopened directory.</summary>
    private void OpenInitialDescriptors()
    {
        var stdin = _stdinBytes is { } bytes ? new MemoryStream(bytes, writable: false) : _stdinStream ?? Stream.Null;
        _descriptors.Add(new StreamDescriptor(stdin, canRead: true, canWrite: false, _stdioIsTerminal));
        _descriptors.Add(new StreamDescriptor(_stdout, canRead: false, canWrite: true, _stdioIsTerminal) { IsStandardOutput = true });
        _descriptors.Add(new StreamDescriptor(_stderr, canRead: false, canWrite: true, _stdioIsTerminal) { IsStandardOutput = true });
        for (int i = 0; i < _sandboxes.Count; i++)
            _descriptors.Add(new DirectoryDescriptor(_sandboxes[i], [], _preopenNames[i]));
        _openDescriptors = _descriptors.Count;
    }

    /// <summary>Closes every descriptor; one whose last buffered write fails to flush is closed all the same, and the others still are.</summary>
    private void CloseAllDescriptors()
    {
        for (int fd = 0; fd < _descriptors.Count; fd++)
        {
            var descriptor = _descriptors[fd];
            _descriptors[fd] = null;
            try
            {
                descriptor?.Close();
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException or ObjectDisposedException)
            {
                // The handle is released even when the flush before it fails; the guest that wrote is gone.
            }
        }
        _openDescriptors = 0;
    }

    internal static byte[][] EncodeArguments(WasiConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return EncodeAll(configuration.Arguments, nameof(configuration));
    }

    internal static byte[][] EncodeEnvironment(WasiConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return EncodeAll(configuration.Environment.Select(v => $"{v.Key}={v.Value}"), nameof(configuration));
    }

    private static byte[][] EncodeAll(IEnumerable<string> values, string parameter) =>
        values.Select(value =>
        {
            if (value.Contains('\0')) throw new ArgumentException($"'{value}' contains a NUL character, which a C program cannot see.", parameter);
            return Encoding.UTF8.GetBytes(value + "\0");
        }).ToArray();

    private Descriptor GetDescriptor(int fd) =>
        (uint)fd < (uint)_descriptors.Count && _descriptors[fd] is { } descriptor
            ? descriptor
            : throw new WasiErrnoException(Errno.BadFileDescriptor);

    private DirectoryDescriptor GetDirectory(int fd) =>
        GetDescriptor(fd) as DirectoryDescriptor ?? throw new WasiErrnoException(Errno.NotDirectory);

    private StreamDescriptor GetStream(int fd, int errnoForDirectory) =>
        GetDescriptor(fd) as StreamDescriptor ?? throw new WasiErrnoException(errnoForDirectory);

    /// <summary>The open file behind <paramref name="fd"/>; ESPIPE for streams that cannot seek.</summary>
    private FileStream GetFile(int fd, int errnoForDirectory = Errno.BadFileDescriptor) =>
        GetStream(fd, errnoForDirectory).File ?? throw new WasiErrnoException(Errno.InvalidSeek);

    /// <summary>Raises EMFILE when the guest already has as many descriptors open as it may; checked before a host file is opened.</summary>
    private void RequireFreeDescriptor()
    {
        if (_openDescriptors >= _maxOpenDescriptors) throw new WasiErrnoException(Errno.TooManyFiles);
    }

    /// <summary>Adds a descriptor at the lowest free number, as POSIX does; EMFILE (closing it) past the limit.</summary>
    private int AddDescriptor(Descriptor descriptor)
    {
        if (_openDescriptors >= _maxOpenDescriptors)
        {
            descriptor.Close();
            throw new WasiErrnoException(Errno.TooManyFiles);
        }
        _openDescriptors++;
        int free = _descriptors.IndexOf(null);
        if (free >= 0)
        {
            _descriptors[free] = descriptor;
            return free;
        }
        _descriptors.Add(descriptor);
        return _descriptors.Count - 1;
    }

    /// <summary>Empties slot <paramref name="fd"/> and closes what was there.</summary>
    private void RemoveDescriptor(int fd)
    {
        var descriptor = _descriptors[fd];
        if (descriptor is null) return;
        _descriptors[fd] = null;
        _openDescriptors--;
        descriptor.Close();
    }

    /// <summary>
    /// Turns an exception from a WASI function into the error number the guest receives. Exits
    /// and traps are not errors: they keep unwinding the guest. Anything else, even unforeseen,
    /// becomes an errno, so no host exception reaches the embedder through a WASI call.
    /// </summary>
    private static bool TryGetErrno(Exception exception, out int errno)
    {
        errno = exception switch
        {
            WasiExitException or WasmTrapException => -1,
            WasiErrnoException wasi => wasi.Errno,
            FileNotFoundException or DirectoryNotFoundException => Errno.NoEntry,
            PathTooLongException => Errno.NameTooLong,
            UnauthorizedAccessException => Errno.Access,
            IOException io => HostErrno.ToWasi(io.HResult),
            ObjectDisposedException => Errno.BadFileDescriptor,
            NotSupportedException => Errno.NotSupported,
            ArgumentException => Errno.Invalid,
            OutOfMemoryException => Errno.NoMemory,
            _ => Errno.IO,
        };
        return errno >= 0;
    }
}
