namespace WasmKit.Backends;

/// <summary>
/// An instance of an <see cref="IBackendModule"/> in a store of its own: guest memory, budgets, trap
/// state and reset. Not thread-safe: one thread uses it at a time (an instance pool hands it to one renter
/// at a time); <see cref="IExecutionBudget.RequestInterrupt"/> is the exception. Exports are called through
/// the module's <see cref="ExportInvoker"/>s. Disposing it releases its memory and closes the host files its
/// guest opened through WASI.
/// </summary>
public interface IBackendInstance : IExecutionBudget, IDisposable
{
    /// <summary>The module this is an instance of.</summary>
    IBackendModule Module { get; }

    /// <summary>
    /// What <see cref="BackendInstanceOptions.CreateHostState"/> made for this instance (e.g. a
    /// <c>DocumentContext</c>); host functions find it as <see cref="HostCallContext.State"/>.
    /// </summary>
    object? HostState { get; }

    /// <summary>Whether guest code of this instance trapped; a trapped instance is never reused.</summary>
    bool HasTrapped { get; }

    /// <summary>The size of the instance's memory (its first memory) in bytes; 0 without one.</summary>
    long MemoryLength { get; }

    /// <summary>A range of guest memory for reading; valid until the guest runs again (growth may move it).</summary>
    /// <param name="address">The first byte.</param>
    /// <param name="length">How many bytes.</param>
    /// <returns>The bytes.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The range lies outside the memory, or there is none.</exception>
    ReadOnlySpan<byte> ReadMemory(long address, int length);

    /// <summary>
    /// A range of guest memory for writing (the backend counts the range as written: the managed engine's
    /// reset restores only written pages). Valid until the guest runs again.
    /// </summary>
    /// <param name="address">The first byte.</param>
    /// <param name="length">How many bytes.</param>
    /// <returns>The bytes.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The range lies outside the memory, or there is none.</exception>
    Span<byte> WriteMemory(long address, int length);

    /// <summary>
    /// Returns the instance to its fresh state (right after instantiation, or the state captured by
    /// <see cref="CaptureResetState"/>): memories, globals, tables. With <see cref="BackendImports.Wasi"/> the WASI
    /// state starts again too, on every backend: files the guest opened are closed, stdin reads from its first byte,
    /// no output is counted against <see cref="Wasi.WasiConfiguration.MaxOutputBytes"/> (files opened before
    /// <see cref="CaptureResetState"/> are not kept: a guest opens what it needs per use). The host state is the
    /// product layer's to reset.
    /// </summary>
    /// <returns><see langword="false"/> when that is not possible (the instance trapped, or the backend cannot reset); discard it then.</returns>
    bool Reset();

    /// <summary>Makes the current state the one <see cref="Reset"/> returns to (e.g. after reserving guest memory once per instance).</summary>
    /// <returns>Whether the backend supports it; when not, <see cref="Reset"/> keeps returning to the state after instantiation.</returns>
    bool CaptureResetState();
}
