namespace WasmKit.Wasmtime;

/// <summary>Options for files only the current user may read: the compile cache's entries and stdin's temporary files.</summary>
internal static class PrivateFile
{
    public static FileStreamOptions CreateOptions()
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        return options;
    }
}
