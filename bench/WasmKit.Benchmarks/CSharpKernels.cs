namespace WasmKit.Benchmarks;

/// <summary>
/// A line-by-line C# port of fixtures/c/compute.c: the baseline for <see cref="ComputeBenchmarks"/>.
/// Like the wasm module, each instance owns its buffers (the C statics live in linear memory).
/// Unsigned arithmetic is unchecked and wraps exactly as in C.
/// </summary>
internal sealed class CSharpKernels
{
    private const int SieveMax = 1000000;
    private const int HashMax = 65536;
    private const int MatMax = 64;

    private readonly byte[] _composite = new byte[SieveMax];
    private readonly byte[] _hashInput = new byte[HashMax];
    private readonly int[] _matA = new int[MatMax * MatMax];
    private readonly int[] _matB = new int[MatMax * MatMax];
    private readonly int[] _matC = new int[MatMax * MatMax];

    public static int Fib(int n)
    {
        if (n < 2)
            return n;
        return Fib(n - 1) + Fib(n - 2);
    }

    public int Sieve(int n)
    {
        if (n > SieveMax)
            n = SieveMax;
        if (n < 2)
            return 0;
        for (int i = 0; i < n; i++)
            _composite[i] = 0;
        int count = 0;
        for (int i = 2; i < n; i++)
        {
            if (_composite[i] != 0)
                continue;
            count++;
            for (long j = (long)i * i; j < n; j += i)
                _composite[j] = 1;
        }
        return count;
    }

    public int Fnv1a(int len)
    {
        if (len > HashMax)
            len = HashMax;
        for (int k = 0; k < len; k++)
            _hashInput[k] = unchecked((byte)(k * 31 + 7));
        uint hash = 2166136261u;
        for (int k = 0; k < len; k++)
        {
            hash ^= _hashInput[k];
            hash = unchecked(hash * 16777619u);
        }
        return unchecked((int)hash);
    }

    public int MatMul(int n)
    {
        if (n > MatMax)
            n = MatMax;
        if (n < 1)
            return 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                _matA[i * n + j] = i + j;
                _matB[i * n + j] = i - j;
            }
        }
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                uint sum = 0;
                for (int k = 0; k < n; k++)
                    sum = unchecked(sum + (uint)_matA[i * n + k] * (uint)_matB[k * n + j]);
                _matC[i * n + j] = unchecked((int)sum);
            }
        }
        uint checksum = 0;
        for (int i = 0; i < n * n; i++)
            checksum = unchecked(checksum * 31u + (uint)_matC[i]);
        return unchecked((int)checksum);
    }
}
