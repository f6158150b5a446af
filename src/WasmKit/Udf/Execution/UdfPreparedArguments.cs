namespace WasmKit.Udf;

/// <summary>
/// Arguments checked against a UDF's parameters and lowered to WebAssembly values once, so that repeated calls
/// (a batch, or a <see cref="UdfFunction{TResult}"/>) do no dictionary or conversion work.
/// </summary>
internal sealed class UdfPreparedArguments
{
    public UdfPreparedArguments(ulong[] slots, IReadOnlyList<(int Slot, string Text)>? strings)
    {
        Slots = slots;
        int count = strings?.Count ?? 0;
        Strings = count == 0 ? [] : new StringArgument[count];
        // All strings encoded once into one block laid out as they go into guest memory, each 8-byte
        // aligned: a load is then one copy.
        long total = 0;
        for (int i = 0; i < count; i++)
        {
            var (slot, text) = strings![i];
            int length = System.Text.Encoding.UTF8.GetByteCount(text);
            Strings[i] = new StringArgument(slot, (int)Math.Min(total, int.MaxValue), length);
            total += (length + 7L) & ~7L;
        }
        StringBytes = total <= int.MaxValue ? (int)total : throw new ArgumentException("The string arguments exceed 2 GiB.", nameof(strings));
        StringBlock = count == 0 ? [] : new byte[StringBytes];
        for (int i = 0; i < count; i++)
            System.Text.Encoding.UTF8.GetBytes(strings![i].Text, StringBlock.AsSpan(Strings[i].Offset, Strings[i].Length));
    }

    /// <summary>The strings' UTF-8 bytes at their offsets, padding zeroed.</summary>
    public byte[] StringBlock { get; }

    /// <summary>The raw bits of each WebAssembly parameter; string (pointer, length) pairs are filled per instance.</summary>
    public ulong[] Slots { get; }

    /// <summary>String arguments: the slot of their (pointer, length) pair and where their bytes are in <see cref="StringBlock"/>.</summary>
    public StringArgument[] Strings { get; }

    /// <summary>The guest memory the strings take, each rounded up to 8 bytes.</summary>
    public int StringBytes { get; }

    internal readonly record struct StringArgument(int Slot, int Offset, int Length);
}
