namespace WasmKit;

/// <summary>A WebAssembly global: one value of a fixed kind, mutable or not.</summary>
public sealed class Global
{
    // Read and written by compiled code: numbers as bits, references as objects.
    internal long Bits;
    internal object? Reference;

    /// <summary>Creates a global.</summary>
    /// <param name="store">The store the global belongs to.</param>
    /// <param name="type">Its kind and mutability.</param>
    /// <param name="value">Its initial value, of the .NET type of its kind (e.g. <see cref="int"/> for i32).</param>
    /// <exception cref="ArgumentException"><paramref name="value"/> does not match the kind.</exception>
    public Global(Store store, GlobalType type, object? value)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (type.ValueKind == ValueKind.V128) throw new ArgumentException("v128 globals are not supported yet.", nameof(type));
        Store = store;
        Type = type;
        SetValue(value, nameof(value));
    }

    /// <summary>The store the global belongs to.</summary>
    public Store Store { get; }

    /// <summary>Its kind and mutability.</summary>
    public GlobalType Type { get; }

    /// <summary>The current value, as the .NET type of its kind.</summary>
    /// <exception cref="InvalidOperationException">Setting an immutable global.</exception>
    /// <exception cref="ArgumentException">Setting a value of another kind.</exception>
    public object? Value
    {
        get => Type.ValueKind switch
        {
            ValueKind.Int32 => (int)Bits,
            ValueKind.Int64 => Bits,
            ValueKind.Float32 => BitConverter.Int32BitsToSingle((int)Bits),
            ValueKind.Float64 => BitConverter.Int64BitsToDouble(Bits),
            _ => Reference,
        };
        set
        {
            if (!Type.Mutable) throw new InvalidOperationException("The global is immutable.");
            SetValue(value, nameof(value));
        }
    }

    internal void SetValue(object? value, string parameter)
    {
        switch (Type.ValueKind, value)
        {
            case (ValueKind.Int32, int i): Bits = i; break;
            case (ValueKind.Int64, long l): Bits = l; break;
            case (ValueKind.Float32, float f): Bits = BitConverter.SingleToInt32Bits(f); break;
            case (ValueKind.Float64, double d): Bits = BitConverter.DoubleToInt64Bits(d); break;
            case (ValueKind.FuncRef, null or Function): Reference = value; break;
            case (ValueKind.ExternRef, _): Reference = value; break;
            default:
                throw new ArgumentException($"A {Type.ValueKind.ToWasmName()} global cannot hold {value?.GetType().Name ?? "null"}.", parameter);
        }
    }
}
