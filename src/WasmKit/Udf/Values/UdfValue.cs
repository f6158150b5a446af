using System.Globalization;

namespace WasmKit.Udf;

/// <summary>A typed UDF result (or argument) without boxing numbers.</summary>
public readonly struct UdfValue : IEquatable<UdfValue>
{
    private readonly long _bits;
    private readonly string? _text;

    private UdfValue(UdfType type, long bits, string? text)
    {
        Type = type;
        _bits = bits;
        _text = text;
        HasValue = true;
    }

    /// <summary>The value's type; meaningless when <see cref="HasValue"/> is false.</summary>
    public UdfType Type { get; }

    /// <summary>False for <see cref="None"/>, the result of a UDF that returns nothing.</summary>
    public bool HasValue { get; }

    /// <summary>No value.</summary>
    public static UdfValue None => default;

    /// <summary>An i32 value.</summary>
    /// <param name="value">The number.</param>
    /// <returns>The value.</returns>
    public static UdfValue FromInt32(int value) => new(UdfType.I32, value, null);

    /// <summary>An i64 value.</summary>
    /// <param name="value">The number.</param>
    /// <returns>The value.</returns>
    public static UdfValue FromInt64(long value) => new(UdfType.I64, value, null);

    /// <summary>An f32 value.</summary>
    /// <param name="value">The number.</param>
    /// <returns>The value.</returns>
    public static UdfValue FromSingle(float value) => new(UdfType.F32, BitConverter.SingleToInt32Bits(value), null);

    /// <summary>An f64 value.</summary>
    /// <param name="value">The number.</param>
    /// <returns>The value.</returns>
    public static UdfValue FromDouble(double value) => new(UdfType.F64, BitConverter.DoubleToInt64Bits(value), null);

    /// <summary>A bool value.</summary>
    /// <param name="value">The truth value.</param>
    /// <returns>The value.</returns>
    public static UdfValue FromBoolean(bool value) => new(UdfType.Bool, value ? 1 : 0, null);

    /// <summary>A string value.</summary>
    /// <param name="value">The text.</param>
    /// <returns>The value.</returns>
    public static UdfValue FromString(string value) => new(UdfType.String, 0, value ?? throw new ArgumentNullException(nameof(value)));

    /// <summary>The i32 value.</summary>
    /// <returns>The number.</returns>
    /// <exception cref="InvalidOperationException">The value is not an i32.</exception>
    public int AsInt32() => Type == UdfType.I32 && HasValue ? (int)_bits : throw WrongType(UdfType.I32);

    /// <summary>The i64 value.</summary>
    /// <returns>The number.</returns>
    /// <exception cref="InvalidOperationException">The value is not an i64.</exception>
    public long AsInt64() => Type == UdfType.I64 && HasValue ? _bits : throw WrongType(UdfType.I64);

    /// <summary>The f32 value.</summary>
    /// <returns>The number.</returns>
    /// <exception cref="InvalidOperationException">The value is not an f32.</exception>
    public float AsSingle() => Type == UdfType.F32 && HasValue ? BitConverter.Int32BitsToSingle((int)_bits) : throw WrongType(UdfType.F32);

    /// <summary>The f64 value.</summary>
    /// <returns>The number.</returns>
    /// <exception cref="InvalidOperationException">The value is not an f64.</exception>
    public double AsDouble() => Type == UdfType.F64 && HasValue ? BitConverter.Int64BitsToDouble(_bits) : throw WrongType(UdfType.F64);

    /// <summary>The bool value.</summary>
    /// <returns>The truth value.</returns>
    /// <exception cref="InvalidOperationException">The value is not a bool.</exception>
    public bool AsBoolean() => Type == UdfType.Bool && HasValue ? _bits != 0 : throw WrongType(UdfType.Bool);

    /// <summary>The string value.</summary>
    /// <returns>The text.</returns>
    /// <exception cref="InvalidOperationException">The value is not a string.</exception>
    public string AsString() => Type == UdfType.String && HasValue ? _text! : throw WrongType(UdfType.String);

    /// <summary>The value as a boxed .NET value (int, long, float, double, bool or string), or <see langword="null"/> for <see cref="None"/>.</summary>
    /// <returns>The object.</returns>
    public object? ToObject() => !HasValue ? null : Type switch
    {
        UdfType.I32 => (object)AsInt32(),
        UdfType.I64 => (object)AsInt64(),
        UdfType.F32 => (object)AsSingle(),
        UdfType.F64 => (object)AsDouble(),
        UdfType.Bool => (object)AsBoolean(),
        _ => AsString(),
    };

    /// <summary>Makes a value from a .NET value of one of the UDF types.</summary>
    /// <param name="value">An int, long, float, double, bool or string.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentException">The value is none of those.</exception>
    public static UdfValue FromObject(object value) => value switch
    {
        int v => FromInt32(v),
        long v => FromInt64(v),
        float v => FromSingle(v),
        double v => FromDouble(v),
        bool v => FromBoolean(v),
        string v => FromString(v),
        _ => throw new ArgumentException($"A UDF value must be int, long, float, double, bool or string, not {value?.GetType().Name ?? "null"}.", nameof(value)),
    };

    /// <inheritdoc/>
    public bool Equals(UdfValue other) =>
        HasValue == other.HasValue && Type == other.Type && _bits == other._bits && string.Equals(_text, other._text, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is UdfValue other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(HasValue, Type, _bits, _text);

    /// <summary>The value in invariant culture, e.g. "42", "3.5", "true" or the text.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => !HasValue ? "(none)" : Type switch
    {
        UdfType.Bool => AsBoolean() ? "true" : "false",
        UdfType.String => _text!,
        _ => Convert.ToString(ToObject(), CultureInfo.InvariantCulture)!,
    };

    /// <summary>Equal values.</summary>
    /// <param name="left">A value.</param>
    /// <param name="right">A value.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool operator ==(UdfValue left, UdfValue right) => left.Equals(right);

    /// <summary>Different values.</summary>
    /// <param name="left">A value.</param>
    /// <param name="right">A value.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(UdfValue left, UdfValue right) => !left.Equals(right);

    private InvalidOperationException WrongType(UdfType wanted) =>
        new($"The value is {(HasValue ? Type.ToManifestName() : "none")}, not {wanted.ToManifestName()}.");
}
