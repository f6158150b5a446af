namespace WasmKit.Plugins;

/// <summary>
/// What a tap over every plugin produced, combined in the plugins' order (weight, then name): their render
/// elements, the changes applied to the item, the validators' rejections, and the plugins that failed.
/// </summary>
public sealed class TapResult
{
    private List<TapRender>? _renders;
    private List<TapChange>? _changes;
    private List<TapRejection>? _rejections;
    private List<TapFailure>? _failures;

    internal TapResult(string tap, TapItem item, int pluginCount)
    {
        Tap = tap;
        Item = item;
        PluginCount = pluginCount;
    }

    /// <summary>The tap's name.</summary>
    public string Tap { get; }

    /// <summary>The item, with the changes applied.</summary>
    public TapItem Item { get; }

    /// <summary>How many plugins implement the tap (and were called).</summary>
    public int PluginCount { get; }

    /// <summary>The render elements, in the plugins' order.</summary>
    public IReadOnlyList<TapRender> Renders => _renders ?? (IReadOnlyList<TapRender>)[];

    /// <summary>The fields set, in the order they were applied.</summary>
    public IReadOnlyList<TapChange> Changes => _changes ?? (IReadOnlyList<TapChange>)[];

    /// <summary>The validators' rejections.</summary>
    public IReadOnlyList<TapRejection> Rejections => _rejections ?? (IReadOnlyList<TapRejection>)[];

    /// <summary>The plugins whose tap failed; their results (and changes) were dropped.</summary>
    public IReadOnlyList<TapFailure> Failures => _failures ?? (IReadOnlyList<TapFailure>)[];

    /// <summary>The time spent waiting for (or making) instances, over all plugins; with an executor, the wait for an execution thread too.</summary>
    public TimeSpan RentTime => System.Diagnostics.Stopwatch.GetElapsedTime(0, RentTimestamp);

    /// <summary>Whether a validator rejected the item.</summary>
    public bool IsRejected => _rejections is { Count: > 0 };

    /// <summary>Whether every plugin's tap succeeded.</summary>
    public bool Succeeded => _failures is null;

    /// <summary>The rent time in <see cref="System.Diagnostics.Stopwatch"/> units.</summary>
    internal long RentTimestamp;

    internal void Add(TapRender render) => (_renders ??= []).Add(render);

    internal void Add(TapChange change) => (_changes ??= []).Add(change);

    internal void Add(TapRejection rejection) => (_rejections ??= []).Add(rejection);

    internal void Add(TapFailure failure) => (_failures ??= []).Add(failure);
}
