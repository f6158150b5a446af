namespace WasmKit.Validation;

/// <summary>
/// The validator's operand stack: value kinds, where <see cref="Unknown"/> stands for a value popped
/// from the polymorphic stack after an unconditional branch. Reused across functions.
/// </summary>
internal sealed class OperandStack
{
    /// <summary>A value of any type (the spec's <c>Unknown</c>); no real kind has code zero.</summary>
    public const ValueKind Unknown = 0;

    private ValueKind[] _values = new ValueKind[64];

    public int Count { get; private set; }

    public void Push(ValueKind kind)
    {
        if (Count == _values.Length) Array.Resize(ref _values, _values.Length * 2);
        _values[Count++] = kind;
    }

    /// <summary>Removes and returns the top value; the caller checks <see cref="Count"/> first.</summary>
    public ValueKind Pop() => _values[--Count];

    /// <summary>The value <paramref name="depth"/> places below the top (0 is the top).</summary>
    public ValueKind Peek(int depth) => _values[Count - 1 - depth];

    /// <summary>Drops values down to <paramref name="height"/>.</summary>
    public void Truncate(int height) => Count = height;

    public void Clear() => Count = 0;
}
