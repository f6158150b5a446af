using WasmKit.Wasi;
using Wt = global::Wasmtime;

namespace WasmKit.Wasmtime;

/// <summary>
/// Gives each store Wasmtime's own WASI preview 1, configured from WasmKit's <see cref="WasiConfiguration"/>:
/// arguments, environment and preopened directories as they are; stdin, which Wasmtime takes only as a file,
/// is read once from the configured stream and written to a private temporary file per store (deleted as soon
/// as Wasmtime has opened it); stdout and stderr go to the configured streams through Wasmtime's output callbacks.
/// </summary>
/// <remarks>
/// Differences from the managed engine's WASI, by design of Wasmtime's: <see cref="WasiConfiguration.MaxOutputBytes"/>
/// is enforced here by dropping what passes the cap (the guest is not told: its writes still succeed, where the
/// managed engine returns a short count and then EFBIG); <see cref="WasiConfiguration.BytesPerFuelUnit"/>,
/// <see cref="WasiConfiguration.MaxOpenDescriptors"/>, <see cref="WasiConfiguration.MaxPollWait"/> and
/// <see cref="WasiConfiguration.StdioIsTerminal"/> have no counterpart in Wasmtime's WASI and are ignored; each
/// store has its own WASI state (the managed engine shares one per imports object), while stdin's bytes and the
/// output cap are shared by the stores of one imports object.
/// </remarks>
internal sealed class WasmtimeWasiBridge
{
    private readonly WasiConfiguration _configuration;
    private readonly Wt.WasiOutputCallback _stdout;
    private readonly Wt.WasiOutputCallback _stderr;
    private readonly object _gate = new();
    private byte[]? _stdin;
    private long _outputWritten;

    public WasmtimeWasiBridge(WasiConfiguration configuration)
    {
        _configuration = configuration;
        _stdout = bytes => Write(_configuration.Stdout, bytes);
        _stderr = bytes => Write(_configuration.Stderr, bytes);
    }

    /// <summary>Sets the store's WASI context.</summary>
    public void Configure(Wt.Store store)
    {
        var config = new Wt.WasiConfiguration()
            .WithArgs(_configuration.Arguments)
            .WithStandardOutputCallback(_stdout)
            .WithStandardErrorCallback(_stderr);
        foreach (var (name, value) in _configuration.Environment) config.WithEnvironmentVariable(name, value);
        foreach (var directory in _configuration.PreopenedDirectories)
            config.WithPreopenedDirectory(directory.HostPath, directory.GuestPath, !directory.ReadOnly);
        byte[] stdin = StdinBytes();
        string? stdinFile = null;
        try
        {
            if (stdin.Length > 0)
            {
                stdinFile = Path.Combine(Path.GetTempPath(), "wasmkit-stdin-" + Guid.NewGuid().ToString("N"));
                using (var file = new FileStream(stdinFile, PrivateFile.CreateOptions()))
                {
                    file.Write(stdin);
                }
                config.WithStandardInput(stdinFile);
            }
            store.SetWasiConfiguration(config);
        }
        finally
        {
            // Wasmtime has opened the file by now (or failed to): nothing else needs it.
            if (stdinFile is not null) File.Delete(stdinFile);
        }
    }

    /// <summary>Stdin's bytes, read from the stream once (each store reads them from the start).</summary>
    private byte[] StdinBytes()
    {
        lock (_gate)
        {
            if (_stdin is not null) return _stdin;
            using var buffer = new MemoryStream();
            if (_configuration.Stdin != Stream.Null) _configuration.Stdin.CopyTo(buffer);
            return _stdin = buffer.ToArray();
        }
    }

    private void Write(Stream stream, ReadOnlySpan<byte> bytes)
    {
        lock (_gate)
        {
            long room = _configuration.MaxOutputBytes - _outputWritten;
            if (room <= 0) return;
            var kept = bytes.Length <= room ? bytes : bytes[..(int)room];
            stream.Write(kept);
            stream.Flush();
            _outputWritten += kept.Length;
        }
    }
}
