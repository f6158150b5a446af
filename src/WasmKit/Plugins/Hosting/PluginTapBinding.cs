using System.Text;
using WasmKit.Backends;

namespace WasmKit.Plugins;

/// <summary>One plugin's implementation of one tap, ready to call: its export's invoker and its field grants in UTF-8.</summary>
internal sealed class PluginTapBinding
{
    public PluginTapBinding(LoadedPlugin plugin, PluginTapDeclaration declaration, ExportInvoker invoker)
    {
        Plugin = plugin;
        Declaration = declaration;
        Invoker = invoker;
        ReadFields = declaration.ReadsAllFields ? null : declaration.Read.Select(Encoding.UTF8.GetBytes).ToArray();
        WriteFields = declaration.Write.Select(Encoding.UTF8.GetBytes).ToArray();
    }

    public LoadedPlugin Plugin { get; }

    public PluginTapDeclaration Declaration { get; }

    public ExportInvoker Invoker { get; }

    /// <summary>The fields the tap may read, or null for all.</summary>
    public byte[][]? ReadFields { get; }

    public byte[][] WriteFields { get; }

    public bool CanRead(ReadOnlySpan<byte> name) => ReadFields is null || Contains(ReadFields, name);

    public bool CanWrite(ReadOnlySpan<byte> name) => Contains(WriteFields, name);

    /// <summary>The order taps run in: weight, then plugin name.</summary>
    public static int Compare(PluginTapBinding a, PluginTapBinding b)
    {
        int byWeight = a.Declaration.Weight.CompareTo(b.Declaration.Weight);
        return byWeight != 0 ? byWeight : string.CompareOrdinal(a.Plugin.Name, b.Plugin.Name);
    }

    private static bool Contains(byte[][] names, ReadOnlySpan<byte> name)
    {
        foreach (var candidate in names)
            if (name.SequenceEqual(candidate)) return true;
        return false;
    }
}
