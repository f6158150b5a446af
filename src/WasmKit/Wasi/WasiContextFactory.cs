namespace WasmKit.Wasi;

/// <summary>
/// Makes the program states of one <see cref="WasiConfiguration"/> when every instance gets its own (WASI
/// configured through the backend seam): the configuration is read once, here, and each context shares what
/// cannot change (the encoded arguments and environment, stdin's bytes, the output streams), so that making
/// one costs the preopened directories' handles and a few objects.
/// </summary>
/// <remarks>
/// Stdin is read to its end from the configured stream at the first <see cref="Create"/> and kept as bytes:
/// each context (and each <see cref="WasiContext.Reset"/> of one) reads them from the first byte, as the
/// Wasmtime backend's stores do. Stdout and stderr are shared by the contexts, possibly on several threads,
/// so each write to them is serialized (<see cref="Stream.Synchronized"/>).
/// </remarks>
internal sealed class WasiContextFactory
{
    private readonly WasiConfiguration _configuration;
    private readonly byte[][] _arguments;
    private readonly byte[][] _environment;
    private readonly Stream _stdout;
    private readonly Stream _stderr;
    private readonly Stream _stdin;
    private readonly Lock _stdinGate = new();
    private byte[]? _stdinBytes;

    /// <summary>Reads <paramref name="configuration"/> and checks it now, so that a bad one fails where the imports are linked.</summary>
    /// <param name="configuration">What each guest may see.</param>
    /// <exception cref="ArgumentException">An argument or variable contains a NUL character, or a preopened directory does not exist.</exception>
    public WasiContextFactory(WasiConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        _configuration = Snapshot(configuration);
        _arguments = WasiContext.EncodeArguments(configuration);
        _environment = WasiContext.EncodeEnvironment(configuration);
        _stdout = Stream.Synchronized(configuration.Stdout ?? Stream.Null);
        _stderr = Stream.Synchronized(configuration.Stderr ?? Stream.Null);
        _stdin = configuration.Stdin ?? Stream.Null;
        foreach (var preopen in _configuration.PreopenedDirectories)
        {
            if (!Directory.Exists(preopen.HostPath))
                throw new ArgumentException($"The preopened directory '{preopen.HostPath}' does not exist.", nameof(configuration));
        }
    }

    /// <summary>A new program state: the standard streams and preopens, nothing opened, no output counted.</summary>
    /// <returns>The context; its owner disposes it.</returns>
    /// <exception cref="ArgumentException">A preopened directory no longer exists.</exception>
    /// <exception cref="IOException">Reading stdin failed.</exception>
    public WasiContext Create() =>
        new(_configuration, _arguments, _environment, _stdout, _stderr, stdinStream: null, StdinBytes());

    /// <summary>A copy of the limits, flags and preopens, so that later changes to the caller's configuration do not apply.</summary>
    private static WasiConfiguration Snapshot(WasiConfiguration configuration)
    {
        var copy = new WasiConfiguration
        {
            StdioIsTerminal = configuration.StdioIsTerminal,
            MaxOutputBytes = configuration.MaxOutputBytes,
            BytesPerFuelUnit = configuration.BytesPerFuelUnit,
            MaxOpenDescriptors = configuration.MaxOpenDescriptors,
            MaxPollWait = configuration.MaxPollWait,
        };
        foreach (var preopen in configuration.PreopenedDirectories)
            copy.PreopenedDirectories.Add(preopen ?? throw new ArgumentException("A preopened directory is null.", nameof(configuration)));
        return copy;
    }

    private byte[] StdinBytes()
    {
        lock (_stdinGate)
        {
            if (_stdinBytes is not null) return _stdinBytes;
            if (_stdin == Stream.Null) return _stdinBytes = [];
            using var buffer = new MemoryStream();
            _stdin.CopyTo(buffer);
            return _stdinBytes = buffer.ToArray();
        }
    }
}
