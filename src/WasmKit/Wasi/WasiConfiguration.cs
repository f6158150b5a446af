namespace WasmKit.Wasi;

/// <summary>
/// What a WASI program may see: its arguments, environment, standard streams and preopened
/// directories. Sandboxed by default: no arguments, no environment variables, no directories, an
/// empty stdin, and stdout and stderr captured in memory. The builder methods return the same
/// configuration, so calls chain.
/// </summary>
/// <example>
/// <code>
/// var config = new WasiConfiguration()
///     .WithArguments("app.wasm", "--verbose")
///     .WithEnvironmentVariable("LANG", "C")
///     .WithPreopenedDirectory("/srv/data", "/data", readOnly: true);
/// </code>
/// </example>
public sealed class WasiConfiguration
{
    /// <summary>The whole argument vector, program name included, as <c>args_get</c> returns it.</summary>
    public IList<string> Arguments { get; } = new List<string>();

    /// <summary>The environment variables, in the order <c>environ_get</c> lists them.</summary>
    public IDictionary<string, string> Environment { get; } = new OrderedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The directories the guest may use, as file descriptors 3, 4, ... in this order.</summary>
    public IList<WasiPreopenedDirectory> PreopenedDirectories { get; } = new List<WasiPreopenedDirectory>();

    /// <summary>
    /// What the guest reads from file descriptor 0; empty by default. Through <c>BackendImports.Wasi</c> it is
    /// read to its end once, at the first instantiation (a console's until it closes), and every instance
    /// reads those bytes from the first.
    /// </summary>
    public Stream Stdin { get; set; } = Stream.Null;

    /// <summary>Where file descriptor 1 goes; a <see cref="MemoryStream"/> by default, which <see cref="WasiResult.Stdout"/> reads.</summary>
    public Stream Stdout { get; set; } = new MemoryStream();

    /// <summary>Where file descriptor 2 goes; a <see cref="MemoryStream"/> by default, which <see cref="WasiResult.Stderr"/> reads.</summary>
    public Stream Stderr { get; set; } = new MemoryStream();

    /// <summary>
    /// Whether the standard streams are reported to the guest as terminals; wasi-libc then
    /// line-buffers stdout. <see cref="InheritStdio"/> sets it for streams that are not redirected.
    /// </summary>
    public bool StdioIsTerminal { get; set; }

    /// <summary>
    /// The most bytes the guest may write to stdout and stderr together over the context's life
    /// (through <c>BackendImports.Wasi</c>: per instance, counted again from zero after each reset);
    /// 16 MiB by default. A write that would pass it writes what still fits and reports that count;
    /// once nothing fits, <c>fd_write</c> returns EFBIG and writes nothing. It bounds the memory a
    /// captured stream can take (a guest can otherwise write 512 MiB per call from one page).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public long MaxOutputBytes
    {
        get;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            field = value;
        }
    } = 16L << 20;

    /// <summary>
    /// How many bytes moved by a WASI call (<c>fd_read</c>, <c>fd_write</c>, <c>fd_pread</c>,
    /// <c>fd_pwrite</c>, <c>random_get</c>) cost one unit of fuel; 64 by default. Each call and each
    /// iovec costs one unit more. Charged only when the engine meters fuel (<see cref="EngineOptions.ConsumeFuel"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public int BytesPerFuelUnit
    {
        get;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            field = value;
        }
    } = 64;

    /// <summary>
    /// The most descriptors the guest may have open at once, counting stdin, stdout, stderr and the
    /// preopened directories; 1024 by default. Opening one more fails with EMFILE, so a guest cannot
    /// exhaust the host process's own file descriptors.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 3 (the standard streams).</exception>
    public int MaxOpenDescriptors
    {
        get;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 3);
            field = value;
        }
    } = 1024;

    /// <summary>
    /// The longest <c>poll_oneoff</c> waits when nothing else can end the wait: the engine neither
    /// meters fuel nor is interruptible. Past it the call returns EAGAIN with no events; one minute
    /// by default. With fuel, a millisecond waited costs one unit; an interruptible engine's wait
    /// ends at an interrupt.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public TimeSpan MaxPollWait
    {
        get;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            field = value;
        }
    } = TimeSpan.FromMinutes(1);

    /// <summary>Appends to <see cref="Arguments"/>; the first argument is the program name.</summary>
    /// <param name="arguments">The arguments.</param>
    /// <returns>This configuration.</returns>
    public WasiConfiguration WithArguments(params IEnumerable<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        foreach (var argument in arguments) Arguments.Add(argument ?? throw new ArgumentException("An argument is null.", nameof(arguments)));
        return this;
    }

    /// <summary>Sets an environment variable the guest sees.</summary>
    /// <param name="name">The name; must not contain '='.</param>
    /// <param name="value">The value.</param>
    /// <returns>This configuration.</returns>
    /// <exception cref="ArgumentException">The name is empty or contains '='.</exception>
    public WasiConfiguration WithEnvironmentVariable(string name, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        if (name.Contains('=')) throw new ArgumentException("An environment variable name cannot contain '='.", nameof(name));
        Environment[name] = value;
        return this;
    }

    /// <summary>Grants the guest a host directory.</summary>
    /// <param name="hostPath">The directory on the host; it must exist when the program is linked.</param>
    /// <param name="guestPath">The path the guest sees it as, such as <c>/data</c> or <c>.</c>.</param>
    /// <param name="readOnly">Whether the guest may only read.</param>
    /// <returns>This configuration.</returns>
    public WasiConfiguration WithPreopenedDirectory(string hostPath, string guestPath, bool readOnly = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(hostPath);
        ArgumentException.ThrowIfNullOrEmpty(guestPath);
        PreopenedDirectories.Add(new WasiPreopenedDirectory(hostPath, guestPath, readOnly));
        return this;
    }

    /// <summary>Sets what the guest reads from stdin.</summary>
    /// <param name="stdin">The stream; the guest reads it from its current position.</param>
    /// <returns>This configuration.</returns>
    public WasiConfiguration WithStdin(Stream stdin)
    {
        ArgumentNullException.ThrowIfNull(stdin);
        Stdin = stdin;
        return this;
    }

    /// <summary>Sets what the guest reads from stdin to the UTF-8 bytes of <paramref name="text"/>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>This configuration.</returns>
    public WasiConfiguration WithStdin(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return WithStdin(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text), writable: false));
    }

    /// <summary>Connects the guest's stdin, stdout and stderr to this process's.</summary>
    /// <returns>This configuration.</returns>
    public WasiConfiguration InheritStdio()
    {
        Stdin = Console.OpenStandardInput();
        Stdout = Console.OpenStandardOutput();
        Stderr = Console.OpenStandardError();
        StdioIsTerminal = !Console.IsOutputRedirected;
        return this;
    }
}
