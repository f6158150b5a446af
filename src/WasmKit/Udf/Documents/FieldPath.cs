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
        var current = root;
        bool found = root.ValueKind != JsonValueKind.Undefined;
        var segments = new FieldPathSegments(utf8Path);
        DocumentStatus status;
        while (segments.MoveNext(out status))
        {
            // Past a missing step the rest is still read, so a malformed tail reports BadPath.
            if (!found) continue;
            if (segments.IsIndex)
            {
                found = current.ValueKind == JsonValueKind.Array && segments.Index < current.GetArrayLength();
                if (found) current = current[segments.Index];
            }
            else
            {
                found = current.ValueKind == JsonValueKind.Object && current.TryGetProperty(segments.Name, out current);
            }
        }

        if (status != DocumentStatus.Ok) return status;
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
        var segments = new FieldPathSegments(utf8Path);
        DocumentStatus status;
        while (segments.MoveNext(out status))
        {
            if (segments.IsIndex)
            {
                destination[written++] = (byte)'[';
                segments.Index.TryFormat(destination[written..], out int digits, default, System.Globalization.CultureInfo.InvariantCulture);
                written += digits;
                destination[written++] = (byte)']';
            }
            else
            {
                if (written > 0) destination[written++] = (byte)'.';
                segments.Name.CopyTo(destination[written..]);
                written += segments.Name.Length;
            }
        }
        return status;
    }
}
