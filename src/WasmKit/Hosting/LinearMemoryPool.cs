namespace WasmKit;

/// <summary>
/// The reservations of released linear memories, kept by an engine for its next memories of the same
/// capacity: mapping and unmapping a multi-gigabyte reservation (and tearing down its page tables)
/// costs more than the rest of instantiating a small module. A returned reservation keeps its address
/// range and its accessible pages, but its bytes are given back to the system first, so the next
/// memory reads zeros. Bounded: at most <see cref="MaxPooled"/> reservations, each with at most
/// <see cref="MaxKeptBytes"/> accessible. Linux only (elsewhere freed pages are not guaranteed to read as
/// zero without unmapping them); elsewhere every reservation is released as before.
/// </summary>
internal sealed class LinearMemoryPool
{
    /// <summary>The most reservations kept at once.</summary>
    public const int MaxPooled = 16;

    /// <summary>Memories that were larger are unmapped rather than kept, so the pool holds little address space open for writing.</summary>
    public const ulong MaxKeptBytes = 4 << 20;

    private readonly object _gate = new();
    private readonly Pooled[] _pooled = new Pooled[MaxPooled];
    private int _count;

    /// <summary>How many reservations are pooled now.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Takes a reservation made for <paramref name="capacityBytes"/>, if one is pooled.</summary>
    /// <param name="capacityBytes">The capacity the new memory asks for.</param>
    /// <param name="accessibleBytes">How many of its first bytes are already accessible (and zero).</param>
    public LinearMemoryReservation? TryTake(ulong capacityBytes, out ulong accessibleBytes)
    {
        accessibleBytes = 0;
        if (!OperatingSystem.IsLinux()) return null;
        lock (_gate)
        {
            for (int i = _count - 1; i >= 0; i--)
            {
                if (_pooled[i].CapacityBytes != capacityBytes) continue;
                var taken = _pooled[i];
                _pooled[i] = _pooled[--_count];
                _pooled[_count] = default;
                accessibleBytes = taken.AccessibleBytes;
                return taken.Reservation;
            }
        }
        return null;
    }

    /// <summary>
    /// Keeps a released memory's reservation, its bytes cleared, or returns false (the caller then disposes
    /// it): when the pool is full, the memory was large, or clearing failed.
    /// </summary>
    public bool TryReturn(ulong capacityBytes, LinearMemoryReservation reservation, ulong accessibleBytes)
    {
        if (!OperatingSystem.IsLinux() || accessibleBytes > MaxKeptBytes || Volatile.Read(ref _count) >= MaxPooled) return false;
        // Cleared outside the lock: it is a system call.
        if (!reservation.DiscardContents(accessibleBytes)) return false;
        lock (_gate)
        {
            if (_count >= MaxPooled) return false;
            _pooled[_count++] = new Pooled(capacityBytes, reservation, accessibleBytes);
        }
        return true;
    }

    /// <summary>Unmaps every pooled reservation (the engine is disposed).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            for (int i = 0; i < _count; i++) _pooled[i].Reservation.Dispose();
            Array.Clear(_pooled);
            _count = 0;
        }
    }

    private readonly record struct Pooled(ulong CapacityBytes, LinearMemoryReservation Reservation, ulong AccessibleBytes);
}
