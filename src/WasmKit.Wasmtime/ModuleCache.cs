using System.Security.Cryptography;
using System.Text;
using Wt = global::Wasmtime;

namespace WasmKit.Wasmtime;

/// <summary>
/// The opt-in on-disk cache of compiled modules (<see cref="WasmtimeBackendOptions.CompileCacheDirectory"/>):
/// one file per module content hash and engine configuration, holding Wasmtime's serialized module behind a
/// header with the SHA-256 of the serialized bytes. Wasmtime trusts what it deserializes, so an entry whose
/// header or hash does not match, or that Wasmtime refuses (another version or configuration), is compiled
/// again and overwritten: never loaded blindly.
/// </summary>
internal sealed class ModuleCache
{
    private static readonly byte[] Magic = "WKWTMOD1"u8.ToArray();
    private const int HeaderLength = 8 + 32;

    private readonly string _directory;
    private readonly string _configurationTag;
    private long _hits;
    private long _misses;

    public ModuleCache(string directory, string configurationKey)
    {
        _directory = Path.GetFullPath(directory);
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(_directory);
        else Directory.CreateDirectory(_directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        _configurationTag = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(configurationKey)))[..16];
    }

    /// <summary>Modules loaded from the cache.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Modules compiled (absent, corrupt or mismatched entries).</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>The file of a module's entry.</summary>
    public string PathFor(string contentHash) => Path.Combine(_directory, $"{contentHash}-{_configurationTag}.cwasm");

    /// <summary>The module from its cache entry when the entry checks out, else compiled by <paramref name="compile"/> and stored.</summary>
    public Wt.Module Load(Wt.Engine engine, string contentHash, string name, Func<Wt.Module> compile)
    {
        string path = PathFor(contentHash);
        if (TryRead(path) is { } serialized)
        {
            try
            {
                var module = Wt.Module.Deserialize(engine, name, serialized);
                Interlocked.Increment(ref _hits);
                return module;
            }
            catch (Wt.WasmtimeException)
            {
                // Made by another Wasmtime or configuration: compile again below, and replace it.
            }
        }
        Interlocked.Increment(ref _misses);
        var compiled = compile();
        TryWrite(path, compiled.Serialize());
        return compiled;
    }

    private static byte[]? TryRead(string path)
    {
        byte[] entry;
        try
        {
            entry = File.ReadAllBytes(path);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
        if (entry.Length < HeaderLength || !entry.AsSpan(0, 8).SequenceEqual(Magic)) return null;
        var payload = entry.AsSpan(HeaderLength);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(payload, hash);
        return hash.SequenceEqual(entry.AsSpan(8, 32)) ? payload.ToArray() : null;
    }

    private static void TryWrite(string path, byte[] serialized)
    {
        // Written aside and moved into place, so a reader never sees half an entry.
        string temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            using (var file = new FileStream(temporary, PrivateFile.CreateOptions()))
            {
                file.Write(Magic);
                file.Write(SHA256.HashData(serialized));
                file.Write(serialized);
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // A cache that cannot be written only costs the next process a compilation.
            try { File.Delete(temporary); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
