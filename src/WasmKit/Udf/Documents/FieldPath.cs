using System.Text;
using System.Text.Json;

namespace WasmKit.Udf;

/// <summary>
/// Evaluates field paths over JSON: dots separate object properties and <c>[i]</c> selects an array
/// element, as in <c>specs.dims[2].w</c>. Works on UTF-8 bytes and allocates nothing.
/// </summary>
public static class FieldPath
{
    /// <summary>Finds the value a UTF-8 path names.</summary>
    /// <param name="root">The document.</param>
    /// <param name="utf8Path">The path, in UTF-8.</param>
    /// <param name="value">The value found; <c>default</c> unless the result is <see cref="DocumentStatus.Ok"/>.</param>
    /// <returns>
    /// <see cref="DocumentStatus.Ok"/>, <see cref="DocumentStatus.NotFound"/> (JSON null counts as missing) or
    /// <see cref="DocumentStatus.BadPath"/> (checked over the whole path, even past a missing step).
    /// </returns>
    public static DocumentStatus Resolve(JsonElement root, ReadOnlySpan<byte> utf8Path, out JsonElement value)
    {
        value = default;
        if (utf8Path.IsEmpty) return DocumentStatus.BadPath;
        var current = root;
        bool found = root.ValueKind != JsonValueKind.Undefined;
        int position = 0;
        bool expectName = utf8Path[0] != (byte)'[';
        while (true)
        {
            if (expectName)
            {
                int end = position;
                while (end < utf8Path.Length && utf8Path[end] is not ((byte)'.' or (byte)'[' or (byte)']')) end++;
                if (end == position) return DocumentStatus.BadPath;
                if (found)
                {
                    found = current.ValueKind == JsonValueKind.Object &&
                        current.TryGetProperty(utf8Path[position..end], out current);
                }
                position = end;
            }
            else
            {
                // utf8Path[position] is '['.
                int start = ++position;
                long index = 0;
                while (position < utf8Path.Length && utf8Path[position] - (byte)'0' is >= 0 and <= 9)
                {
                    index = index * 10 + (utf8Path[position] - (byte)'0');
                    if (index > int.MaxValue) return DocumentStatus.BadPath;
                    position++;
                }
                if (position == start || position >= utf8Path.Length || utf8Path[position] != (byte)']') return DocumentStatus.BadPath;
                position++;
                if (found)
                {
                    found = current.ValueKind == JsonValueKind.Array && index < current.GetArrayLength();
                    if (found) current = current[(int)index];
                }
            }

            if (position == utf8Path.Length) break;
            byte separator = utf8Path[position];
            if (separator == (byte)'.')
            {
                position++;
                expectName = true;
                if (position == utf8Path.Length) return DocumentStatus.BadPath;
            }
            else if (separator == (byte)'[')
            {
                expectName = false;
            }
            else
            {
                return DocumentStatus.BadPath;
            }
        }

        if (!found || current.ValueKind == JsonValueKind.Null) return DocumentStatus.NotFound;
        value = current;
        return DocumentStatus.Ok;
    }

    /// <summary>Finds the value a path names.</summary>
    /// <param name="root">The document.</param>
    /// <param name="path">The path.</param>
    /// <param name="value">The value found; <c>default</c> unless the result is <see cref="DocumentStatus.Ok"/>.</param>
    /// <returns><see cref="DocumentStatus.Ok"/>, <see cref="DocumentStatus.NotFound"/> or <see cref="DocumentStatus.BadPath"/>.</returns>
    public static DocumentStatus Resolve(JsonElement root, string path, out JsonElement value)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Resolve(root, Encoding.UTF8.GetBytes(path), out value);
    }

    /// <summary>
    /// Writes the canonical spelling of a path (array indexes without leading zeros), the form
    /// <see cref="IndexedDocument"/> stores. <paramref name="destination"/> needs the path's length.
    /// </summary>
    /// <param name="utf8Path">The path as the guest spelled it.</param>
    /// <param name="destination">Receives the canonical path.</param>
    /// <param name="written">The canonical path's length.</param>
    /// <returns><see cref="DocumentStatus.Ok"/>, or <see cref="DocumentStatus.BadPath"/> when it is not a path.</returns>
    internal static DocumentStatus Canonicalize(ReadOnlySpan<byte> utf8Path, Span<byte> destination, out int written)
    {
        written = 0;
        if (utf8Path.IsEmpty) return DocumentStatus.BadPath;
        int position = 0;
        bool expectName = utf8Path[0] != (byte)'[';
        while (true)
        {
            if (expectName)
            {
                int end = position;
                while (end < utf8Path.Length && utf8Path[end] is not ((byte)'.' or (byte)'[' or (byte)']')) end++;
                if (end == position) return DocumentStatus.BadPath;
                utf8Path[position..end].CopyTo(destination[written..]);
                written += end - position;
                position = end;
            }
            else
            {
                int start = ++position;
                long index = 0;
                while (position < utf8Path.Length && utf8Path[position] - (byte)'0' is >= 0 and <= 9)
                {
                    index = index * 10 + (utf8Path[position] - (byte)'0');
                    if (index > int.MaxValue) return DocumentStatus.BadPath;
                    position++;
                }
                if (position == start || position >= utf8Path.Length || utf8Path[position] != (byte)']') return DocumentStatus.BadPath;
                position++;
                destination[written++] = (byte)'[';
                ((int)index).TryFormat(destination[written..], out int digits, default, System.Globalization.CultureInfo.InvariantCulture);
                written += digits;
                destination[written++] = (byte)']';
            }

            if (position == utf8Path.Length) return DocumentStatus.Ok;
            byte separator = utf8Path[position];
            if (separator == (byte)'.')
            {
                position++;
                expectName = true;
                if (position == utf8Path.Length) return DocumentStatus.BadPath;
                destination[written++] = (byte)'.';
            }
            else if (separator == (byte)'[')
            {
                expectName = false;
            }
            else
            {
                return DocumentStatus.BadPath;
            }
        }
    }
}
