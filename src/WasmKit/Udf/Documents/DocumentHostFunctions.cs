using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace WasmKit.Udf;

/// <summary>
/// The "wasmkit" host functions a UDF uses to read its current document (the guest ABI of
/// <c>fixtures/udf/wasmkit_udf.h</c>). Each finds its <see cref="DocumentContext"/> as the calling
/// store's <see cref="Store.Data"/>. Field reads allocate nothing, and bad guest input (pointers outside
/// memory, malformed paths) yields a <see cref="DocumentStatus"/>, never a host exception.
/// </summary>
/// <remarks>
/// Signatures (pointers and lengths are i32; every function returns an i32 status unless noted):
/// <c>get_field_string(path, path_len, buf, buf_cap, len_out)</c>, <c>get_field_int64(path, path_len, out)</c>,
/// <c>get_field_float64(path, path_len, out)</c>, <c>get_field_bool(path, path_len)</c> (1/0/status),
/// <c>has_field(path, path_len)</c> (1/0/status), <c>get_array_length(path, path_len)</c> (count/status),
/// <c>get_document_id(buf, buf_cap, len_out)</c>, <c>get_score() -&gt; f64</c>, <c>log(message, len)</c>.
/// </remarks>
public static class DocumentHostFunctions
{
    /// <summary>The import module name of the document functions.</summary>
    public const string ModuleName = "wasmkit";

    /// <summary>Defines every document function on <paramref name="linker"/> under <see cref="ModuleName"/>.</summary>
    /// <param name="linker">The linker.</param>
    /// <exception cref="ArgumentException">One of the names is already defined and shadowing is off.</exception>
    public static void Define(Linker linker)
    {
        ArgumentNullException.ThrowIfNull(linker);
        linker.DefineFunction<int, int, int, int, int, int>(ModuleName, "get_field_string", static (caller, path, pathLength, buffer, capacity, lengthOut) =>
            (int)GetFieldString(caller, path, pathLength, buffer, capacity, lengthOut));
        linker.DefineFunction<int, int, int, int>(ModuleName, "get_field_int64", static (caller, path, pathLength, output) =>
            (int)GetFieldInt64(caller, path, pathLength, output));
        linker.DefineFunction<int, int, int, int>(ModuleName, "get_field_float64", static (caller, path, pathLength, output) =>
            (int)GetFieldFloat64(caller, path, pathLength, output));
        linker.DefineFunction<int, int, int>(ModuleName, "get_field_bool", static (caller, path, pathLength) =>
            GetFieldBool(caller, path, pathLength));
        linker.DefineFunction<int, int, int>(ModuleName, "has_field", static (caller, path, pathLength) =>
            HasField(caller, path, pathLength));
        linker.DefineFunction<int, int, int>(ModuleName, "get_array_length", static (caller, path, pathLength) =>
            GetArrayLength(caller, path, pathLength));
        linker.DefineFunction<int, int, int, int>(ModuleName, "get_document_id", static (caller, buffer, capacity, lengthOut) =>
            (int)GetDocumentId(caller, buffer, capacity, lengthOut));
        linker.DefineFunction<double>(ModuleName, "get_score", static caller =>
            caller.Store.Data is DocumentContext context ? context.Score : 0);
        linker.DefineFunction<int, int, int>(ModuleName, "log", static (caller, message, length) =>
            (int)WriteLog(caller, message, length));
    }

    private static DocumentStatus GetFieldString(Caller caller, int path, int pathLength, int buffer, int capacity, int lengthOut)
    {
        var status = Resolve(caller, path, pathLength, out var value, out var memory);
        if (status != DocumentStatus.Ok) return status;
        if (!InBounds(memory, buffer, capacity) || !InBounds(memory, lengthOut, sizeof(int))) return DocumentStatus.BadPointer;
        if (value.ValueKind != JsonValueKind.String) return DocumentStatus.WrongType;

        // The raw token is the quoted, possibly escaped string straight from the document's bytes.
        var raw = JsonMarshal.GetRawUtf8Value(value);
        var inner = raw[1..^1];
        if (inner.IndexOf((byte)'\\') < 0) return CopyOut(memory!, inner, buffer, capacity, lengthOut);

        // Unescaping never lengthens a string, so a buffer as long as the escaped form always fits.
        if (inner.Length <= capacity)
        {
            int written = Unescape(raw, memory!.Buffer.AsSpan(buffer, capacity));
            memory.MarkDirty((uint)buffer, (uint)written);
            WriteInt32(memory, lengthOut, written);
            return DocumentStatus.Ok;
        }
        byte[] scratch = ArrayPool<byte>.Shared.Rent(inner.Length);
        try
        {
            int length = Unescape(raw, scratch);
            return CopyOut(memory!, scratch.AsSpan(0, length), buffer, capacity, lengthOut);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private static DocumentStatus GetFieldInt64(Caller caller, int path, int pathLength, int output)
    {
        var status = Resolve(caller, path, pathLength, out var value, out var memory);
        if (status != DocumentStatus.Ok) return status;
        if (!InBounds(memory, output, sizeof(long))) return DocumentStatus.BadPointer;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out long number)) return DocumentStatus.WrongType;
        BinaryPrimitives.WriteInt64LittleEndian(memory!.Buffer.AsSpan(output, sizeof(long)), number);
        memory.MarkDirty((uint)output, sizeof(long));
        return DocumentStatus.Ok;
    }

    private static DocumentStatus GetFieldFloat64(Caller caller, int path, int pathLength, int output)
    {
        var status = Resolve(caller, path, pathLength, out var value, out var memory);
        if (status != DocumentStatus.Ok) return status;
        if (!InBounds(memory, output, sizeof(double))) return DocumentStatus.BadPointer;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out double number)) return DocumentStatus.WrongType;
        BinaryPrimitives.WriteDoubleLittleEndian(memory!.Buffer.AsSpan(output, sizeof(double)), number);
        memory.MarkDirty((uint)output, sizeof(double));
        return DocumentStatus.Ok;
    }

    private static int GetFieldBool(Caller caller, int path, int pathLength)
    {
        var status = Resolve(caller, path, pathLength, out var value, out _);
        if (status != DocumentStatus.Ok) return (int)status;
        return value.ValueKind switch
        {
            JsonValueKind.True => 1,
            JsonValueKind.False => 0,
            _ => (int)DocumentStatus.WrongType,
        };
    }

    private static int HasField(Caller caller, int path, int pathLength) =>
        Resolve(caller, path, pathLength, out _, out _) switch
        {
            DocumentStatus.Ok => 1,
            DocumentStatus.NotFound => 0,
            var status => (int)status,
        };

    private static int GetArrayLength(Caller caller, int path, int pathLength)
    {
        var status = Resolve(caller, path, pathLength, out var value, out _);
        if (status != DocumentStatus.Ok) return (int)status;
        return value.ValueKind == JsonValueKind.Array ? value.GetArrayLength() : (int)DocumentStatus.WrongType;
    }

    private static DocumentStatus GetDocumentId(Caller caller, int buffer, int capacity, int lengthOut)
    {
        if (caller.Store.Data is not DocumentContext { HasDocument: true } context) return DocumentStatus.NoDocument;
        var memory = caller.Memory;
        if (!InBounds(memory, buffer, capacity) || !InBounds(memory, lengthOut, sizeof(int))) return DocumentStatus.BadPointer;
        if (context.DocumentId is not string id) return DocumentStatus.NotFound;
        int length = Encoding.UTF8.GetByteCount(id);
        WriteInt32(memory!, lengthOut, length);
        if (length > capacity) return DocumentStatus.BufferTooSmall;
        Encoding.UTF8.GetBytes(id, memory!.Buffer.AsSpan(buffer, length));
        memory.MarkDirty((uint)buffer, (uint)length);
        return DocumentStatus.Ok;
    }

    private static DocumentStatus WriteLog(Caller caller, int message, int length)
    {
        var memory = caller.Memory;
        if (!InBounds(memory, message, length)) return DocumentStatus.BadPointer;
        if (caller.Store.Data is not DocumentContext context) return DocumentStatus.NoDocument;
        context.Log?.Invoke(Encoding.UTF8.GetString(memory!.Buffer.AsSpan(message, length)));
        return DocumentStatus.Ok;
    }

    /// <summary>The common start of the field functions: the context, the path's bytes, the value.</summary>
    private static DocumentStatus Resolve(Caller caller, int path, int pathLength, out JsonElement value, out Memory? memory)
    {
        value = default;
        memory = caller.Memory;
        if (caller.Store.Data is not DocumentContext { HasDocument: true } context) return DocumentStatus.NoDocument;
        if (!InBounds(memory, path, pathLength)) return DocumentStatus.BadPointer;
        return FieldPath.Resolve(context.Document, memory!.Buffer.AsSpan(path, pathLength), out value);
    }

    /// <summary>Whether [address, address + length) lies inside the memory; guest addresses are unsigned.</summary>
    private static bool InBounds(Memory? memory, int address, int length) =>
        memory is not null && length >= 0 && (ulong)(uint)address + (ulong)length <= memory.ByteLength;

    private static DocumentStatus CopyOut(Memory memory, ReadOnlySpan<byte> bytes, int buffer, int capacity, int lengthOut)
    {
        WriteInt32(memory, lengthOut, bytes.Length);
        if (bytes.Length > capacity) return DocumentStatus.BufferTooSmall;
        bytes.CopyTo(memory.Buffer.AsSpan(buffer, bytes.Length));
        memory.MarkDirty((uint)buffer, (uint)bytes.Length);
        return DocumentStatus.Ok;
    }

    private static void WriteInt32(Memory memory, int address, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(memory.Buffer.AsSpan(address, sizeof(int)), value);
        memory.MarkDirty((uint)address, sizeof(int));
    }

    /// <summary>Unescapes a raw JSON string token (quotes included) into <paramref name="destination"/>; returns the bytes written.</summary>
    private static int Unescape(ReadOnlySpan<byte> rawToken, Span<byte> destination)
    {
        var reader = new Utf8JsonReader(rawToken);
        reader.Read();
        return reader.CopyString(destination);
    }
}
