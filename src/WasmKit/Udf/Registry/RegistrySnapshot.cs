namespace WasmKit.Udf;

/// <summary>An immutable view of the registered UDFs; the registry swaps in a new one on each change so readers never lock.</summary>
internal sealed class RegistrySnapshot
{
    private readonly Dictionary<string, UdfEntry[]> _byName;
    private readonly Dictionary<(string Name, string Version), UdfEntry> _byKey;

    private RegistrySnapshot(Dictionary<string, UdfEntry[]> byName)
    {
        _byName = byName;
        _byKey = [];
        foreach (var versions in byName.Values)
            foreach (var entry in versions) _byKey[(entry.Metadata.Name, entry.VersionKey)] = entry;
        All = byName.OrderBy(p => p.Key, StringComparer.Ordinal).SelectMany(p => p.Value).ToArray();
    }

    public static RegistrySnapshot Empty { get; } = new([]);

    /// <summary>Every entry, by name then version.</summary>
    public UdfEntry[] All { get; }

    public UdfEntry[] Versions(string name) => _byName.GetValueOrDefault(name) ?? [];

    /// <summary>Lookup by the exact version text, the common case, without parsing.</summary>
    public UdfEntry? FindExact(string name, string version) => _byKey.GetValueOrDefault((name, version));

    public UdfEntry? Find(string name, UdfVersion version) =>
        Versions(name).FirstOrDefault(e => e.Version == version);

    public UdfEntry? Latest(string name, bool includePrerelease)
    {
        var versions = Versions(name);
        for (int i = versions.Length - 1; i >= 0; i--)
            if (includePrerelease || !versions[i].Version.IsPrerelease) return versions[i];
        return null;
    }

    public RegistrySnapshot With(UdfEntry entry)
    {
        var byName = new Dictionary<string, UdfEntry[]>(_byName, StringComparer.Ordinal);
        byName[entry.Metadata.Name] = [.. Versions(entry.Metadata.Name).Append(entry).OrderBy(e => e.Version)];
        return new RegistrySnapshot(byName);
    }

    public RegistrySnapshot Without(UdfEntry entry)
    {
        var byName = new Dictionary<string, UdfEntry[]>(_byName, StringComparer.Ordinal);
        var rest = Versions(entry.Metadata.Name).Where(e => e != entry).ToArray();
        if (rest.Length == 0) byName.Remove(entry.Metadata.Name);
        else byName[entry.Metadata.Name] = rest;
        return new RegistrySnapshot(byName);
    }
}
