using System.Buffers;
using WasmKit.Backends;

namespace WasmKit.Reducers;

/// <summary>
/// One reducer instance: a pure function <c>(state, commands, loaded data) -> (state', effects)</c> running in
/// its own guest store. Two ways to drive it:
/// <list type="bullet">
/// <item><see cref="Apply"/> passes the state in and gets it back serialized on every batch (the host owns the state);</item>
/// <item><see cref="LoadState"/> once, then <see cref="ApplyToLoadedState"/> per batch: the state stays in guest
/// memory and only commands and effects cross the boundary; <see cref="Snapshot"/> and <see cref="Restore"/> move it out and in.</item>
/// </list>
/// Not thread-safe: one caller at a time. Results are views of guest memory valid until the next call.
/// </summary>
/// <remarks>
/// A guest trap (out of fuel, out of memory, <c>abort</c>) surfaces as <see cref="WasmTrapException"/> and leaves the
/// reducer faulted: its kept state is lost, and only <see cref="Restore"/> (which starts a fresh instance) brings it back.
/// A batch the guest refuses as malformed raises <see cref="ReducerException"/> and changes nothing.
/// </remarks>
public sealed class Reducer : IDisposable
{
    private readonly ReducerModule _module;
    private readonly long? _fuelPerCall;
    private IBackendInstance _instance;
    // The last buffer reducer_input returned and the size asked: the guest keeps it for the host until the next
    // reducer_input (the ABI), so inputs that fit reuse it without a crossing. -1: none yet (or a fresh instance).
    private uint _inputPointer;
    private long _inputCapacity = -1;
    // A length the memory has had: guest memories never shrink, so a range inside it needs no query of the backend.
    private long _knownMemoryLength;
    private bool _disposed;

    internal Reducer(ReducerModule module, ReducerFormat format)
    {
        _module = module;
        _fuelPerCall = module.Options.FuelPerCall;
        Format = format;
        _instance = module.Instantiate();
    }

    /// <summary>The module this reducer runs.</summary>
    public ReducerModule Module => _module;

    /// <summary>The encoding of everything crossing the boundary.</summary>
    public ReducerFormat Format { get; }

    /// <summary>Whether the guest trapped; a faulted reducer accepts only <see cref="Restore"/> and <see cref="Dispose"/>.</summary>
    public bool IsFaulted => _instance.HasTrapped;

    /// <summary>
    /// Applies a batch to a state the host holds: loads <paramref name="state"/>, applies the commands and returns
    /// the new state serialized, with the effects. The state also stays loaded, as after <see cref="LoadState"/>.
    /// </summary>
    /// <param name="state">The state before the batch.</param>
    /// <param name="commands">The batch.</param>
    /// <param name="loadedData">Read-only data for this batch (e.g. fees or rules the host loaded), or empty.</param>
    /// <returns>The new state and the effects, valid until the next call.</returns>
    /// <exception cref="ArgumentException">The inputs together exceed <see cref="ReducerOptions.MaximumInputBytes"/>.</exception>
    /// <exception cref="ReducerException">The guest refused an input, or returned a result outside its memory.</exception>
    /// <exception cref="WasmTrapException">The guest trapped.</exception>
    public ReducerOutput Apply(ReadOnlySpan<byte> state, ReadOnlySpan<byte> commands, ReadOnlySpan<byte> loadedData = default)
    {
        uint input = WriteInputs(state, loadedData, commands);
        LoadAt(input, state.Length);
        var effects = ApplyAt(input + (uint)state.Length, loadedData.Length, input + (uint)(state.Length + loadedData.Length), commands.Length);
        var saved = SaveRange();
        return new ReducerOutput(Read(saved), Read(effects));
    }

    /// <summary>Replaces the state kept in guest memory.</summary>
    /// <param name="state">The state, in <see cref="Format"/>.</param>
    /// <exception cref="ArgumentException">The state exceeds <see cref="ReducerOptions.MaximumInputBytes"/>.</exception>
    /// <exception cref="ReducerException">The guest refused the state as malformed (the kept state is then the guest's to define: load again).</exception>
    /// <exception cref="WasmTrapException">The guest trapped.</exception>
    public void LoadState(ReadOnlySpan<byte> state)
    {
        uint input = WriteInputs(state, default, default);
        LoadAt(input, state.Length);
    }

    /// <summary>Applies a batch to the state kept in guest memory; only commands and effects cross the boundary.</summary>
    /// <param name="commands">The batch.</param>
    /// <param name="loadedData">Read-only data for this batch, or empty.</param>
    /// <returns>The effects, valid until the next call.</returns>
    /// <exception cref="ArgumentException">The inputs exceed <see cref="ReducerOptions.MaximumInputBytes"/>.</exception>
    /// <exception cref="ReducerException">The guest refused an input (the state is unchanged), or returned a result outside its memory.</exception>
    /// <exception cref="WasmTrapException">The guest trapped.</exception>
    public ReadOnlySpan<byte> ApplyToLoadedState(ReadOnlySpan<byte> commands, ReadOnlySpan<byte> loadedData = default)
    {
        uint input = WriteInputs(default, loadedData, commands);
        return Read(ApplyAt(input, loadedData.Length, input + (uint)loadedData.Length, commands.Length));
    }

    /// <summary>
    /// Applies a batch to the state kept in guest memory, with the commands written straight into the guest's
    /// input buffer by <paramref name="writeCommands"/> (no copy of an encoded batch in between).
    /// </summary>
    /// <typeparam name="TArgument">What the writer encodes from (e.g. the commands as structs).</typeparam>
    /// <param name="commandsLength">The commands' encoded length in bytes: the writer gets a span of exactly that many.</param>
    /// <param name="argument">Passed to the writer.</param>
    /// <param name="writeCommands">Fills the span with the encoded commands; it must not keep the span.</param>
    /// <param name="loadedData">Read-only data for this batch, or empty.</param>
    /// <returns>The effects, valid until the next call.</returns>
    /// <exception cref="ArgumentException">The inputs exceed <see cref="ReducerOptions.MaximumInputBytes"/>, or the length is negative.</exception>
    /// <exception cref="ReducerException">The guest refused an input (the state is unchanged), or returned a result outside its memory.</exception>
    /// <exception cref="WasmTrapException">The guest trapped.</exception>
    public ReadOnlySpan<byte> ApplyToLoadedState<TArgument>(int commandsLength, TArgument argument, SpanAction<byte, TArgument> writeCommands, ReadOnlySpan<byte> loadedData = default)
        where TArgument : allows ref struct
    {
        ArgumentOutOfRangeException.ThrowIfNegative(commandsLength);
        ArgumentNullException.ThrowIfNull(writeCommands);
        uint input = ReserveInputs(0, loadedData.Length, commandsLength, out var buffer);
        loadedData.CopyTo(buffer);
        writeCommands(buffer[loadedData.Length..], argument);
        return Read(ApplyAt(input, loadedData.Length, input + (uint)loadedData.Length, commandsLength));
    }

    /// <summary>The kept state, serialized in <see cref="Format"/>; a view of guest memory valid until the next call.</summary>
    /// <returns>The state.</returns>
    /// <exception cref="ReducerException">The guest returned a result outside its memory.</exception>
    /// <exception cref="WasmTrapException">The guest trapped.</exception>
    public ReadOnlySpan<byte> SaveState() => Read(SaveRange());

    /// <summary>A copy of the kept state that <see cref="Restore"/> (on this or another reducer of the same module and format) loads back.</summary>
    /// <returns>The serialized state.</returns>
    public byte[] Snapshot() => SaveState().ToArray();

    /// <summary>Loads a snapshot; on a faulted reducer, first replaces the trapped instance with a fresh one.</summary>
    /// <param name="snapshot">What <see cref="Snapshot"/> returned (or any state in <see cref="Format"/>).</param>
    /// <exception cref="ReducerException">The guest refused the snapshot as malformed.</exception>
    /// <exception cref="WasmTrapException">The guest trapped.</exception>
    public void Restore(ReadOnlySpan<byte> snapshot)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_instance.HasTrapped)
        {
            var fresh = _module.Instantiate();
            _instance.Dispose();
            _instance = fresh;
            _inputCapacity = -1;
            _knownMemoryLength = 0;
        }
        LoadState(snapshot);
    }

    /// <summary>Releases the guest instance.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _instance.Dispose();
    }

    // Copies state, data and commands, in that order, into one guest buffer; returns its address.
    private uint WriteInputs(ReadOnlySpan<byte> state, ReadOnlySpan<byte> data, ReadOnlySpan<byte> commands)
    {
        uint pointer = ReserveInputs(state.Length, data.Length, commands.Length, out var buffer);
        state.CopyTo(buffer);
        data.CopyTo(buffer[state.Length..]);
        commands.CopyTo(buffer[(state.Length + data.Length)..]);
        return pointer;
    }

    // The guest buffer for inputs of these lengths (checked against the limit), as its address and a writable view.
    private uint ReserveInputs(int stateLength, int dataLength, int commandsLength, out Span<byte> buffer)
    {
        long total = (long)stateLength + dataLength + commandsLength;
        if (total > _module.Options.MaximumInputBytes)
            throw new ArgumentException(
                $"Reducer '{_module.Name}' input is too large: state {stateLength:N0} + loaded data {dataLength:N0} + commands {commandsLength:N0} bytes "
                + $"exceed MaximumInputBytes ({_module.Options.MaximumInputBytes:N0}).");
        uint pointer = total <= _inputCapacity ? _inputPointer : NewInputBuffer(total);
        buffer = total == 0 ? default : _instance.WriteMemory(pointer, (int)total);
        return pointer;
    }

    // Asks the guest for an input buffer of at least total bytes and remembers it for the calls after.
    private uint NewInputBuffer(long total)
    {
        Span<ulong> arguments = [(ulong)total];
        uint pointer = (uint)Call(_module.Input, arguments);
        if ((pointer == 0 && total > 0) || !InMemory(pointer, (ulong)total))
            throw new ReducerException(
                $"Reducer '{_module.Name}' returned an unusable input buffer from {ReducerAbi.InputExport}({total}): address {pointer} with memory of {_instance.MemoryLength:N0} bytes.");
        _inputPointer = pointer;
        _inputCapacity = total;
        return pointer;
    }

    // Whether [pointer, pointer + length) lies in guest memory; asks the backend only when the last known length is too short.
    private bool InMemory(uint pointer, ulong length)
    {
        ulong end = pointer + length;
        if (end <= (ulong)_knownMemoryLength) return true;
        _knownMemoryLength = _instance.MemoryLength;
        return end <= (ulong)_knownMemoryLength;
    }

    private void LoadAt(uint pointer, int length)
    {
        Span<ulong> arguments = [(ulong)Format, pointer, (uint)length];
        int status = (int)(uint)Call(_module.Load, arguments);
        if (status != 0) throw Refused(ReducerAbi.LoadExport, status);
    }

    private (uint Pointer, int Length) ApplyAt(uint data, int dataLength, uint commands, int commandsLength)
    {
        Span<ulong> arguments = [(ulong)Format, data, (uint)dataLength, commands, (uint)commandsLength];
        return CheckRange(ReducerAbi.ApplyExport, (long)Call(_module.Apply, arguments));
    }

    private (uint Pointer, int Length) SaveRange()
    {
        Span<ulong> arguments = [(ulong)Format];
        return CheckRange(ReducerAbi.SaveExport, (long)Call(_module.Save, arguments));
    }

    private ulong Call(ExportInvoker export, ReadOnlySpan<ulong> arguments)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_instance.HasTrapped)
            throw new ReducerException($"Reducer '{_module.Name}' trapped in an earlier call and lost its state; Restore a snapshot before using it again.");
        if (_fuelPerCall is { } fuel) _instance.Fuel = fuel;
        return export.Invoke(_instance, arguments);
    }

    // A packed (pointer << 32) | length result, checked against guest memory: the guest may return anything.
    private (uint Pointer, int Length) CheckRange(string export, long packed)
    {
        if (packed < 0) throw Refused(export, packed);
        uint pointer = (uint)(packed >>> 32);
        uint length = (uint)packed;
        if (length > (uint)Array.MaxLength || !InMemory(pointer, length))
            throw new ReducerException(
                $"Reducer '{_module.Name}' returned an out-of-bounds result from {export}: {length:N0} bytes at address {pointer} lie outside its memory of {_instance.MemoryLength:N0} bytes.");
        return (pointer, (int)length);
    }

    private ReadOnlySpan<byte> Read((uint Pointer, int Length) range) =>
        range.Length == 0 ? default : _instance.ReadMemory(range.Pointer, range.Length);

    private ReducerException Refused(string export, long status) =>
        new($"Reducer '{_module.Name}' refused the input of {export} ({ReducerAbi.DescribeStatus(status)}, status {status}, format {Format}); "
            + (export == ReducerAbi.LoadExport ? "load a valid state before the next batch." : "the kept state is unchanged."));
}
