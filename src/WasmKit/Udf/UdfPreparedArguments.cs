namespace WasmKit.Udf;

/// <summary>
/// Arguments checked against a UDF's parameters and lowered to WebAssembly values once, so that repeated calls
/// (a batch, or a <see cref="UdfFunction{TResult}"/>) do no dictionary or conversion work.
/// </summary>
internal sealed class UdfPreparedArguments
{
    public UdfPreparedArguments(ulong[] slots, StringArgument[] strings)
    {
        Slots = slots;
        Strings = strings;
        long bytes = 0;
        foreach (var text in strings) bytes += (text.Utf8.Length + 7L) & ~7L;
        StringBytes = bytes <= int.MaxValue ? (int)bytes : throw new ArgumentException("The string arguments exceed 2 GiB.", nameof(strings));
    }

    /// <summary>The raw bits of each WebAssembly parameter; string (pointer, length) pairs are filled per instance.</summary>
    public ulong[] Slots { get; }

    /// <summary>String arguments: where their pointer goes and their UTF-8 bytes.</summary>
    public StringArgument[] Strings { get; }

    /// <summary>The guest memory the strings take, each rounded up to 8 bytes.</summary>
    public int StringBytes { get; }

    internal readonly record struct StringArgument(int Slot, byte[] Utf8);
}
