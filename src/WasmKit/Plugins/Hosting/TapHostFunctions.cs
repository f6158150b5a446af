using System.Buffers.Binary;
using WasmKit.Backends;

namespace WasmKit.Plugins;

/// <summary>
/// The tap SDK's host functions (module <c>wasmkit_tap</c>), through which handle-mode taps reach the item:
/// <c>item_get(name_ptr, name_len, buf, buf_cap, len_out) -> status</c> and
/// <c>item_set(name_ptr, name_len, value_ptr, value_len) -> status</c>. Every pointer is checked; a field the
/// manifest does not grant reads as missing, and a write it does not grant is refused (and fails the call).
/// </summary>
internal static class TapHostFunctions
{
    public const string Module = "wasmkit_tap";

    public static HostFunctionDefinition ItemGet { get; } = new(Module, "item_get",
        FunctionType.Of([ValueKind.Int32, ValueKind.Int32, ValueKind.Int32, ValueKind.Int32, ValueKind.Int32], [ValueKind.Int32]), Get);

    public static HostFunctionDefinition ItemSet { get; } = new(Module, "item_set",
        FunctionType.Of([ValueKind.Int32, ValueKind.Int32, ValueKind.Int32, ValueKind.Int32], [ValueKind.Int32]), Set);

    public static IReadOnlyList<HostFunctionDefinition> All { get; } = [ItemGet, ItemSet];

    private static void Get(HostCallContext context, ReadOnlySpan<ulong> arguments, Span<ulong> results)
    {
        results[0] = (uint)GetField(context, (uint)arguments[0], (uint)arguments[1], (uint)arguments[2], (uint)arguments[3], (uint)arguments[4]);
    }

    private static void Set(HostCallContext context, ReadOnlySpan<ulong> arguments, Span<ulong> results)
    {
        results[0] = (uint)SetField(context, (uint)arguments[0], (uint)arguments[1], (uint)arguments[2], (uint)arguments[3]);
    }

    private static int GetField(HostCallContext context, uint namePointer, uint nameLength, uint buffer, uint capacity, uint lengthOut)
    {
        if (context.State is not PluginCallState { Binding: { } binding, Item: { } item }) return TapStatus.NotFound;
        var memory = context.Memory;
        if (!InBounds(memory, namePointer, nameLength) || !InBounds(memory, lengthOut, 4)) return TapStatus.BadPointer;
        var name = memory.Slice((int)namePointer, (int)nameLength);
        // An undeclared field is indistinguishable from a missing one, as in serialized mode.
        int index = binding.CanRead(name) ? item.IndexOf(name) : -1;
        if (index < 0) return TapStatus.NotFound;
        var value = item.RawValue(index).Span;
        BinaryPrimitives.WriteInt32LittleEndian(memory.Slice((int)lengthOut, 4), value.Length);
        context.Written((int)lengthOut, 4);
        if ((uint)value.Length > capacity) return TapStatus.BufferTooSmall;
        if (!InBounds(memory, buffer, (uint)value.Length)) return TapStatus.BadPointer;
        value.CopyTo(memory.Slice((int)buffer, value.Length));
        context.Written((int)buffer, value.Length);
        return TapStatus.Ok;
    }

    private static int SetField(HostCallContext context, uint namePointer, uint nameLength, uint valuePointer, uint valueLength)
    {
        if (context.State is not PluginCallState { Binding: { } binding } state) return TapStatus.Denied;
        var memory = context.Memory;
        if (!InBounds(memory, namePointer, nameLength) || !InBounds(memory, valuePointer, valueLength)) return TapStatus.BadPointer;
        var name = memory.Slice((int)namePointer, (int)nameLength);
        if (!binding.CanWrite(name))
        {
            state.Violation ??= (TapFailureKind.Denied, $"the manifest does not let tap '{binding.Declaration.Name}' write the field '{System.Text.Encoding.UTF8.GetString(name)}'");
            return TapStatus.Denied;
        }
        // The changes of one call together are bounded as a serialized result is: a guest looping on item_set cannot fill the host's memory.
        int limit = binding.Plugin.Host.Options.MaximumResultBytes;
        if (state.PendingBytes + nameLength + valueLength > limit)
        {
            state.Violation ??= (TapFailureKind.OversizedResult, $"the tap's changes exceed the {limit} bytes a result may have");
            return TapStatus.TooLarge;
        }
        var value = memory.Slice((int)valuePointer, (int)valueLength);
        if (!JsonValueCheck.IsSingleValue(value)) return TapStatus.BadJson;
        state.PendingBytes += nameLength + valueLength;
        state.PendingSets.Add(new(name.ToArray(), value.ToArray()));
        return TapStatus.Ok;
    }

    private static bool InBounds(Span<byte> memory, uint pointer, uint length) => (ulong)pointer + length <= (ulong)memory.Length;
}
