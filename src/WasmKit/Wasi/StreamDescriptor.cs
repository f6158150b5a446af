namespace WasmKit.Wasi;

/// <summary>A descriptor for a byte stream: a standard stream the host supplied, or a file the guest opened.</summary>
internal sealed class StreamDescriptor : Descriptor
{
    private const ushort AppendFlag = 1;

    private readonly byte _fileType;

    /// <summary>A standard stream; the host keeps ownership of <paramref name="stream"/>.</summary>
    public StreamDescriptor(Stream stream, bool canRead, bool canWrite, bool isTerminal)
    {
        Stream = stream;
        CanRead = canRead;
        CanWrite = canWrite;
        // A character device without seek rights is what wasi-libc's isatty looks for; it then line-buffers stdout.
        _fileType = isTerminal ? WasmKit.Wasi.FileType.CharacterDevice : WasmKit.Wasi.FileType.Unknown;
    }

    /// <summary>A host file the guest opened; closed with the descriptor.</summary>
    public StreamDescriptor(FileStream file, bool canRead, bool canWrite, bool append)
    {
        Stream = file;
        File = file;
        CanRead = canRead;
        CanWrite = canWrite;
        _fileType = WasmKit.Wasi.FileType.RegularFile;
        if (append) Flags = AppendFlag;
    }

    public Stream Stream { get; }

    /// <summary>The open host file, or <see langword="null"/> for a standard stream.</summary>
    public FileStream? File { get; }

    public bool CanRead { get; }

    public bool CanWrite { get; }

    public bool Append => (Flags & AppendFlag) != 0;

    /// <summary>The host path the file was opened by, which names it in filestat; <see cref="FileStream.Name"/> when not set.</summary>
    public string? HostPath { get; init; }

    /// <summary>Whether this is the guest's stdout or stderr, whose bytes count against <see cref="WasiConfiguration.MaxOutputBytes"/>.</summary>
    public bool IsStandardOutput { get; init; }

    /// <summary>Whether the file lies in a read-only preopened directory, so even its times may not change.</summary>
    public bool InReadOnlySandbox { get; init; }

    public override byte FileType => _fileType;

    public override long RightsBase =>
        (File is null ? Rights.Stream & ~(Rights.FdRead | Rights.FdWrite) : Rights.File) |
        (CanRead ? Rights.FdRead : 0) | (CanWrite ? Rights.FdWrite : 0);

    public override void Close() => File?.Dispose();
}
