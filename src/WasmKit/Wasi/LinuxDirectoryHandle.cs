using System.Runtime.InteropServices;

namespace WasmKit.Wasi;

/// <summary>An open Linux directory descriptor (O_PATH), closed when disposed or finalized.</summary>
internal sealed class LinuxDirectoryHandle : SafeHandle
{
    public LinuxDirectoryHandle(int fd)
        : base(invalidHandleValue: -1, ownsHandle: true)
    {
        SetHandle(fd);
    }

    public override bool IsInvalid => handle == -1;

    /// <summary>The descriptor number; valid while the handle is neither closed nor disposed.</summary>
    public int Fd => (int)handle;

    protected override bool ReleaseHandle() => NativeFileSystem.Close((int)handle) == 0;
}
