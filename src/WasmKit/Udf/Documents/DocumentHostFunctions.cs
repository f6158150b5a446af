using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using WasmKit.Runtime;

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
    public static unsafe void Define(Linker linker)
    {
        ArgumentNullException.ThrowIfNull(linker);
        // Each function is its own entry in the compiled calling convention (the guest's arguments,
        // then the function's context): a guest's call reaches it with no stub or delegate between.
        linker.DefineEntry(ModuleName, "get_field_string", Signature(5, ValueKind.Int32),
            (nint)(delegate*<int, int, int, int, int, InstanceContext, int>)&GetFieldStringEntry);
        linker.DefineEntry(ModuleName, "get_field_int64", Signature(3, ValueKind.Int32),
            (nint)(delegate*<int, int, int, InstanceContext, int>)&GetFieldInt64Entry);
        linker.DefineEntry(ModuleName, "get_field_float64", Signature(3, ValueKind.Int32),
            (nint)(delegate*<int, int, int, InstanceContext, int>)&GetFieldFloat64Entry);
        linker.DefineEntry(ModuleName, "get_field_bool", Signature(2, ValueKind.Int32),
            (nint)(delegate*<int, int, InstanceContext, int>)&GetFieldBoolEntry);
        linker.DefineEntry(ModuleName, "has_field", Signature(2, ValueKind.Int32),
            (nint)(delegate*<int, int, InstanceContext, int>)&HasFieldEntry);
        linker.DefineEntry(ModuleName, "get_array_length", Signature(2, ValueKind.Int32),
            (nint)(delegate*<int, int, InstanceContext, int>)&GetArrayLengthEntry);
        linker.DefineEntry(ModuleName, "get_document_id", Signature(3, ValueKind.Int32),
            (nint)(delegate*<int, int, int, InstanceContext, int>)&GetDocumentIdEntry);
        linker.DefineEntry(ModuleName, "get_score", Signature(0, ValueKind.Float64),
            (nint)(delegate*<InstanceContext, double>)&GetScoreEntry);
        linker.DefineEntry(ModuleName, "log", Signature(2, ValueKind.Int32),
            (nint)(delegate*<int, int, InstanceContext, int>)&LogEntry);
    }

    /// <summary>i32 parameters and one result.</summary>
    private static FunctionType Signature(int parameterCount, ValueKind result) =>
        new(Enumerable.Repeat(ValueKind.Int32, parameterCount), [result]);

    /// <summary>The caller of the host function whose context is <paramref name="function"/>.</summary>
    private static Caller CallerOf(InstanceContext function) => new(function.CallingContext, function.Store);

    private static int GetFieldStringEntry(int path, int pathLength, int buffer, int capacity, int lengthOut, InstanceContext function) =>
        (int)GetFieldString(CallerOf(function), path, pathLength, buffer, capacity, lengthOut);

    private static int GetFieldInt64Entry(int path, int pathLength, int output, InstanceContext function) =>
        TryQuickRead<long>(path, pathLength, output, function) ? (int)DocumentStatus.Ok : (int)GetFieldInt64(CallerOf(function), path, pathLength, output);

    private static int GetFieldFloat64Entry(int path, int pathLength, int output, InstanceContext function) =>
        TryQuickRead<double>(path, pathLength, output, function) ? (int)DocumentStatus.Ok : (int)GetFieldFloat64(CallerOf(function), path, pathLength, output);

    /// <summary>
    /// The numeric reads' hot case in full: a direct call from the importing instance, an indexed
    /// document, a short path spelled canonically, a number of the wanted kind. Anything else returns
    /// <see langword="false"/> for the general path, which tells the cases apart.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryQuickRead<T>(int path, int pathLength, int output, InstanceContext function) where T : unmanaged
    {
        if (function.BoundCaller is not { Memory0: { } memory } || function.Store.Data is not DocumentContext { Indexed: { } indexed }) return false;
        Span<byte> bytes = memory.Bytes;
        if ((ulong)(uint)path + (uint)pathLength > (ulong)bytes.Length || (ulong)(uint)output + (uint)Unsafe.SizeOf<T>() > (ulong)bytes.Length ||
            !indexed.TryGetNumberQuick(ref Unsafe.Add(ref MemoryMarshal.GetReference(bytes), (nint)(uint)path), pathLength, out T value))
            return false;
        WriteScalar(memory, bytes, output, value);
        return true;
    }

    private static int GetFieldBoolEntry(int path, int pathLength, InstanceContext function) =>
        GetFieldBool(CallerOf(function), path, pathLength);

    private static int HasFieldEntry(int path, int pathLength, InstanceContext function) =>
        HasField(CallerOf(function), path, pathLength);

    private static int GetArrayLengthEntry(int path, int pathLength, InstanceContext function) =>
        GetArrayLength(CallerOf(function), path, pathLength);

    private static int GetDocumentIdEntry(int buffer, int capacity, int lengthOut, InstanceContext function) =>
        (int)GetDocumentId(CallerOf(function), buffer, capacity, lengthOut);

    private static double GetScoreEntry(InstanceContext function) =>
        function.Store.Data is DocumentContext context ? context.Score : 0;

    private static int LogEntry(int message, int length, InstanceContext function) =>
        (int)WriteLog(CallerOf(function), message, length);

    private static DocumentStatus GetFieldString(Caller caller, int path, int pathLength, int buffer, int capacity, int lengthOut)
    {
        var status = Resolve(caller, path, pathLength, out var value, out var memory);
        if (status != DocumentStatus.Ok) return status;
        if (!InBounds(memory, buffer, capacity) || !InBounds(memory, lengthOut, sizeof(int))) return DocumentStatus.BadPointer;
        if (value.Kind != JsonValueKind.String) return DocumentStatus.WrongType;
        if (value.TryGetIndexedString(out var indexed)) return CopyOut(memory!, indexed, buffer, capacity, lengthOut);

        // The raw token is the quoted, possibly escaped string straight from the document's bytes.
        var raw = JsonMarshal.GetRawUtf8Value(value.Element);
        var inner = raw[1..^1];
        if (inner.IndexOf((byte)'\\') < 0) return CopyOut(memory!, inner, buffer, capacity, lengthOut);

        // Unescaping never lengthens a string, so a buffer as long as the escaped form always fits.
        if (inner.Length <= capacity)
        {
            int written = Unescape(raw, memory!.Bytes.Slice(buffer, capacity));
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

    // The general path of the numeric reads, out of line so the entries' hot case stays small.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static DocumentStatus GetFieldInt64(Caller caller, int path, int pathLength, int output)
    {
        var status = Resolve(caller, path, pathLength, out var value, out var memory);
        if (status != DocumentStatus.Ok) return status;
        if (!InBounds(memory, output, sizeof(long))) return DocumentStatus.BadPointer;
        if (!value.TryGetInt64(out long number)) return DocumentStatus.WrongType;
        WriteScalar(memory!, memory!.Bytes, output, number);
        return DocumentStatus.Ok;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static DocumentStatus GetFieldFloat64(Caller caller, int path, int pathLength, int output)
    {
        var status = Resolve(caller, path, pathLength, out var value, out var memory);
        if (status != DocumentStatus.Ok) return status;
        if (!InBounds(memory, output, sizeof(double))) return DocumentStatus.BadPointer;
        if (!value.TryGetDouble(out double number)) return DocumentStatus.WrongType;
        WriteScalar(memory!, memory!.Bytes, output, number);
        return DocumentStatus.Ok;
    }

    private static int GetFieldBool(Caller caller, int path, int pathLength)
    {
        var status = Resolve(caller, path, pathLength, out var value, out _);
        if (status != DocumentStatus.Ok) return (int)status;
        return value.Kind switch
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
        return value.Kind == JsonValueKind.Array ? value.ArrayLength : (int)DocumentStatus.WrongType;
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
        Encoding.UTF8.GetBytes(id, memory!.Bytes.Slice(buffer, length));
        memory.MarkDirty((uint)buffer, (uint)length);
        return DocumentStatus.Ok;
    }

    private static DocumentStatus WriteLog(Caller caller, int message, int length)
    {
        var memory = caller.Memory;
        if (!InBounds(memory, message, length)) return DocumentStatus.BadPointer;
        if (caller.Store.Data is not DocumentContext context) return DocumentStatus.NoDocument;
        context.Log?.Invoke(Encoding.UTF8.GetString(memory!.Bytes.Slice(message, length)));
        return DocumentStatus.Ok;
    }

    /// <summary>The common start of the field functions: the context, the path's bytes, the value.</summary>
    private static DocumentStatus Resolve(Caller caller, int path, int pathLength, out DocumentValue value, out Memory? memory)
    {
        value = default;
        memory = caller.Memory;
        if (caller.Store.Data is not DocumentContext { HasDocument: true } context) return DocumentStatus.NoDocument;
        if (!InBounds(memory, path, pathLength)) return DocumentStatus.BadPointer;
        var utf8Path = memory!.Bytes.Slice(path, pathLength);
        DocumentStatus status;
        if (context.Indexed is { } indexed)
        {
            status = indexed.Find(utf8Path, out int index);
            if (status == DocumentStatus.Ok) value = new DocumentValue(indexed, index);
        }
        else
        {
            status = FieldPath.Resolve(context.Document, utf8Path, out var element);
            if (status == DocumentStatus.Ok) value = new DocumentValue(element);
        }
        return status;
    }

    /// <summary>Whether [address, address + length) lies inside the memory; guest addresses are unsigned.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool InBounds(Memory? memory, int address, int length) =>
        memory is not null && length >= 0 && (ulong)(uint)address + (ulong)length <= memory.ByteLength;

    private static DocumentStatus CopyOut(Memory memory, ReadOnlySpan<byte> bytes, int buffer, int capacity, int lengthOut)
    {
        WriteInt32(memory, lengthOut, bytes.Length);
        if (bytes.Length > capacity) return DocumentStatus.BufferTooSmall;
        bytes.CopyTo(memory.Bytes.Slice(buffer, bytes.Length));
        memory.MarkDirty((uint)buffer, (uint)bytes.Length);
        return DocumentStatus.Ok;
    }

    /// <summary>Writes a little-endian scalar into <paramref name="bytes"/> (the memory's buffer) at an address already checked to be in bounds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteScalar<T>(Memory memory, Span<byte> bytes, int address, T value) where T : unmanaged
    {
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref MemoryMarshal.GetReference(bytes), (nint)(uint)address), value);
        memory.MarkDirty((uint)address, (uint)Unsafe.SizeOf<T>());
    }

    private static void WriteInt32(Memory memory, int address, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(memory.Bytes.Slice(address, sizeof(int)), value);
        memory.MarkDirty((uint)address, sizeof(int));
    }

    /// <summary>Unescapes a raw JSON string token (quotes included) into <paramref name="destination"/>; returns the bytes written.</summary>
    /// <remarks>Lone surrogate escapes read as U+FFFD: a host function answers with a status, never an exception.</remarks>
    private static int Unescape(ReadOnlySpan<byte> rawToken, Span<byte> destination) =>
        JsonStringUnescaper.Unescape(rawToken[1..^1], destination);
}
