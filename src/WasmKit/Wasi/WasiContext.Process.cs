using System.Diagnostics;
using System.Security.Cryptography;

namespace WasmKit.Wasi;

// Arguments, environment, clocks, randomness, exit, scheduling and the unsupported socket calls.
public sealed partial class WasiContext
{
    private int ArgsSizesGet(Caller caller, int countPointer, int bufferSizePointer) =>
        StringsSizesGet(caller, _arguments, countPointer, bufferSizePointer);

    private int ArgsGet(Caller caller, int pointers, int buffer) => StringsGet(caller, _arguments, pointers, buffer);

    private int EnvironSizesGet(Caller caller, int countPointer, int bufferSizePointer) =>
        StringsSizesGet(caller, _environment, countPointer, bufferSizePointer);

    private int EnvironGet(Caller caller, int pointers, int buffer) => StringsGet(caller, _environment, pointers, buffer);

    private static int StringsSizesGet(Caller caller, byte[][] strings, int countPointer, int bufferSizePointer)
    {
        try
        {
            var memory = new GuestMemory(caller);
            long size = 0;
            foreach (var value in strings) size += value.Length;
            memory.WriteInt32(countPointer, strings.Length);
            memory.WriteInt32(bufferSizePointer, checked((int)size));
            return Errno.Success;
        }
        catch (Exception e) when (TryGetErrno(e, out int errno))
        {
            return errno;
        }
    }

    /// <summary>Writes NUL-terminated strings into <paramref name="buffer"/> and a pointer to each into <paramref name="pointers"/>.</summary>
    private static int StringsGet(Caller caller, byte[][] strings, int pointers, int buffer)
    {
        try
        {
            var memory = new GuestMemory(caller);
            memory.CheckArray(pointers, strings.Length, 4);
            memory.CheckArray(buffer, strings.Sum(s => s.Length), 1);
            uint at = (uint)buffer;
            for (int i = 0; i < strings.Length; i++)
            {
                memory.WriteInt32(pointers + i * 4, (int)at);
                strings[i].CopyTo(memory.Slice((int)at, strings[i].Length));
                at += (uint)strings[i].Length;
            }
            return Errno.Success;
        }
        catch (Exception e) when (TryGetErrno(e, out int errno))
        {
            return errno;
        }
    }

    private static int ClockResGet(Caller caller, int clockId, int resolutionPointer)
    {
        try
        {
            long resolution = clockId switch
            {
                0 => 100, // DateTime ticks
                1 => Math.Max(1, 1_000_000_000 / Stopwatch.Frequency),
                2 or 3 => 100, // TimeSpan ticks
                _ => throw new WasiErrnoException(Errno.Invalid),
            };
            new GuestMemory(caller).WriteInt64(resolutionPointer, resolution);
            return Errno.Success;
        }
        catch (Exception e) when (TryGetErrno(e, out int errno))
        {
            return errno;
        }
    }

    private static int ClockTimeGet(Caller caller, int clockId, long precision, int timePointer)
    {
        try
        {
            new GuestMemory(caller).WriteInt64(timePointer, Now(clockId));
            return Errno.Success;
        }
        catch (Exception e) when (TryGetErrno(e, out int errno))
        {
            return errno;
        }
    }

    /// <summary>
    /// The time of a WASI clock in nanoseconds: realtime (0) since 1970, monotonic (1) since an
    /// arbitrary point, process (2) and thread (3) CPU time; .NET has no per-thread CPU clock, so
    /// the thread clock reports the process's.
    /// </summary>
    private static long Now(int clockId) => clockId switch
    {
        0 => FileStat.ToTimestamp(DateTime.UtcNow),
        1 => MonotonicNow(),
        2 or 3 => Environment.CpuUsage.TotalTime.Ticks * 100,
        _ => throw new WasiErrnoException(Errno.Invalid),
    };

    private static long MonotonicNow()
    {
        long ticks = Stopwatch.GetTimestamp();
        long frequency = Stopwatch.Frequency;
        // Split so the multiplication cannot overflow.
        return ticks / frequency * 1_000_000_000 + ticks % frequency * 1_000_000_000 / frequency;
    }

    private int RandomGet(Caller caller, int buffer, int length)
    {
        try
        {
            var output = new GuestMemory(caller).Slice(buffer, length);
            ChargeCall(caller, 0);
            while (output.Length > 0)
            {
                var chunk = output[..Math.Min(output.Length, ChunkBytes)];
                ChargeBytes(caller, chunk.Length);
                RandomNumberGenerator.Fill(chunk);
                output = output[chunk.Length..];
            }
            return Errno.Success;
        }
        catch (Exception e) when (TryGetErrno(e, out int errno))
        {
            return errno;
        }
    }

    /// <summary>Unwinds the guest with <see cref="WasiExitException"/>; never ends the host process.</summary>
    private void ProcExit(Caller caller, int exitCode)
    {
        ExitCode = exitCode;
        throw new WasiExitException(exitCode);
    }

    private static int SchedYield(Caller caller)
    {
        Thread.Yield();
        return Errno.Success;
    }

}
