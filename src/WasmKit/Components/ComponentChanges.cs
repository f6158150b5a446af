namespace WasmKit.Components;

/// <summary>What a <see cref="ComponentLoader.Refresh"/> found.</summary>
public sealed class ComponentChanges
{
    internal ComponentChanges(IReadOnlyList<LoadedComponent> added, IReadOnlyList<ComponentUpdate> updated, IReadOnlyList<LoadedComponent> removed, IReadOnlyList<ComponentLoadException> errors)
    {
        Added = added;
        Updated = updated;
        Removed = removed;
        Errors = errors;
    }

    /// <summary>Components whose files appeared.</summary>
    public IReadOnlyList<LoadedComponent> Added { get; }

    /// <summary>Components whose module or manifest changed.</summary>
    public IReadOnlyList<ComponentUpdate> Updated { get; }

    /// <summary>Components whose files disappeared.</summary>
    public IReadOnlyList<LoadedComponent> Removed { get; }

    /// <summary>Files that failed to load; for changed files the previous version stays current.</summary>
    public IReadOnlyList<ComponentLoadException> Errors { get; }

    /// <summary>Whether anything was added, updated or removed.</summary>
    public bool HasChanges => Added.Count + Updated.Count + Removed.Count > 0;
}
