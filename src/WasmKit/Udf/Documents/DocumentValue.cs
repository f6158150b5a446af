using System.Text.Json;

namespace WasmKit.Udf;

/// <summary>
/// A value found in the current document, by <see cref="FieldPath"/> in a <see cref="JsonElement"/>
/// or by path lookup in an <see cref="IndexedDocument"/>: the host functions read both the same way.
/// </summary>
internal readonly struct DocumentValue
{
    private readonly JsonElement _element;
    private readonly IndexedDocument? _indexed;
    private readonly int _index;

    public DocumentValue(JsonElement element)
    {
        _element = element;
        _indexed = null;
        _index = 0;
    }

    public DocumentValue(IndexedDocument indexed, int index)
    {
        _element = default;
        _indexed = indexed;
        _index = index;
    }

    public JsonValueKind Kind => _indexed is null ? _element.ValueKind : _indexed.KindAt(_index);

    /// <summary>The value as a 64-bit integer: false when it is not a number or not an integer in range.</summary>
    public bool TryGetInt64(out long value)
    {
        if (_indexed is not null) return _indexed.TryGetInt64At(_index, out value);
        value = 0;
        return _element.ValueKind == JsonValueKind.Number && _element.TryGetInt64(out value);
    }

    /// <summary>The value as a double: false when it is not a finite number.</summary>
    public bool TryGetDouble(out double value)
    {
        if (_indexed is not null) return _indexed.TryGetDoubleAt(_index, out value);
        value = 0;
        return _element.ValueKind == JsonValueKind.Number && _element.TryGetDouble(out value);
    }

    public int ArrayLength => _indexed is null ? _element.GetArrayLength() : _indexed.ArrayLengthAt(_index);

    /// <summary>For an indexed string: its unescaped bytes; a <see cref="JsonElement"/> string is read through <see cref="Element"/>.</summary>
    public bool TryGetIndexedString(out ReadOnlySpan<byte> utf8)
    {
        utf8 = _indexed is null ? default : _indexed.StringAt(_index);
        return _indexed is not null;
    }

    public JsonElement Element => _element;
}
