namespace WasmKit.Wasi;

// What moving bytes costs the guest: fuel per call, per iovec and per BytesPerFuelUnit bytes, charged
// before each chunk so that running out of fuel or an interrupt stops a long transfer between chunks.
public sealed partial class WasiContext
{
    /// <summary>The most bytes moved between two fuel charges and interrupt checks.</summary>
    private const int ChunkBytes = 1 << 20;

    /// <summary>Charges one unit for the call and one per iovec; traps when fuel runs out or the store was interrupted.</summary>
    private static void ChargeCall(Caller caller, int iovecCount) => caller.Store.State.ChargeHostWork(1 + (long)(uint)iovecCount);

    /// <summary>Charges for <paramref name="bytes"/> about to move (rounded up to whole units) and checks for an interrupt.</summary>
    private void ChargeBytes(Caller caller, int bytes) =>
        caller.Store.State.ChargeHostWork(((long)bytes + _bytesPerFuelUnit - 1) / _bytesPerFuelUnit);

    /// <summary>Bounds-checks every iovec before any byte moves, so a bad one gives EFAULT with nothing done; returns their total length.</summary>
    private static long CheckIovecs(GuestMemory memory, int iovecs, int iovecCount)
    {
        memory.CheckArray(iovecs, iovecCount, 8);
        long total = 0;
        for (int i = 0; i < iovecCount; i++) total += memory.IoVector(iovecs, i).Length;
        return total;
    }
}
