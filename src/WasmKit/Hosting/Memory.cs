using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace WasmKit;

/// <summary>
/// A WebAssembly linear memory. Its bytes live in native memory reserved up front for the largest
/// size the memory may reach, and grow in place: growth never copies or moves them. A
/// <see cref="Span{T}"/> from <see cref="GetSpan()"/> still covers only the size it was taken at, so
/// take a fresh span after anything that may grow the memory. The memory belongs to its
/// <see cref="Store"/> and is released when the store is disposed (or, failing that, finalized):
/// spans taken earlier must not be used after that. A released reservation may be zeroed and handed to
/// the next memory of the same engine (see <see cref="LinearMemoryPool"/>), so a store must not be
/// disposed while its guest still runs.
/// </summary>
public sealed class Memory
{
    /// <summary>The most pages one memory can hold here: its bytes are reachable as one <see cref="Span{T}"/>, below 2 GiB.</summary>
    public const uint ImplementationMaximumPages = 32767;

    // Read by compiled code on every access. ByteLength is 0 once released, so every access traps.
    internal nint Base;
    internal ulong ByteLength;

    /// <summary>Memory is tracked for resets in chunks of 2^8 = 256 bytes.</summary>
    internal const int DirtyChunkShift = 8;

    /// <summary>One byte per chunk (at least as many as the memory has), non-zero when the chunk was written since the last reset; null unless tracked.</summary>
    internal byte[]? DirtyChunks;

    private readonly uint? _declaredMaximum;
    private readonly LinearMemoryReservation _reservation;

    /// <summary>The capacity asked of the reservation (it may have got less), the key under which the engine pools it.</summary>
    private readonly ulong _requestedCapacityBytes;

    /// <summary>The most bytes this memory may grow to: the declared maximum, the store's limit, the implementation's and the reservation's.</summary>
    private readonly ulong _capacityBytes;

    /// <summary>How many bytes are committed; at least <see cref="ByteLength"/> (a reset may leave more committed).</summary>
    private ulong _committedBytes;

    private bool _released;

    /// <summary>Creates a memory in <paramref name="store"/>, which releases it when disposed.</summary>
    /// <param name="store">The store the memory belongs to.</param>
    /// <param name="minimumPages">The initial size in 64 KiB pages.</param>
    /// <param name="maximumPages">The most pages it may grow to, or <see langword="null"/> for no limit but the implementation's.</param>
    /// <exception cref="ArgumentOutOfRangeException">The sizes are out of range, the minimum exceeds the maximum, or the system cannot provide the minimum.</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public Memory(Store store, uint minimumPages, uint? maximumPages = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ObjectDisposedException.ThrowIf(store.IsDisposed, store);
        if (maximumPages is uint max && max < minimumPages)
            throw new ArgumentOutOfRangeException(nameof(maximumPages), maximumPages, "The maximum must not be below the minimum.");
        if (maximumPages > MemoryType.MaximumPages)
            throw new ArgumentOutOfRangeException(nameof(maximumPages), maximumPages, "A memory has at most 65536 pages.");
        if (minimumPages > ImplementationMaximumPages)
            throw new ArgumentOutOfRangeException(nameof(minimumPages), minimumPages, $"WasmKit memories hold at most {ImplementationMaximumPages} pages.");
        if (minimumPages > store.Limits.MaxMemoryPages)
            throw new ArgumentOutOfRangeException(nameof(minimumPages), minimumPages, $"The store allows at most {store.Limits.MaxMemoryPages} pages per memory.");
        Store = store;
        _declaredMaximum = maximumPages;
        ulong capacityPages = Math.Min(Math.Min(maximumPages ?? MemoryType.MaximumPages, ImplementationMaximumPages), store.Limits.MaxMemoryPages ?? uint.MaxValue);
        ulong minimumBytes = minimumPages * (ulong)MemoryType.PageSize;
        _requestedCapacityBytes = capacityPages * MemoryType.PageSize;
        // A reservation a released memory of the engine left behind is reused: its bytes are already zero.
        _reservation = store.Engine.MemoryPool.TryTake(_requestedCapacityBytes, out ulong accessibleBytes) ??
            LinearMemoryReservation.Reserve(minimumBytes, _requestedCapacityBytes) ??
            throw new ArgumentOutOfRangeException(nameof(minimumPages), minimumPages, $"The system cannot reserve address space for {minimumPages} pages.");
        _capacityBytes = _reservation.ReservedBytes;
        if (minimumBytes > accessibleBytes && !_reservation.Commit(accessibleBytes, minimumBytes - accessibleBytes))
        {
            _reservation.Dispose();
            throw new ArgumentOutOfRangeException(nameof(minimumPages), minimumPages, $"The system cannot provide {minimumPages} pages.");
        }
        _committedBytes = Math.Max(minimumBytes, accessibleBytes);
        Base = _reservation.Address;
        ByteLength = minimumBytes;
        store.Adopt(this);
    }

    /// <summary>The store the memory belongs to.</summary>
    public Store Store { get; }

    /// <summary>The current size in 64 KiB pages; 0 once the store was disposed.</summary>
    public uint PageCount => (uint)(ByteLength / MemoryType.PageSize);

    /// <summary>The current size in bytes; 0 once the store was disposed.</summary>
    public long Length => (long)ByteLength;

    /// <summary>The memory's type: its current size as minimum, and its declared maximum.</summary>
    public MemoryType Type => new(new Limits(PageCount, _declaredMaximum));

    /// <summary>The declared maximum in pages, if any.</summary>
    public uint? MaximumPages => _declaredMaximum;

    /// <summary>
    /// All bytes of the memory, for host code of the engine: no dirty marking, no disposal check (a
    /// released memory is empty). Invalidated by growth.
    /// </summary>
    internal unsafe Span<byte> Bytes
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => new((void*)Base, (int)ByteLength);
    }

    /// <summary>The memory's bytes. The span is invalidated by growth.</summary>
    /// <returns>A span over all bytes of the memory.</returns>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public Span<byte> GetSpan()
    {
        ThrowIfReleased();
        // The host may write anywhere through this span.
        if (DirtyChunks is not null) DirtyChunks.AsSpan().Fill(1);
        return Bytes;
    }

    /// <summary>A range of the memory's bytes, bounds-checked.</summary>
    /// <param name="address">The first byte.</param>
    /// <param name="length">How many bytes.</param>
    /// <returns>A span over the bytes.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The range is outside the memory.</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public Span<byte> GetSpan(long address, int length)
    {
        ThrowIfReleased();
        if (address < 0 || length < 0 || (ulong)address + (ulong)length > ByteLength)
            throw new ArgumentOutOfRangeException(nameof(address), $"[{address}, +{length}) is outside the memory of {ByteLength} bytes.");
        MarkDirty((ulong)address, (ulong)length);
        return Bytes.Slice((int)address, length);
    }

    /// <summary>Reads a little-endian value (an integer or float type) at <paramref name="address"/>.</summary>
    /// <typeparam name="T">An unmanaged type such as <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="address">The byte address.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value would extend past the memory.</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public unsafe T Read<T>(long address) where T : unmanaged =>
        MemoryMarshal.Read<T>(ReadOnlySpanAt(address, sizeof(T)));

    /// <summary>Writes a little-endian value (an integer or float type) at <paramref name="address"/>.</summary>
    /// <typeparam name="T">An unmanaged type such as <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="address">The byte address.</param>
    /// <param name="value">The value.</param>
    /// <exception cref="ArgumentOutOfRangeException">The value would extend past the memory.</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public unsafe void Write<T>(long address, T value) where T : unmanaged =>
        MemoryMarshal.Write(GetSpan(address, sizeof(T)), in value);

    /// <summary>Reads <paramref name="byteCount"/> bytes of UTF-8 at <paramref name="address"/> as a string (invalid sequences become U+FFFD).</summary>
    /// <param name="address">The first byte.</param>
    /// <param name="byteCount">The number of bytes.</param>
    /// <returns>The string.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The range is outside the memory.</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public string ReadString(long address, int byteCount) => System.Text.Encoding.UTF8.GetString(ReadOnlySpanAt(address, byteCount));

    /// <summary>A bounds-checked range for reading; unlike <see cref="GetSpan(long, int)"/> it does not count as a write.</summary>
    internal ReadOnlySpan<byte> ReadOnlySpanAt(long address, int length)
    {
        ThrowIfReleased();
        if (address < 0 || length < 0 || (ulong)address + (ulong)length > ByteLength)
            throw new ArgumentOutOfRangeException(nameof(address), $"[{address}, +{length}) is outside the memory of {ByteLength} bytes.");
        return Bytes.Slice((int)address, length);
    }

    /// <summary>Reads a NUL-terminated UTF-8 string at <paramref name="address"/>, up to the end of memory or <paramref name="maxBytes"/>.</summary>
    /// <param name="address">The first byte.</param>
    /// <param name="maxBytes">The most bytes to read before giving up on the terminator.</param>
    /// <returns>The string, without the terminator.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The address is outside the memory.</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public string ReadNullTerminatedString(long address, int maxBytes = int.MaxValue)
    {
        ThrowIfReleased();
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        if (address < 0 || (ulong)address > ByteLength) throw new ArgumentOutOfRangeException(nameof(address), address, "The address is outside the memory.");
        var rest = Bytes.Slice((int)address, (int)Math.Min((ulong)maxBytes, ByteLength - (ulong)address));
        int end = rest.IndexOf((byte)0);
        return System.Text.Encoding.UTF8.GetString(end < 0 ? rest : rest[..end]);
    }

    /// <summary>Writes <paramref name="value"/> as UTF-8 (no terminator) at <paramref name="address"/>.</summary>
    /// <param name="address">The first byte.</param>
    /// <param name="value">The string.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The encoded string would extend past the memory.</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public int WriteString(long address, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        int count = System.Text.Encoding.UTF8.GetByteCount(value);
        return System.Text.Encoding.UTF8.GetBytes(value, GetSpan(address, count));
    }

    /// <summary>
    /// Grows the memory, as <c>memory.grow</c> does, in place: the bytes do not move. Growth by the
    /// host is not charged to the store's fuel (growth by the guest is).
    /// </summary>
    /// <param name="deltaPages">How many pages to add.</param>
    /// <returns>The previous size in pages, or -1 if the memory cannot grow that much (nothing changes then).</returns>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public int Grow(uint deltaPages)
    {
        ThrowIfReleased();
        return GrowUncharged(deltaPages);
    }

    /// <summary>
    /// <c>memory.grow</c> from compiled code: charged one unit of fuel per page added (only when the
    /// growth happens), and an interrupt pending at that point traps before anything changes. A
    /// released memory does not grow (-1).
    /// </summary>
    internal int GrowFromGuest(uint deltaPages)
    {
        if (!CanGrowTo((ulong)PageCount + deltaPages)) return -1;
        Store.State.ChargeHostWork(deltaPages);
        return GrowUncharged(deltaPages);
    }

    private bool CanGrowTo(ulong pages) => !_released && pages * MemoryType.PageSize <= _capacityBytes;

    private int GrowUncharged(uint deltaPages)
    {
        uint old = PageCount;
        ulong wantedBytes = ((ulong)old + deltaPages) * MemoryType.PageSize;
        if (!CanGrowTo((ulong)old + deltaPages)) return -1;
        if (deltaPages == 0) return (int)old;
        if (wantedBytes > _committedBytes)
        {
            if (!_reservation.Commit(_committedBytes, wantedBytes - _committedBytes)) return -1;
            _committedBytes = wantedBytes;
        }
        if (DirtyChunks is not null && DirtyChunks.Length < ChunkCount(wantedBytes))
        {
            // Doubling keeps a run of small grows linear overall.
            var dirty = new byte[Math.Max(ChunkCount(wantedBytes), Math.Min(2L * DirtyChunks.Length, ChunkCount(_capacityBytes)))];
            DirtyChunks.CopyTo(dirty, 0);
            DirtyChunks = dirty;
        }
        ByteLength = wantedBytes;
        return (int)old;
    }

    /// <summary>
    /// Gives the native memory back and empties the memory: compiled code then traps on every access,
    /// host calls throw <see cref="ObjectDisposedException"/>. Called by <see cref="Store.Dispose"/>.
    /// </summary>
    internal void Release()
    {
        if (_released) return;
        _released = true;
        // Emptied before the bytes go away, so no bounds check can pass afterwards.
        ByteLength = 0;
        Base = 0;
        ulong committed = _committedBytes;
        _committedBytes = 0;
        DirtyChunks = null;
        if (!Store.Engine.MemoryPool.TryReturn(_requestedCapacityBytes, _reservation, committed)) _reservation.Dispose();
    }

    private void ThrowIfReleased()
    {
        if (_released) ThrowReleased();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowReleased() => throw new ObjectDisposedException(nameof(Memory), "The memory's store was disposed.");

    /// <summary>Marks a range as written, when the memory is tracked.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal void MarkDirty(ulong address, ulong length)
    {
        if (DirtyChunks is null || length == 0) return;
        int first = (int)(address >> DirtyChunkShift);
        int last = (int)((address + length - 1) >> DirtyChunkShift);
        if (first == last) DirtyChunks[first] = 1;
        else DirtyChunks.AsSpan(first, last - first + 1).Fill(1);
    }

    /// <summary>Starts tracking writes, for instances that can be reset.</summary>
    internal void TrackWrites() => DirtyChunks ??= new byte[ChunkCount(ByteLength)];

    /// <summary>
    /// Puts back the memory's size and bytes from a snapshot, copying only the chunks written since.
    /// Pages grown since are given back to the system, so they are zero if the guest grows again.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    internal void RestoreFrom(byte[] snapshot)
    {
        ThrowIfReleased();
        ulong snapshotBytes = (ulong)snapshot.Length;
        if (ByteLength > snapshotBytes)
        {
            // Shrunk first, so the chunks beyond it are only unmarked below, never copied.
            _reservation.Decommit(snapshotBytes, _committedBytes - snapshotBytes);
            _committedBytes = snapshotBytes;
            ByteLength = snapshotBytes;
        }
        if (ByteLength != snapshotBytes || DirtyChunks is null)
        {
            if (snapshotBytes > _committedBytes)
            {
                if (!_reservation.Commit(_committedBytes, snapshotBytes - _committedBytes))
                    throw new InvalidOperationException($"The system cannot provide the {snapshotBytes} bytes of the memory's reset state.");
                _committedBytes = snapshotBytes;
            }
            ByteLength = snapshotBytes;
            snapshot.CopyTo(Bytes);
            if (DirtyChunks is not null) DirtyChunks.AsSpan().Clear();
            return;
        }
        // One pass over the map, 64 chunks per step: most of it is clean, and a resettable instance is
        // reset after every use. The loop is kept free of the restoring, so its counter stays in a register.
        var map = DirtyChunks;
        ref byte marks = ref MemoryMarshal.GetArrayDataReference(map);
        int whole = map.Length & ~63;
        for (int chunk = 0; chunk < whole; chunk += 64)
        {
            ulong bits = MarksOf64(ref Unsafe.Add(ref marks, chunk));
            if (bits != 0) RestoreMarked(snapshot, chunk, bits);
        }
        for (int chunk = whole; chunk < map.Length; chunk++)
        {
            if (map[chunk] != 0) RestoreMarked(snapshot, chunk, 1);
        }
    }

    /// <summary>Restores the chunks whose bits are set, counting from <paramref name="first"/>, and clears their marks.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RestoreMarked(byte[] snapshot, int first, ulong bits)
    {
        var map = DirtyChunks!;
        do
        {
            int chunk = first + BitOperations.TrailingZeroCount(bits);
            map[chunk] = 0;
            RestoreChunk(snapshot, chunk);
            bits &= bits - 1;
        } while (bits != 0);
    }

    /// <summary>One bit per non-zero byte of the 64 at <paramref name="start"/>: two loads with AVX2, four with 128-bit vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong MarksOf64(ref byte start)
    {
        if (Vector256.IsHardwareAccelerated)
        {
            var low = Vector256.LoadUnsafe(ref start);
            var high = Vector256.LoadUnsafe(ref start, 32);
            if ((low | high) == Vector256<byte>.Zero) return 0;
            ulong clean = Vector256.Equals(low, Vector256<byte>.Zero).ExtractMostSignificantBits() |
                (ulong)Vector256.Equals(high, Vector256<byte>.Zero).ExtractMostSignificantBits() << 32;
            return ~clean;
        }
        var a = Vector128.LoadUnsafe(ref start);
        var b = Vector128.LoadUnsafe(ref start, 16);
        var c = Vector128.LoadUnsafe(ref start, 32);
        var d = Vector128.LoadUnsafe(ref start, 48);
        if ((a | b | c | d) == Vector128<byte>.Zero) return 0;
        ulong zeros = Vector128.Equals(a, Vector128<byte>.Zero).ExtractMostSignificantBits() |
            (ulong)Vector128.Equals(b, Vector128<byte>.Zero).ExtractMostSignificantBits() << 16 |
            (ulong)Vector128.Equals(c, Vector128<byte>.Zero).ExtractMostSignificantBits() << 32 |
            (ulong)Vector128.Equals(d, Vector128<byte>.Zero).ExtractMostSignificantBits() << 48;
        return ~zeros;
    }

    /// <summary>Copies one chunk back from the snapshot (as long as the buffer, checked by the caller).</summary>
    private void RestoreChunk(byte[] snapshot, int chunk)
    {
        const int ChunkBytes = 1 << DirtyChunkShift;
        int start = chunk << DirtyChunkShift;
        int length = snapshot.Length - start;
        if (length >= ChunkBytes)
        {
            // Copied inline: a call to memmove costs as much as the copy itself at this size.
            ref byte from = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(snapshot), start);
            ref byte to = ref Unsafe.Add(ref MemoryMarshal.GetReference(Bytes), start);
            for (nuint offset = 0; offset < ChunkBytes; offset += 64)
            {
                Vector256.LoadUnsafe(ref from, offset).StoreUnsafe(ref to, offset);
                Vector256.LoadUnsafe(ref from, offset + 32).StoreUnsafe(ref to, offset + 32);
            }
        }
        else if (length > 0)
        {
            snapshot.AsSpan(start, length).CopyTo(Bytes.Slice(start, length));
        }
    }

    private static int ChunkCount(ulong byteLength) => (int)((byteLength + (1 << DirtyChunkShift) - 1) >> DirtyChunkShift) + 1;
}
