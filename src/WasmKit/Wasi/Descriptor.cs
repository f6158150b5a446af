namespace WasmKit.Wasi;

/// <summary>An entry of a WASI program's file descriptor table.</summary>
internal abstract class Descriptor
{
    /// <summary>The <c>filetype</c> fd_fdstat_get reports.</summary>
    public abstract byte FileType { get; }

    /// <summary>The <c>fdflags</c> (append, nonblock, ...), as the guest last set them.</summary>
    public ushort Flags { get; set; }

    /// <summary>The rights fd_fdstat_get reports.</summary>
    public abstract long RightsBase { get; }

    /// <summary>The rights fd_fdstat_get reports as inheritable by descriptors opened from this one.</summary>
    public virtual long RightsInheriting => 0;

    /// <summary>Releases what the descriptor holds; called once, when the guest closes it or the context is disposed.</summary>
    public virtual void Close()
    {
    }
}
