using System.Diagnostics;

namespace WasmKit.Wasi;

// poll_oneoff: clock subscriptions sleep (charged, interruptible, capped when nothing else bounds them);
// descriptors are always ready (every host stream here blocks).
public sealed partial class WasiContext
{
    private const int SubscriptionSize = 48;
    private const int EventSize = 32;
    private const byte EventClock = 0;
    private const byte EventFdRead = 1;
    private const byte EventFdWrite = 2;
    private const int SubscriptionClockAbsolute = 1;

    private int PollOneoff(Caller caller, int subscriptions, int events, int count, int eventCountPointer)
    {
        try
        {
            var memory = new GuestMemory(caller);
            if (count == 0) throw new WasiErrnoException(Errno.Invalid);
            memory.CheckArray(subscriptions, count, SubscriptionSize);
            memory.CheckArray(events, count, EventSize);
            memory.Slice(eventCountPointer, 4);

            // First pass: are any descriptors polled (then nobody sleeps), and how long until the first clock fires?
            bool anyDescriptor = false;
            bool anyClock = false;
            long shortestWait = long.MaxValue;
            for (int i = 0; i < count; i++)
            {
                int subscription = subscriptions + i * SubscriptionSize;
                byte type = memory.ReadByte(subscription + 8);
                if (type is EventFdRead or EventFdWrite) anyDescriptor = true;
                else if (type == EventClock && TryClockWait(memory, subscription, out long wait, out _))
                {
                    anyClock = true;
                    shortestWait = Math.Min(shortestWait, wait);
                }
                else if (type != EventClock) throw new WasiErrnoException(Errno.Invalid);
            }
            long waited = 0;
            // An infinite timeout (long.MaxValue) is a wait like any other, never "no wait at all".
            if (!anyDescriptor && anyClock)
            {
                var state = caller.Store.State;
                // Nothing else could end this wait: cap it, and tell the guest it did not get its event.
                bool unbounded = !state.MetersFuel && !state.Interruptible;
                if (unbounded && shortestWait > _maxPollWaitNanoseconds)
                {
                    Sleep(caller, _maxPollWaitNanoseconds);
                    memory.WriteInt32(eventCountPointer, 0);
                    return Errno.Again;
                }
                waited = Sleep(caller, shortestWait);
            }

            int produced = 0;
            for (int i = 0; i < count; i++)
            {
                int subscription = subscriptions + i * SubscriptionSize;
                byte type = memory.ReadByte(subscription + 8);
                int error = Errno.Success;
                long bytesAvailable = 0;
                if (type == EventClock)
                {
                    if (!TryClockWait(memory, subscription, out long wait, out bool absolute)) error = Errno.Invalid;
                    // An absolute deadline was measured again after the sleep; a relative one counts from the call.
                    else if (absolute ? wait > 0 : wait > waited) continue;
                }
                else
                {
                    (error, bytesAvailable) = DescriptorReadiness(memory.ReadInt32(subscription + 16), type);
                }
                int @event = events + produced * EventSize;
                memory.Slice(@event, EventSize).Clear();
                memory.WriteInt64(@event, memory.ReadInt64(subscription));
                memory.WriteUInt16(@event + 8, (ushort)error);
                memory.WriteByte(@event + 10, type);
                memory.WriteInt64(@event + 16, bytesAvailable);
                produced++;
            }
            memory.WriteInt32(eventCountPointer, produced);
            return Errno.Success;
        }
        catch (Exception e) when (TryGetErrno(e, out int errno))
        {
            return errno;
        }
    }

    /// <summary>Nanoseconds until a clock subscription fires (zero or less: it has); false for an unknown clock.</summary>
    private static bool TryClockWait(GuestMemory memory, int subscription, out long wait, out bool absolute)
    {
        int clockId = memory.ReadInt32(subscription + 16);
        long timeout = memory.ReadInt64(subscription + 24);
        absolute = (memory.ReadUInt16(subscription + 40) & SubscriptionClockAbsolute) != 0;
        wait = 0;
        if ((uint)clockId > 3) return false;
        // Timeouts are unsigned; one beyond long.MaxValue is as good as forever.
        if (timeout < 0) timeout = long.MaxValue;
        wait = absolute ? timeout - Now(clockId) : timeout;
        return true;
    }

    /// <summary>
    /// Sleeps about <paramref name="nanoseconds"/> in slices of at most 10 ms, charging a unit of fuel per
    /// millisecond waited and checking for an interrupt between slices (both trap); returns how long it slept.
    /// </summary>
    private static long Sleep(Caller caller, long nanoseconds)
    {
        const long NanosecondsPerMillisecond = 1_000_000;
        const int SliceMilliseconds = 10;
        long start = Stopwatch.GetTimestamp();
        var state = caller.Store.State;
        long chargedMilliseconds = 0;
        while (true)
        {
            long elapsed = (long)Stopwatch.GetElapsedTime(start).TotalNanoseconds;
            long milliseconds = elapsed / NanosecondsPerMillisecond;
            state.ChargeHostWork(milliseconds - chargedMilliseconds);
            chargedMilliseconds = milliseconds;
            long remaining = nanoseconds - elapsed;
            if (remaining <= 0) return elapsed;
            // Sub-millisecond rests spin instead.
            if (remaining >= NanosecondsPerMillisecond) Thread.Sleep(TimeSpan.FromMilliseconds(Math.Min(remaining / NanosecondsPerMillisecond, SliceMilliseconds)));
            else Thread.SpinWait(100);
        }
    }

    /// <summary>The error and byte count for a descriptor subscription: ready at once, as host streams block.</summary>
    private (int Error, long Bytes) DescriptorReadiness(int fd, byte type)
    {
        if ((uint)fd >= (uint)_descriptors.Count || _descriptors[fd] is not StreamDescriptor stream) return (Errno.BadFileDescriptor, 0);
        if (type == EventFdRead && !stream.CanRead) return (Errno.BadFileDescriptor, 0);
        if (type == EventFdWrite && !stream.CanWrite) return (Errno.BadFileDescriptor, 0);
        try
        {
            long bytes = type == EventFdRead && stream.Stream.CanSeek ? Math.Max(0, stream.Stream.Length - stream.Stream.Position) : 0;
            return (Errno.Success, bytes);
        }
        catch (IOException)
        {
            return (Errno.Success, 0);
        }
    }
}
