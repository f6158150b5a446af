namespace WasmKit.Udf;

/// <summary>
/// Reads a UTF-8 field path one step at a time: a property name, or an array index in brackets.
/// The grammar of <see cref="FieldPath"/> lives here once, for both evaluating and canonicalising.
/// </summary>
internal ref struct FieldPathSegments
{
    private readonly ReadOnlySpan<byte> _path;
    private int _position;
    private bool _started;

    public FieldPathSegments(ReadOnlySpan<byte> utf8Path)
    {
        _path = utf8Path;
        _position = 0;
        _started = false;
        Name = default;
        Index = 0;
        IsIndex = false;
    }

    /// <summary>The current step's property name (when it is not an index).</summary>
    public ReadOnlySpan<byte> Name { get; private set; }

    /// <summary>The current step's array index (when <see cref="IsIndex"/>).</summary>
    public int Index { get; private set; }

    /// <summary>Whether the current step is <c>[i]</c>.</summary>
    public bool IsIndex { get; private set; }

    /// <summary>
    /// Moves to the next step. False at the end, with <paramref name="status"/> <see cref="DocumentStatus.Ok"/>,
    /// or at a malformed spot (an empty path or name, a bad index, a stray character) with <see cref="DocumentStatus.BadPath"/>.
    /// </summary>
    public bool MoveNext(out DocumentStatus status)
    {
        status = DocumentStatus.Ok;
        bool expectName;
        if (!_started)
        {
            _started = true;
            if (_path.IsEmpty) return Fail(out status);
            expectName = _path[0] != (byte)'[';
        }
        else
        {
            if (_position == _path.Length) return false;
            byte separator = _path[_position];
            if (separator == (byte)'.')
            {
                if (++_position == _path.Length) return Fail(out status);
                expectName = true;
            }
            else if (separator == (byte)'[')
            {
                expectName = false;
            }
            else
            {
                return Fail(out status);
            }
        }

        if (expectName)
        {
            int end = _position;
            while (end < _path.Length && _path[end] is not ((byte)'.' or (byte)'[' or (byte)']')) end++;
            if (end == _position) return Fail(out status);
            Name = _path[_position..end];
            IsIndex = false;
            _position = end;
            return true;
        }

        // _path[_position] is '['.
        int start = ++_position;
        long index = 0;
        while (_position < _path.Length && _path[_position] - (byte)'0' is >= 0 and <= 9)
        {
            index = index * 10 + (_path[_position] - (byte)'0');
            if (index > int.MaxValue) return Fail(out status);
            _position++;
        }
        if (_position == start || _position >= _path.Length || _path[_position] != (byte)']') return Fail(out status);
        _position++;
        Index = (int)index;
        IsIndex = true;
        return true;
    }

    private static bool Fail(out DocumentStatus status)
    {
        status = DocumentStatus.BadPath;
        return false;
    }
}
