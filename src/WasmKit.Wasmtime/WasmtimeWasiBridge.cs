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
/// <see cref="WasiConfiguration.StdioIsTerminal"/> have no counterpart in Wasmtime's WASI and are ignored. As on
/// the managed engine, each store has its own WASI state and its own output cap, and reads stdin's bytes from
/// their start; a reset that re-instantiates (WASI instances always do) makes a new store, so a fresh state.
/// </remarks>
internal sealed class WasmtimeWasiBridge
{
    private readonly WasiConfiguration _configuration;
    // Serializes the stores' writes to the shared output streams, and the first read of stdin.
    private readonly object _gate = new();
    private byte[]? _stdin;

    public WasmtimeWasiBridge(WasiConfiguration configuration)
    {
        _configuration = configuration;
    }

    /// <summary>Sets the store's WASI context.</summary>
    public void Configure(Wt.Store store)
    {
        var output = new StoreOutput(this);
        var config = new Wt.WasiConfiguration()
            .WithArgs(_configuration.Arguments)
            .WithStandardOutputCallback(output.WriteStdout)
            .WithStandardErrorCallback(output.WriteStderr);
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

    /// <summary>One store's output, counted against <see cref="WasiConfiguration.MaxOutputBytes"/> for that store alone.</summary>
    private sealed class StoreOutput(WasmtimeWasiBridge bridge)
    {
        private long _written;

        public void WriteStdout(ReadOnlySpan<byte> bytes) => Write(bridge._configuration.Stdout, bytes);

        public void WriteStderr(ReadOnlySpan<byte> bytes) => Write(bridge._configuration.Stderr, bytes);

        private void Write(Stream stream, ReadOnlySpan<byte> bytes)
        {
            lock (bridge._gate)
            {
                long room = bridge._configuration.MaxOutputBytes - _written;
                if (room <= 0) return;
                var kept = bytes.Length <= room ? bytes : bytes[..(int)room];
                stream.Write(kept);
                stream.Flush();
                _written += kept.Length;
            }
        }
    }
}
