namespace WasmKit.Fuzz;

/// <summary>
/// binaryen's --fuzz-exec calls every export with zeros and cannot be given arguments. So each exported function
/// that takes parameters is wrapped: a new function without parameters calls it with constants drawn from the seed,
/// and takes over the export's name. Both engines then run the same calls with the same, non-zero, arguments.
/// </summary>
public static class ExportArguments
{
    /// <summary>The module with every exported function that has parameters called through a wrapper with random constants.</summary>
    public static byte[] Wrap(byte[] wasm, long seed)
    {
        var module = WasmBinary.Read(wasm);
        var random = new SplitMix64(unchecked((ulong)seed * 0xD1B54A32D192ED03UL) ^ 0xA076_1D64_78BD_642FUL);
        bool changed = false;
        for (int i = 0; i < module.Exports.Count; i++)
        {
            var (name, kind, index) = module.Exports[i];
            if (kind != 0x00) continue;
            var (parameters, results) = module.Types[(int)module.FunctionTypes[(int)index]];
            if (parameters.Length == 0) continue;

            var code = new List<byte>();
            foreach (byte type in parameters) AppendConstant(code, type, random);
            code.Add(0x10); // call
            WasmByteWriter.U32(code, index);
            code.Add(0x0B);
            uint wrapper = module.AddFunction(module.TypeIndex([], results), [], [.. code]);
            module.Exports[i] = (name, kind, wrapper);
            changed = true;
        }
        return changed ? module.ToBytes() : wasm;
    }

    private static void AppendConstant(List<byte> code, byte type, SplitMix64 random)
    {
        switch (type)
        {
            case 0x7F:
                code.Add(0x41);
                WasmByteWriter.S64(code, (int)IntegerBits(random, 32));
                break;
            case 0x7E:
                code.Add(0x42);
                WasmByteWriter.S64(code, (long)IntegerBits(random, 64));
                break;
            case 0x7D:
                code.Add(0x43);
                code.AddRange(BitConverter.GetBytes(Float32Bits(random)));
                break;
            case 0x7C:
                code.Add(0x44);
                code.AddRange(BitConverter.GetBytes(Float64Bits(random)));
                break;
            case 0x70 or 0x6F:
                code.Add(0xD0); // ref.null of the parameter's reference type
                code.Add(type);
                break;
            default:
                throw new UnsupportedModuleException($"No argument of value type 0x{type:x2}.");
        }
    }

    // Half small numbers (memory addresses and loop counts that do something), a quarter edge values, a quarter noise.
    private static ulong IntegerBits(SplitMix64 random, int bits)
    {
        ulong pick = random.Next();
        ulong mask = bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;
        ulong signBit = 1UL << (bits - 1);
        return (pick % 4) switch
        {
            0 or 1 => (ulong)((long)(random.Next() % 300) - 16) & mask,
            2 => (random.Next() % 8) switch
            {
                0 => 0,
                1 => 1,
                2 => mask,            // -1
                3 => signBit,         // the minimum
                4 => signBit - 1,     // the maximum
                5 => 0xFFFF,
                6 => 0x10000,
                _ => 0x80,
            },
            _ => random.Next() & mask,
        };
    }

    private static readonly uint[] Float32Edges =
    [
        0x00000000, 0x80000000, 0x3F800000, 0xBF800000, 0x7F800000, 0xFF800000, 0x7F7FFFFF, 0x00000001, 0x00800000,
        0x7FC00000, 0xFFC00000, 0x7F800001, 0xFFA00000, 0x7FC12345, 0x7F812345, 0x4F000000, 0xCF000000, 0x5F000000,
    ];

    private static readonly ulong[] Float64Edges =
    [
        0x0000000000000000, 0x8000000000000000, 0x3FF0000000000000, 0xBFF0000000000000, 0x7FF0000000000000,
        0xFFF0000000000000, 0x7FEFFFFFFFFFFFFF, 0x0000000000000001, 0x0010000000000000, 0x7FF8000000000000,
        0xFFF8000000000000, 0x7FF0000000000001, 0xFFF4000000000000, 0x7FF8000012345678, 0x7FF0000012345678,
        0x41E0000000000000, 0xC1E0000000000000, 0x43E0000000000000,
    ];

    // A quarter small values, a quarter edges (zeros, infinities, quiet and signalling NaNs with payloads), half noise.
    private static uint Float32Bits(SplitMix64 random) => (random.Next() % 4) switch
    {
        0 => BitConverter.SingleToUInt32Bits((float)((long)(random.Next() % 2001) - 1000) / 8),
        1 => Float32Edges[random.Next() % (ulong)Float32Edges.Length],
        _ => (uint)random.Next(),
    };

    private static ulong Float64Bits(SplitMix64 random) => (random.Next() % 4) switch
    {
        0 => BitConverter.DoubleToUInt64Bits((double)((long)(random.Next() % 2001) - 1000) / 8),
        1 => Float64Edges[random.Next() % (ulong)Float64Edges.Length],
        _ => random.Next(),
    };
}
