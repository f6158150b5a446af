using System.Text;

namespace WasmKit.Wasi;

// The fd_* functions: reading, writing, seeking and describing open descriptors.
public sealed partial class WasiContext
{
    private int FdWrite(Caller caller, int fd, int iovecs, int iovecCount, int writtenPointer)
    {
        try
        {
            var memory = new GuestMemory(caller);
            var descriptor = GetStream(fd, Errno.BadFileDescriptor);
            if (!descriptor.CanWrite) throw new WasiErrnoException(Errno.BadFileDescriptor);
            long total = CheckIovecs(memory, iovecs, iovecCount);
            memory.Slice(writtenPointer, 4);
            ChargeCall(caller, iovecCount);
            long allowed = Math.Min(total, int.MaxValue);
            if (descriptor.IsStandardOutput)
            {
                allowed = Math.Min(allowed, _maxOutputBytes - _outputBytes);
                if (allowed <= 0 && total > 0) throw new WasiErrnoException(Errno.FileTooBig);
            }
            if (descriptor.Append && descriptor.File is { } file) file.Seek(0, SeekOrigin.End);
            int written = 0;
            try
            {
                for (int i = 0; i < iovecCount && written < allowed; i++)
                {
                    var data = memory.IoVector(iovecs, i);
                    data = data[..(int)Math.Min(data.Length, allowed - written)];
                    while (data.Length > 0)
                    {
                        var chunk = data[..Math.Min(data.Length, ChunkBytes)];
                        ChargeBytes(caller, chunk.Length);
                        descriptor.Stream.Write(chunk);
                        written += chunk.Length;
                        if (descriptor.IsStandardOutput) _outputBytes += chunk.Length;
                        data = data[chunk.Length..];
                    }
                }
            }
            catch (Exception e) when (written > 0 && TryGetErrno(e, out _))
            {
                // As POSIX write(): bytes already written are reported; the error shows on the next call.
            }
            memory.WriteInt32(writtenPointer, written);
            return Errno.Success;
        }
        catch (Exception e) when (TryGetErrno(e, out int errno))
        {
            return errno;
        }
    }

    private int FdRead(Caller caller, int fd, int iovecs, int iovecCount, int readPointer)
    {
        try
        {
            var memory = new GuestMemory(caller);
            var descriptor = GetStream(fd, Errno.IsDirectory);
            if (!descriptor.CanRead) throw new WasiErrnoException(Errno.BadFileDescriptor);
            CheckIovecs(memory, iovecs, iovecCount);
            memory.Slice(readPointer, 4);
            ChargeCall(caller, iovecCount);
            int total = 0;
            try
            {
                for (int i = 0; i < iovecCount; i++)
                {
                    var buffer = memory.IoVector(iovecs, i);
                    if (buffer.Length > int.MaxValue - total) break;
                    int read = ReadChunked(caller, buffer, descriptor.Stream, handle: null, offset: 0);
                    total += read;
                    // A short read (end of file, or a line from a terminal) ends the call.
                    if (read < buffer.Length) break;
                }
            }
            catch (Exception e) when (total > 0 && TryGetErrno(e, out _))
            {
                // As POSIX read(): bytes already read are reported.
            }
            memory.WriteInt32(readPointer, total);
            return Errno.Success;
        }
        catch (Exception e) when (TryGetErrno(e, out int errno))
        {
            return errno;
        }
    }

    /// <summary>
    /// Fills <paramref name="buffer"/> in chunks from <paramref name="stream"/>, or from <paramref name="handle"/>
    /// at <paramref name="offset"/>, charging for each chunk before it is read; stops at a short read.
    /// </summary>
    private int ReadChunked(Caller caller, Span<byte> buffer, Stream? stream, Microsoft.Win32.SafeHandles.SafeFileHandle? handle, long offset)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            var chunk = buffer.Slice(total, Math.Min(buffer.Length - total, ChunkBytes));
            ChargeBytes(caller, chunk.Length);
            int count = stream is not null ? stream.Read(chunk) : RandomAccess.Read(handle!, chunk, offset + total);
            total += count;
            if (count < chunk.Length) break;
        }
        return total;
    }

    private int FdPread(Caller caller, int fd, int iovecs, int iovecCount, long offset, int readPointer)
    {
        try
        {
            var memory = new GuestMemory(caller);
            var descriptor = GetStream(fd, Errno.IsDirectory);
            var file = descriptor.File ?? throw new WasiErrnoException(Errno.InvalidSeek);
            if (!descriptor.CanRead) throw new WasiErrnoException(Errno.BadFileDescriptor);
            if (offset < 0) throw new WasiErrnoException(Errno.Invalid);
            CheckIovecs(memory, iovecs, iovecCount);
            memory.Slice(readPointer, 4);
            ChargeCall(caller, iovecCount);
            int total = 0;
            try
            {
                for (int i = 0; i < iovecCount; i++)
                {
                    var buffer = memory.IoVector(iovecs, i);
                    if (buffer.Length > int.MaxValue - total) break;
                    int read = ReadChunked(caller, buffer, stream: null, file.SafeFileHandle, offset + total);
                    total += read;
                    if (read < buffer.Length) break;
                }
            }
            catch (Exception e) when (total > 0 && TryGetErrno(e, out _))
            {
                // Bytes already read are reported.
            }
            memory.WriteInt32(readPointer, total);
            return Errno.Success;
        }
        catch (Exception e) when (TryGetErrno(e, out int errno))
        {
            return errno;
        }
    }

    private int FdPwrite(Caller caller, int fd, int iovecs, int iovecCount, long offset, int writtenPointer)
    {
        try
        {
            var memory = new GuestMemory(caller);
            var descriptor = GetStream(fd, Errno.BadFileDescriptor);
            var file = descriptor.File ?? throw new WasiErrnoException(Errno.InvalidSeek);
            if (!descriptor.CanWrite) throw new WasiErrnoException(Errno.BadFileDescriptor);
            if (offset < 0) throw new WasiErrnoException(Errno.Invalid);
            CheckIovecs(memory, iovecs, iovecCount);
            memory.Slice(writtenPointer, 4);
            ChargeCall(caller, iovecCount);
            int total = 0;
            try
            {
                for (int i = 0; i < iovecCount; i++)
                {
                    var data = memory.IoVector(iovecs, i);
                    if (data.Length > int.MaxValue - total) break;
                    while (data.Length > 0)
                    {
                        var chunk = data[..Math.Min(data.Length, ChunkBytes)];
                        ChargeBytes(caller, chunk.Length);
                        RandomAccess.Write(file.SafeFileHandle, chunk, offset + total);
                        total += chunk.Length;
                        data = data[chunk.Length..];
                    }
                }
            }
            catch (Exception e) when (total > 0 && TryGetErrno(e, out _))
            {
                // Bytes already written are reported.
            }
            memory.WriteInt32(writtenPointer, total);
            return Errno.Success;
        }
        catch (Exception e) when (TryGetErrno(e, out int errno))
        {
            return errno;
        }
    }

    private int FdSeek(Caller caller, int fd, long offset, int whence, int newOffsetPointer)
    {
        try
        {
            var memory = new GuestMemory(caller);
            var file = GetFile(fd);
            memory.Slice(newOffsetPointer, 8);
            long origin = whence switch
            {
                0 => 0,
                1 => file.Position,
                2 => file.Length,
                _ => throw new WasiErrnoException(Errno.Invalid),
            };
            long target = origin + offset;
            if ((offset > 0 && target < origin) || target < 0) throw new WasiErrnoException(Errno.Invalid);
            file.Position = target;
            memory.WriteInt64(newOffsetPointer, target);
            return Errno.Success;
        }
        catch (Exception e) when (TryGetErrno(e, out int errno))
        {
            return errno;
        }
    }

    private int FdTell(Caller caller, int fd, int offsetPointer)
    {
        try
        {
            var memory = new GuestMemory(caller);
            memory.WriteInt64(offsetPointer, GetFile(fd).Position);
            return Errno.Success;
        }
        catch (Exception e) when (TryGetErrno(e, out int errno))
        {
            return errno;
        }
    }

    private int FdClose(Caller caller, int fd)
    {
        try
        {
            GetDescriptor(fd);
            RemoveDescriptor(fd);
            return Errno.Success;
        }
        catch (Exception e) when (TryGetErrno(e, out int errno))
        {
            return errno;
        }
    }

    private int FdRenumber(Caller caller, int fd, int to)
    {
        try
        {
            var descriptor = GetDescriptor(fd);
            GetDescriptor(to);
            if (fd == to) return Errno.Success;
            RemoveDescriptor(to);
            _descriptors[to] = descriptor;
            _descriptors[fd] = null;
            return Errno.Success;
        }
        catch (Exception e) when (TryGetErrno(e, out int errno))
        {
            return errno;
        }
    }

    private int FdSync(Caller caller, int fd)
    {
        try
        {
            if (GetDescriptor(fd) is StreamDescriptor stream)
            {
                if (stream.File is { } file) file.Flush(flushToDisk: true);
                else if (stream.CanWrite) stream.Stream.Flush();
            }
            return Errno.Success;
        }
        catch (Exception e) when (TryGetErrno(e, out int errno))
        {
            return errno;
        }
    }

    private int FdFdstatGet(Caller caller, int fd, int statPointer)
    {
        try
        {
            var memory = new GuestMemory(caller);
            var descriptor = GetDescriptor(fd);
            memory.Slice(statPointer, 24).Clear();
            memory.WriteByte(statPointer, descriptor.FileType);
            memory.WriteUInt16(statPointer + 2, descriptor.Flags);
            memory.WriteInt64(statPointer + 8, descriptor.RightsBase);
            memory.WriteInt64(statPointer + 16, descriptor.RightsInheriting);
            return Errno.Success;
        }
        catch (Exception e) when (TryGetErrno(e, out int errno))
        {
            return errno;
        }
    }

    private int FdFdstatSetFlags(Caller caller, int fd, int flags)
    {
        try
        {
            var descriptor = GetDescriptor(fd);
            // append (1), dsync (2), nonblock (4), rsync (8), sync (16); only append changes behaviour here.
            if ((flags & ~0x1F) != 0) throw new WasiErrnoException(Errno.Invalid);
            descriptor.Flags = (ushort)flags;
            return Errno.Success;
        }
        catch (Exception e) when (TryGetErrno(e, out int errno))
        {
            return errno;
        }
    }

    private int FdFdstatSetRights(Caller caller, int fd, long rightsBase, long rightsInheriting)
    {
        try
        {
            // Rights may only shrink; WasmKit checks access by how a file was opened, so nothing to record.
            GetDescriptor(fd);
            return Errno.Success;
        }
        catch (Exception e) when (TryGetErrno(e, out int errno))
        {
            return errno;
        }
    }

    private int FdFilestatGet(Caller caller, int fd, int statPointer)
    {
        try
        {
            var memory = new GuestMemory(caller);
            switch (GetDescriptor(fd))
            {
                case StreamDescriptor { File: { } file } stream:
                    FileStat.Write(memory, statPointer, file.SafeFileHandle, stream.HostPath ?? file.Name);
                    break;
                case DirectoryDescriptor { Sandbox.Beneath: { } beneath } directory:
                    var resolvedNow = directory.ResolveNow();
                    memory.Slice(statPointer, FileStat.Size);
                    FileStat.Write(memory, statPointer, FileStat.InodeOf(resolvedNow.HostPath), beneath.Stat(resolvedNow.Components));
                    break;
                case DirectoryDescriptor directory:
                    FileStat.Write(memory, statPointer, new DirectoryInfo(directory.ResolveNow().HostPath), FileType.Directory, 0);
                    break;
                case var other:
                    FileStat.WriteTypeOnly(memory, statPointer, other.FileType);
                    break;
            }
            return Errno.Success;
        }
        catch (Exception e) when (TryGetErrno(e, out int errno))
        {
            return errno;
        }
    }

    private int FdFilestatSetSize(Caller caller, int fd, long size)
    {
        try
        {
            var descriptor = GetStream(fd, Errno.BadFileDescriptor);
            var file = descriptor.File ?? throw new WasiErrnoException(Errno.Invalid);
            if (!descriptor.CanWrite) throw new WasiErrnoException(Errno.BadFileDescriptor);
            if (size < 0) throw new WasiErrnoException(Errno.Invalid);
            file.SetLength(size);
            return Errno.Success;
        }
        catch (Exception e) when (TryGetErrno(e, out int errno))
        {
            return errno;
        }
    }

    private int FdFilestatSetTimes(Caller caller, int fd, long accessed, long modified, int flags)
    {
        try
        {
            switch (GetDescriptor(fd))
            {
                case StreamDescriptor { File: { } file } stream:
                    if (stream.InReadOnlySandbox) throw new WasiErrnoException(Errno.ReadOnlyFileSystem);
                    FileStat.SetTimes(file.SafeFileHandle, accessed, modified, flags);
                    break;
                case DirectoryDescriptor directory:
                    var resolved = directory.ResolveNow();
                    if (directory.Sandbox.ReadOnly) throw new WasiErrnoException(Errno.ReadOnlyFileSystem);
                    if (directory.Sandbox.Beneath is { } beneath)
                    {
                        var (accessSeconds, accessNanoseconds, modifySeconds, modifyNanoseconds) = FileStat.ToTimespecs(accessed, modified, flags);
                        beneath.SetTimes(resolved.Components, accessSeconds, accessNanoseconds, modifySeconds, modifyNanoseconds);
                        break;
                    }
                    FileStat.SetTimes(new DirectoryInfo(resolved.HostPath), accessed, modified, flags);
                    break;
                default:
                    throw new WasiErrnoException(Errno.BadFileDescriptor);
            }
            return Errno.Success;
        }
        catch (Exception e) when (TryGetErrno(e, out int errno))
        {
            return errno;
        }
    }

    private int FdAdvise(Caller caller, int fd, long offset, long length, int advice)
    {
        try
        {
            GetFile(fd);
            if (offset < 0 || length < 0 || (uint)advice > 5) throw new WasiErrnoException(Errno.Invalid);
            return Errno.Success;
        }
        catch (Exception e) when (TryGetErrno(e, out int errno))
        {
            return errno;
        }
    }

    private int FdAllocate(Caller caller, int fd, long offset, long length)
    {
        try
        {
            var descriptor = GetStream(fd, Errno.BadFileDescriptor);
            var file = descriptor.File ?? throw new WasiErrnoException(Errno.InvalidSeek);
            if (!descriptor.CanWrite) throw new WasiErrnoException(Errno.BadFileDescriptor);
            if (offset < 0 || length <= 0) throw new WasiErrnoException(Errno.Invalid);
            long end = offset + length;
            if (end < 0) throw new WasiErrnoException(Errno.FileTooBig);
            if (end > file.Length) file.SetLength(end);
            return Errno.Success;
        }
        catch (Exception e) when (TryGetErrno(e, out int errno))
        {
            return errno;
        }
    }

    private int FdPrestatGet(Caller caller, int fd, int prestatPointer)
    {
        try
        {
            var memory = new GuestMemory(caller);
            // wasi-libc scans descriptors from 3 until EBADF to find the preopens.
            if (GetDescriptor(fd) is not DirectoryDescriptor { PreopenName: { } name }) throw new WasiErrnoException(Errno.BadFileDescriptor);
            memory.Slice(prestatPointer, 8).Clear();
            memory.WriteInt32(prestatPointer + 4, Encoding.UTF8.GetByteCount(name));
            return Errno.Success;
        }
        catch (Exception e) when (TryGetErrno(e, out int errno))
        {
            return errno;
        }
    }

    private int FdPrestatDirName(Caller caller, int fd, int pathPointer, int pathLength)
    {
        try
        {
            var memory = new GuestMemory(caller);
            if (GetDescriptor(fd) is not DirectoryDescriptor { PreopenName: { } name }) throw new WasiErrnoException(Errno.BadFileDescriptor);
            byte[] bytes = Encoding.UTF8.GetBytes(name);
            if ((uint)pathLength < bytes.Length) throw new WasiErrnoException(Errno.NameTooLong);
            bytes.CopyTo(memory.Slice(pathPointer, bytes.Length));
            return Errno.Success;
        }
        catch (Exception e) when (TryGetErrno(e, out int errno))
        {
            return errno;
        }
    }

    /// <summary>
    /// Fills the buffer with 24-byte dirent headers, each followed by its name; the last entry may
    /// be cut off, which tells the guest to call again with a larger buffer. The cookie is the
    /// index of the next entry in a listing taken when the guest starts over at cookie 0.
    /// </summary>
    private int FdReaddir(Caller caller, int fd, int buffer, int bufferLength, long cookie, int usedPointer)
    {
        try
        {
            var memory = new GuestMemory(caller);
            var directory = GetDescriptor(fd) as DirectoryDescriptor ?? throw new WasiErrnoException(Errno.NotDirectory);
            var output = memory.Slice(buffer, bufferLength);
            memory.Slice(usedPointer, 4);
            if (cookie == 0 || directory.Listing is null) directory.Listing = ListDirectory(directory);
            var listing = directory.Listing;
            Span<byte> header = stackalloc byte[24];
            int used = 0;
            for (long index = Math.Max(cookie, 0); index < listing.Count && used < output.Length; index++)
            {
                var entry = listing[(int)index];
                header.Clear();
                System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(header, index + 1);
                System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(header[8..], entry.Inode);
                System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(header[16..], entry.Name.Length);
                header[20] = entry.FileType;
                used += CopyPart(header, output[used..]);
                used += CopyPart(entry.Name, output[used..]);
            }
            memory.WriteInt32(usedPointer, used);
            return Errno.Success;
        }
        catch (Exception e) when (TryGetErrno(e, out int errno))
        {
            return errno;
        }
    }

    private static int CopyPart(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        int count = Math.Min(source.Length, destination.Length);
        source[..count].CopyTo(destination);
        return count;
    }

    /// <summary>".", "..", then the entries in ordinal order (the host's order is arbitrary).</summary>
    private static List<DirectoryEntry> ListDirectory(DirectoryDescriptor directory)
    {
        var resolved = directory.ResolveNow();
        string path = resolved.HostPath;
        // Only an inode number comes from the parent's path, never its contents.
        string parent = resolved.IsRoot ? path : directory.Sandbox.HostPathOf(resolved.Components[..^1]);
        var entries = new List<DirectoryEntry>
        {
            new("."u8.ToArray(), FileType.Directory, FileStat.InodeOf(path)),
            new(".."u8.ToArray(), FileType.Directory, FileStat.InodeOf(parent)),
        };
        // On Linux the directory is opened beneath the root and listed through the kernel's name for that
        // descriptor, which stays on it whatever is renamed meanwhile; elsewhere (or without /proc) by path.
        using var opened = directory.Sandbox.Beneath?.OpenDirectory(resolved.Components);
        string listed = opened is not null && Directory.Exists($"/proc/self/fd/{opened.Fd}") ? $"/proc/self/fd/{opened.Fd}" : path;
        var names = new DirectoryInfo(listed).EnumerateFileSystemInfos().Select(i => i.Name).ToList();
        names.Sort(StringComparer.Ordinal);
        foreach (string name in names)
        {
            var kind = Sandbox.Inspect(Path.Join(listed, name), out _);
            if (kind == EntryKind.Missing) continue;
            entries.Add(new DirectoryEntry(Encoding.UTF8.GetBytes(name), FileStat.FileTypeOf(kind), FileStat.InodeOf(Path.Join(path, name))));
        }
        return entries;
    }
}
