namespace WasmKit.Fuzz;

/// <summary>
/// The random input for one seed: a SplitMix64 stream, so a seed gives the same bytes on every
/// machine and .NET version (System.Random makes no such promise).
/// </summary>
public static class SeedBytes
{
    /// <summary>Smallest input, in bytes; wasm-opt -ttf turns fewer bytes into near-empty modules.</summary>
    public const int MinimumSize = 1024;

    /// <summary>Largest input, in bytes; larger inputs give more functions but slower seeds.</summary>
    public const int MaximumSize = 16 * 1024;

    /// <summary>The bytes for a seed. The length varies with the seed (1–16 KiB) unless <paramref name="size"/> is given.</summary>
    public static byte[] Create(long seed, int? size = null)
    {
        ulong state = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL) ^ 0x5DEECE66DUL;
        int length = size ?? MinimumSize + (int)(Next(ref state) % (ulong)(MaximumSize - MinimumSize + 1));
        var bytes = new byte[length];
        for (int i = 0; i < length; i += 8)
        {
            ulong word = Next(ref state);
            for (int j = 0; j < 8 && i + j < length; j++)
            {
                bytes[i + j] = (byte)(word >> (8 * j));
            }
        }
        return bytes;
    }

    private static ulong Next(ref ulong state)
    {
        unchecked
        {
            ulong z = state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
