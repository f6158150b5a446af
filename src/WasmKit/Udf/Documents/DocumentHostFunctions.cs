using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using WasmKit.Backends;
using WasmKit.Backends.Managed;
using WasmKit.Runtime;

namespace WasmKit.Udf;

/// <summary>
/// The "wasmkit" host functions a UDF uses to read its current document (the guest ABI of
/// <c>fixtures/udf/wasmkit_udf.h</c>), defined once for every backend (<see cref="Definitions"/>). Each
/// finds its <see cref="DocumentContext"/> as the calling instance's host state (on the managed engine the
/// store's <see cref="Store.Data"/>). Field reads allocate nothing, and bad guest input (pointers outside
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

    /// <summary>
    /// The document functions as the backend seam defines host functions: a slot-based body every backend
    /// can bind, plus the managed engine's direct entry (<see cref="ManagedHostEntry"/>), which a guest's call
    /// reaches with no stub or delegate between.
    /// </summary>
    public static IReadOnlyList<HostFunctionDefinition> Definitions { get; } = CreateDefinitions();

    /// <summary>Defines every document function on <paramref name="linker"/> under <see cref="ModuleName"/>.</summary>
    /// <param name="linker">The linker.</param>
    /// <exception cref="ArgumentException">One of the names is already defined and shadowing is off.</exception>
    public static void Define(Linker linker)
    {
        ArgumentNullException.ThrowIfNull(linker);
        foreach (var definition in Definitions)
        {
            var entry = (ManagedHostEntry)definition.GetSpecialization(ManagedBackend.BackendName)!;
            linker.DefineEntry(ModuleName, definition.Name, definition.Type, entry.FunctionPointer);
        }
    }

    private static unsafe HostFunctionDefinition[] CreateDefinitions() =>
    [
        // Each managed entry is in the compiled calling convention (the guest's arguments, then the
        // function's context); the general bodies take the arguments as slots.
        Definition("get_field_string", 5, ValueKind.Int32,
            static (c, a, r) => r[0] = (uint)(int)GetFieldString(c, (int)a[0], (int)a[1], (int)a[2], (int)a[3], (int)a[4]),
            (nint)(delegate*<int, int, int, int, int, InstanceContext, int>)&GetFieldStringEntry),
        Definition("get_field_int64", 3, ValueKind.Int32,
            static (c, a, r) => r[0] = TryQuickRead<long>(c, (int)a[0], (int)a[1], (int)a[2]) ? (uint)DocumentStatus.Ok : (uint)(int)GetFieldInt64(c, (int)a[0], (int)a[1], (int)a[2]),
            (nint)(delegate*<int, int, int, InstanceContext, int>)&GetFieldInt64Entry),
        Definition("get_field_float64", 3, ValueKind.Int32,
            static (c, a, r) => r[0] = TryQuickRead<double>(c, (int)a[0], (int)a[1], (int)a[2]) ? (uint)DocumentStatus.Ok : (uint)(int)GetFieldFloat64(c, (int)a[0], (int)a[1], (int)a[2]),
            (nint)(delegate*<int, int, int, InstanceContext, int>)&GetFieldFloat64Entry),
        Definition("get_field_bool", 2, ValueKind.Int32,
            static (c, a, r) => r[0] = (uint)GetFieldBool(c, (int)a[0], (int)a[1]),
            (nint)(delegate*<int, int, InstanceContext, int>)&GetFieldBoolEntry),
        Definition("has_field", 2, ValueKind.Int32,
            static (c, a, r) => r[0] = (uint)HasField(c, (int)a[0], (int)a[1]),
            (nint)(delegate*<int, int, InstanceContext, int>)&HasFieldEntry),
        Definition("get_array_length", 2, ValueKind.Int32,
            static (c, a, r) => r[0] = (uint)GetArrayLength(c, (int)a[0], (int)a[1]),
            (nint)(delegate*<int, int, InstanceContext, int>)&GetArrayLengthEntry),
        Definition("get_document_id", 3, ValueKind.Int32,
            static (c, a, r) => r[0] = (uint)(int)GetDocumentId(c, (int)a[0], (int)a[1], (int)a[2]),
            (nint)(delegate*<int, int, int, InstanceContext, int>)&GetDocumentIdEntry),
        Definition("get_score", 0, ValueKind.Float64,
            static (c, a, r) => r[0] = (ulong)BitConverter.DoubleToInt64Bits(c.State is DocumentContext context ? context.Score : 0),
            (nint)(delegate*<InstanceContext, double>)&GetScoreEntry),
        Definition("log", 2, ValueKind.Int32,
            static (c, a, r) => r[0] = (uint)(int)WriteLog(c, (int)a[0], (int)a[1]),
            (nint)(delegate*<int, int, InstanceContext, int>)&LogEntry),
    ];

    private static HostFunctionDefinition Definition(string name, int parameterCount, ValueKind result, HostFunctionImplementation body, nint managedEntry) =>
        new HostFunctionDefinition(ModuleName, name, Signature(parameterCount, result), body)
            .WithSpecialization(ManagedBackend.BackendName, new ManagedHostEntry(managedEntry));

    /// <summary>i32 parameters and one result.</summary>
    private static FunctionType Signature(int parameterCount, ValueKind result) =>
        new(Enumerable.Repeat(ValueKind.Int32, parameterCount), [result]);

    /// <summary>The call context of the host function whose context is <paramref name="function"/> (on the stack; allocates nothing).</summary>
    private static HostCallContext ContextOf(InstanceContext function) => new(function.Store.Data, function.CallingContext?.Memory0);

    private static int GetFieldStringEntry(int path, int pathLength, int buffer, int capacity, int lengthOut, InstanceContext function) =>
        (int)GetFieldString(ContextOf(function), path, pathLength, buffer, capacity, lengthOut);

    private static int GetFieldInt64Entry(int path, int pathLength, int output, InstanceContext function) =>
        TryQuickRead<long>(path, pathLength, output, function) ? (int)DocumentStatus.Ok : GetFieldInt64Entered(path, pathLength, output, function);

    private static int GetFieldFloat64Entry(int path, int pathLength, int output, InstanceContext function) =>
        TryQuickRead<double>(path, pathLength, output, function) ? (int)DocumentStatus.Ok : GetFieldFloat64Entered(path, pathLength, output, function);

    // The general path of the numeric entries, out of line with its call context, so the entries stay as small as their hot case.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int GetFieldInt64Entered(int path, int pathLength, int output, InstanceContext function) =>
        (int)GetFieldInt64(ContextOf(function), path, pathLength, output);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int GetFieldFloat64Entered(int path, int pathLength, int output, InstanceContext function) =>
        (int)GetFieldFloat64(ContextOf(function), path, pathLength, output);

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
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref MemoryMarshal.GetReference(bytes), (nint)(uint)output), value);
        memory.MarkDirty((uint)output, (uint)Unsafe.SizeOf<T>());
        return true;
    }

    /// <summary>
    /// The same hot case for the general bodies (every other backend): the call context's state and memory
    /// instead of the managed engine's; <see langword="false"/> sends anything else to the general path.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryQuickRead<T>(HostCallContext call, int path, int pathLength, int output) where T : unmanaged
    {
        if (call.State is not DocumentContext { Indexed: { } indexed }) return false;
        Span<byte> bytes = call.Memory;
        if ((ulong)(uint)path + (uint)pathLength > (ulong)bytes.Length || (ulong)(uint)output + (uint)Unsafe.SizeOf<T>() > (ulong)bytes.Length ||
            !indexed.TryGetNumberQuick(ref Unsafe.Add(ref MemoryMarshal.GetReference(bytes), (nint)(uint)path), pathLength, out T value))
            return false;
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref MemoryMarshal.GetReference(bytes), (nint)(uint)output), value);
        call.Written(output, Unsafe.SizeOf<T>());
        return true;
    }

    private static int GetFieldBoolEntry(int path, int pathLength, InstanceContext function) =>
        GetFieldBool(ContextOf(function), path, pathLength);

    private static int HasFieldEntry(int path, int pathLength, InstanceContext function) =>
        HasField(ContextOf(function), path, pathLength);

    private static int GetArrayLengthEntry(int path, int pathLength, InstanceContext function) =>
        GetArrayLength(ContextOf(function), path, pathLength);

    private static int GetDocumentIdEntry(int buffer, int capacity, int lengthOut, InstanceContext function) =>
        (int)GetDocumentId(ContextOf(function), buffer, capacity, lengthOut);

    private static double GetScoreEntry(InstanceContext function) =>
        function.Store.Data is DocumentContext context ? context.Score : 0;

    private static int LogEntry(int message, int length, InstanceContext function) =>
        (int)WriteLog(ContextOf(function), message, length);

    private static DocumentStatus GetFieldString(HostCallContext call, int path, int pathLength, int buffer, int capacity, int lengthOut)
    {
        var status = Resolve(call, path, pathLength, out var value);
        if (status != DocumentStatus.Ok) return status;
        if (!InBounds(call, buffer, capacity) || !InBounds(call, lengthOut, sizeof(int))) return DocumentStatus.BadPointer;
        if (value.Kind != JsonValueKind.String) return DocumentStatus.WrongType;
        if (value.TryGetIndexedString(out var indexed)) return CopyOut(call, indexed, buffer, capacity, lengthOut);

        // The raw token is the quoted, possibly escaped string straight from the document's bytes.
        var raw = JsonMarshal.GetRawUtf8Value(value.Element);
        var inner = raw[1..^1];
        if (inner.IndexOf((byte)'\\') < 0) return CopyOut(call, inner, buffer, capacity, lengthOut);

        // Unescaping never lengthens a string, so a buffer as long as the escaped form always fits.
        if (inner.Length <= capacity)
        {
            int written = Unescape(raw, call.Memory.Slice(buffer, capacity));
            call.Written(buffer, written);
            WriteInt32(call, lengthOut, written);
            return DocumentStatus.Ok;
        }
        byte[] scratch = ArrayPool<byte>.Shared.Rent(inner.Length);
        try
        {
            int length = Unescape(raw, scratch);
            return CopyOut(call, scratch.AsSpan(0, length), buffer, capacity, lengthOut);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private static DocumentStatus GetFieldInt64(HostCallContext call, int path, int pathLength, int output)
    {
        var status = Resolve(call, path, pathLength, out var value);
        if (status != DocumentStatus.Ok) return status;
        if (!InBounds(call, output, sizeof(long))) return DocumentStatus.BadPointer;
        if (!value.TryGetInt64(out long number)) return DocumentStatus.WrongType;
        WriteScalar(call, output, number);
        return DocumentStatus.Ok;
    }

    private static DocumentStatus GetFieldFloat64(HostCallContext call, int path, int pathLength, int output)
    {
        var status = Resolve(call, path, pathLength, out var value);
        if (status != DocumentStatus.Ok) return status;
        if (!InBounds(call, output, sizeof(double))) return DocumentStatus.BadPointer;
        if (!value.TryGetDouble(out double number)) return DocumentStatus.WrongType;
        WriteScalar(call, output, number);
        return DocumentStatus.Ok;
    }

    private static int GetFieldBool(HostCallContext call, int path, int pathLength)
    {
        var status = Resolve(call, path, pathLength, out var value);
        if (status != DocumentStatus.Ok) return (int)status;
        return value.Kind switch
        {
            JsonValueKind.True => 1,
            JsonValueKind.False => 0,
            _ => (int)DocumentStatus.WrongType,
        };
    }

    private static int HasField(HostCallContext call, int path, int pathLength) =>
        Resolve(call, path, pathLength, out _) switch
        {
            DocumentStatus.Ok => 1,
            DocumentStatus.NotFound => 0,
            var status => (int)status,
        };

    private static int GetArrayLength(HostCallContext call, int path, int pathLength)
    {
        var status = Resolve(call, path, pathLength, out var value);
        if (status != DocumentStatus.Ok) return (int)status;
        return value.Kind == JsonValueKind.Array ? value.ArrayLength : (int)DocumentStatus.WrongType;
    }

    private static DocumentStatus GetDocumentId(HostCallContext call, int buffer, int capacity, int lengthOut)
    {
        if (call.State is not DocumentContext { HasDocument: true } context) return DocumentStatus.NoDocument;
        if (!InBounds(call, buffer, capacity) || !InBounds(call, lengthOut, sizeof(int))) return DocumentStatus.BadPointer;
        if (context.DocumentId is not string id) return DocumentStatus.NotFound;
        int length = Encoding.UTF8.GetByteCount(id);
        WriteInt32(call, lengthOut, length);
        if (length > capacity) return DocumentStatus.BufferTooSmall;
        Encoding.UTF8.GetBytes(id, call.Memory.Slice(buffer, length));
        call.Written(buffer, length);
        return DocumentStatus.Ok;
    }

    private static DocumentStatus WriteLog(HostCallContext call, int message, int length)
    {
        if (!InBounds(call, message, length)) return DocumentStatus.BadPointer;
        if (call.State is not DocumentContext context) return DocumentStatus.NoDocument;
        context.Log?.Invoke(Encoding.UTF8.GetString(call.Memory.Slice(message, length)));
        return DocumentStatus.Ok;
    }

    /// <summary>The common start of the field functions: the context, the path's bytes, the value.</summary>
    private static DocumentStatus Resolve(HostCallContext call, int path, int pathLength, out DocumentValue value)
    {
        value = default;
        if (call.State is not DocumentContext { HasDocument: true } context) return DocumentStatus.NoDocument;
        if (!InBounds(call, path, pathLength)) return DocumentStatus.BadPointer;
        var utf8Path = call.Memory.Slice(path, pathLength);
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

    /// <summary>Whether [address, address + length) lies inside the caller's memory; guest addresses are unsigned.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool InBounds(HostCallContext call, int address, int length) =>
        call.HasMemory && length >= 0 && (ulong)(uint)address + (ulong)length <= (ulong)call.Memory.Length;

    private static DocumentStatus CopyOut(HostCallContext call, ReadOnlySpan<byte> bytes, int buffer, int capacity, int lengthOut)
    {
        WriteInt32(call, lengthOut, bytes.Length);
        if (bytes.Length > capacity) return DocumentStatus.BufferTooSmall;
        bytes.CopyTo(call.Memory.Slice(buffer, bytes.Length));
        call.Written(buffer, bytes.Length);
        return DocumentStatus.Ok;
    }

    /// <summary>Writes a little-endian scalar at an address already checked to be in bounds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteScalar<T>(HostCallContext call, int address, T value) where T : unmanaged
    {
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref MemoryMarshal.GetReference(call.Memory), (nint)(uint)address), value);
        call.Written(address, Unsafe.SizeOf<T>());
    }

    private static void WriteInt32(HostCallContext call, int address, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(call.Memory.Slice(address, sizeof(int)), value);
        call.Written(address, sizeof(int));
    }

    /// <summary>Unescapes a raw JSON string token (quotes included) into <paramref name="destination"/>; returns the bytes written.</summary>
    /// <remarks>Lone surrogate escapes read as U+FFFD: a host function answers with a status, never an exception.</remarks>
    private static int Unescape(ReadOnlySpan<byte> rawToken, Span<byte> destination) =>
        JsonStringUnescaper.Unescape(rawToken[1..^1], destination);
}
