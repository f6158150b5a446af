namespace WasmKit.Backends;

/// <summary>
/// A backend's record of the guest memory the host wrote, for resets that restore only written bytes. A
/// backend passes it to <see cref="HostCallContext"/>, whose <see cref="HostCallContext.Written"/> reports to it.
/// </summary>
public interface IMemoryWriteTracker
{
    /// <summary>Records that the host wrote <paramref name="length"/> bytes of guest memory at <paramref name="address"/>.</summary>
    /// <param name="address">The first byte written.</param>
    /// <param name="length">How many bytes.</param>
    void Written(int address, int length);
}
