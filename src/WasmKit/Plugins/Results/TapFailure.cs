namespace WasmKit.Plugins;

/// <summary>One plugin's failed tap call: which plugin, which tap, what kind of failure and why.</summary>
/// <param name="Plugin">The plugin's name.</param>
/// <param name="Tap">The tap's name.</param>
/// <param name="Kind">The kind of failure.</param>
/// <param name="Reason">What went wrong, for logs and operators.</param>
/// <param name="Exception">The exception behind it, if any.</param>
public sealed record TapFailure(string Plugin, string Tap, TapFailureKind Kind, string Reason, Exception? Exception = null)
{
    /// <inheritdoc />
    public override string ToString() => $"plugin '{Plugin}', tap '{Tap}': {Kind}: {Reason}";
}
