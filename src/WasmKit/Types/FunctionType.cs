using System.Collections.Immutable;

namespace WasmKit;

/// <summary>The signature of a WebAssembly function: parameter and result kinds. Compared by value.</summary>
public sealed class FunctionType : IEquatable<FunctionType>
{
    private readonly int _hash;

    /// <summary>Creates a function type.</summary>
    /// <param name="parameters">The parameter kinds, in order.</param>
    /// <param name="results">The result kinds, in order.</param>
    public FunctionType(IEnumerable<ValueKind> parameters, IEnumerable<ValueKind> results)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(results);
        Parameters = parameters.ToImmutableArray();
        Results = results.ToImmutableArray();
        var hash = new HashCode();
        foreach (var p in Parameters) hash.Add(p);
        hash.Add(-1);
        foreach (var r in Results) hash.Add(r);
        _hash = hash.ToHashCode();
    }

    /// <summary>The parameter kinds, in order.</summary>
    public ImmutableArray<ValueKind> Parameters { get; }

    /// <summary>The result kinds, in order.</summary>
    public ImmutableArray<ValueKind> Results { get; }

    /// <summary>Creates a function type from parameter and result kinds.</summary>
    /// <param name="parameters">The parameter kinds.</param>
    /// <param name="results">The result kinds.</param>
    /// <returns>The function type.</returns>
    public static FunctionType Of(ValueKind[] parameters, ValueKind[] results) => new(parameters, results);

    /// <inheritdoc />
    public bool Equals(FunctionType? other) =>
        other is not null && _hash == other._hash &&
        Parameters.AsSpan().SequenceEqual(other.Parameters.AsSpan()) &&
        Results.AsSpan().SequenceEqual(other.Results.AsSpan());

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as FunctionType);

    /// <inheritdoc />
    public override int GetHashCode() => _hash;

    /// <summary>The text-format form, e.g. <c>(func (param i32 i32) (result i32))</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() =>
        "(func" +
        (Parameters.Length > 0 ? " (param " + string.Join(' ', Parameters.Select(p => p.ToWasmName())) + ")" : "") +
        (Results.Length > 0 ? " (result " + string.Join(' ', Results.Select(p => p.ToWasmName())) + ")" : "") + ")";
}
