namespace WasmKit;

/// <summary>A WebAssembly table of references: <see cref="Function"/>s (funcref) or host objects (externref).</summary>
public sealed class Table
{
    /// <summary>The most elements one table may hold here.</summary>
    public const uint ImplementationMaximumElements = 10_000_000;

    // Read by compiled code. Elements has room to grow into: only the first Length entries are the
    // table's, the rest stay null until growth fills them.
    internal object?[] Elements;
    internal int Length;

    /// <summary>A grow charges one unit of fuel per this many elements added, and at least one.</summary>
    internal const int ElementsPerFuelUnit = 256;

    /// <summary>Creates a table.</summary>
    /// <param name="store">The store the table belongs to.</param>
    /// <param name="type">Element kind and limits.</param>
    /// <param name="initialValue">The value of every initial element: a <see cref="Function"/> or <see langword="null"/> for funcref, any object for externref.</param>
    /// <exception cref="ArgumentException">The type or initial value is invalid.</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public Table(Store store, TableType type, object? initialValue = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ObjectDisposedException.ThrowIf(store.IsDisposed, store);
        if (!type.ElementKind.IsReference())
            throw new ArgumentException($"A table holds references, not {type.ElementKind.ToWasmName()}.", nameof(type));
        if (type.Limits.Maximum is uint max && max < type.Limits.Minimum)
            throw new ArgumentException("The maximum must not be below the minimum.", nameof(type));
        if (type.Limits.Minimum > ImplementationMaximumElements)
            throw new ArgumentException($"WasmKit tables hold at most {ImplementationMaximumElements} elements.", nameof(type));
        if (type.Limits.Minimum > store.Limits.MaxTableElements)
            throw new ArgumentException($"The store allows at most {store.Limits.MaxTableElements} elements per table.", nameof(type));
        CheckElement(type.ElementKind, initialValue, nameof(initialValue));
        Store = store;
        ElementKind = type.ElementKind;
        MaximumSize = type.Limits.Maximum;
        Elements = new object?[type.Limits.Minimum];
        Length = Elements.Length;
        if (initialValue is not null) Array.Fill(Elements, initialValue);
    }

    /// <summary>The store the table belongs to.</summary>
    public Store Store { get; }

    /// <summary>The kind of reference the table holds.</summary>
    public ValueKind ElementKind { get; }

    /// <summary>The declared maximum size, if any.</summary>
    public uint? MaximumSize { get; }

    /// <summary>The current number of elements.</summary>
    public uint Size => (uint)Length;

    /// <summary>The table's type: its current size as minimum, and its declared maximum.</summary>
    public TableType Type => new(ElementKind, new Limits(Size, MaximumSize));

    /// <summary>Reads an element.</summary>
    /// <param name="index">The element index.</param>
    /// <returns>The reference, or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not below <see cref="Size"/>.</exception>
    public object? GetElement(uint index)
    {
        if (index >= Size) throw new ArgumentOutOfRangeException(nameof(index), index, $"The table has {Size} elements.");
        return Elements[index];
    }

    /// <summary>Writes an element.</summary>
    /// <param name="index">The element index.</param>
    /// <param name="value">The reference to store.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not below <see cref="Size"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="value"/> is not a reference of the table's kind.</exception>
    public void SetElement(uint index, object? value)
    {
        if (index >= Size) throw new ArgumentOutOfRangeException(nameof(index), index, $"The table has {Size} elements.");
        CheckElement(ElementKind, value, nameof(value));
        Elements[index] = value;
    }

    /// <summary>Grows the table, as <c>table.grow</c> does.</summary>
    /// <param name="delta">How many elements to add.</param>
    /// <param name="initialValue">The value of the new elements.</param>
    /// <returns>The previous size, or -1 if the table cannot grow that much.</returns>
    public int Grow(uint delta, object? initialValue)
    {
        CheckElement(ElementKind, initialValue, nameof(initialValue));
        return GrowUnchecked(delta, initialValue);
    }

    /// <summary><c>table.grow</c> from compiled code: charged to fuel (see <see cref="ElementsPerFuelUnit"/>) when the growth happens.</summary>
    internal int GrowFromGuest(uint delta, object? initialValue)
    {
        if (!CanGrowTo((ulong)Length + delta)) return -1;
        Store.State.ChargeHostWork(delta == 0 ? 0 : 1 + delta / ElementsPerFuelUnit);
        return GrowUnchecked(delta, initialValue);
    }

    internal int GrowUnchecked(uint delta, object? initialValue)
    {
        int old = Length;
        ulong wanted = (ulong)old + delta;
        if (!CanGrowTo(wanted)) return -1;
        if (delta == 0) return old;
        if (wanted > (ulong)Elements.Length)
        {
            // Doubling the capacity makes a run of small grows linear overall.
            long capacity = Math.Clamp(2L * Elements.Length, (long)wanted, Math.Max((long)wanted, (long)GrowthCap));
            var grown = new object?[capacity];
            Array.Copy(Elements, grown, old);
            Elements = grown;
        }
        // Slots beyond the length may hold values from before a reset: always overwrite them.
        Array.Fill(Elements, initialValue, old, (int)delta);
        Length = (int)wanted;
        return old;
    }

    /// <summary>Puts back the elements (and so the size) of a reset snapshot; slots beyond it are cleared.</summary>
    internal void RestoreFrom(object?[] elements)
    {
        if (elements.Length > Elements.Length) Elements = new object?[elements.Length];
        elements.CopyTo(Elements, 0);
        if (Length > elements.Length) Array.Clear(Elements, elements.Length, Length - elements.Length);
        Length = elements.Length;
    }

    private uint GrowthCap => Math.Min(Math.Min(MaximumSize ?? uint.MaxValue, ImplementationMaximumElements), Store.Limits.MaxTableElements ?? uint.MaxValue);

    private bool CanGrowTo(ulong size) => size <= GrowthCap;

    private static void CheckElement(ValueKind kind, object? value, string parameter)
    {
        if (kind == ValueKind.FuncRef && value is not null and not Function)
            throw new ArgumentException($"A funcref table holds Function or null, not {value.GetType().Name}.", parameter);
    }
}
