namespace WasmKit.Wasi;

// Every function of wasi_snapshot_preview1, so any program links; the unsupported ones return ENOSYS.
public sealed partial class WasiContext
{
    /// <summary>
    /// Defines the 46 functions of <c>wasi_snapshot_preview1</c> in <paramref name="linker"/>, acting on
    /// <paramref name="bound"/>, or (when it is <see langword="null"/>) on the context of the calling store
    /// (<see cref="Store.Wasi"/>), so that one linker serves instances that each have their own WASI state.
    /// </summary>
    internal static void DefineIn(Linker linker, WasiContext? bound)
    {
        const string M = ModuleName;
        linker.DefineFunction<int, int, int>(M, "args_get", (caller, a, b) => Of(caller, bound).ArgsGet(caller, a, b));
        linker.DefineFunction<int, int, int>(M, "args_sizes_get", (caller, a, b) => Of(caller, bound).ArgsSizesGet(caller, a, b));
        linker.DefineFunction<int, int, int>(M, "environ_get", (caller, a, b) => Of(caller, bound).EnvironGet(caller, a, b));
        linker.DefineFunction<int, int, int>(M, "environ_sizes_get", (caller, a, b) => Of(caller, bound).EnvironSizesGet(caller, a, b));
        linker.DefineFunction<int, int, int>(M, "clock_res_get", ClockResGet);
        linker.DefineFunction<int, long, int, int>(M, "clock_time_get", ClockTimeGet);
        linker.DefineFunction<int, long, long, int, int>(M, "fd_advise", (caller, a, b, c, d) => Of(caller, bound).FdAdvise(caller, a, b, c, d));
        linker.DefineFunction<int, long, long, int>(M, "fd_allocate", (caller, a, b, c) => Of(caller, bound).FdAllocate(caller, a, b, c));
        linker.DefineFunction<int, int>(M, "fd_close", (caller, a) => Of(caller, bound).FdClose(caller, a));
        linker.DefineFunction<int, int>(M, "fd_datasync", (caller, a) => Of(caller, bound).FdSync(caller, a));
        linker.DefineFunction<int, int, int>(M, "fd_fdstat_get", (caller, a, b) => Of(caller, bound).FdFdstatGet(caller, a, b));
        linker.DefineFunction<int, int, int>(M, "fd_fdstat_set_flags", (caller, a, b) => Of(caller, bound).FdFdstatSetFlags(caller, a, b));
        linker.DefineFunction<int, long, long, int>(M, "fd_fdstat_set_rights", (caller, a, b, c) => Of(caller, bound).FdFdstatSetRights(caller, a, b, c));
        linker.DefineFunction<int, int, int>(M, "fd_filestat_get", (caller, a, b) => Of(caller, bound).FdFilestatGet(caller, a, b));
        linker.DefineFunction<int, long, int>(M, "fd_filestat_set_size", (caller, a, b) => Of(caller, bound).FdFilestatSetSize(caller, a, b));
        linker.DefineFunction<int, long, long, int, int>(M, "fd_filestat_set_times", (caller, a, b, c, d) => Of(caller, bound).FdFilestatSetTimes(caller, a, b, c, d));
        linker.DefineFunction<int, int, int, long, int, int>(M, "fd_pread", (caller, a, b, c, d, e) => Of(caller, bound).FdPread(caller, a, b, c, d, e));
        linker.DefineFunction<int, int, int>(M, "fd_prestat_get", (caller, a, b) => Of(caller, bound).FdPrestatGet(caller, a, b));
        linker.DefineFunction<int, int, int, int>(M, "fd_prestat_dir_name", (caller, a, b, c) => Of(caller, bound).FdPrestatDirName(caller, a, b, c));
        linker.DefineFunction<int, int, int, long, int, int>(M, "fd_pwrite", (caller, a, b, c, d, e) => Of(caller, bound).FdPwrite(caller, a, b, c, d, e));
        linker.DefineFunction<int, int, int, int, int>(M, "fd_read", (caller, a, b, c, d) => Of(caller, bound).FdRead(caller, a, b, c, d));
        linker.DefineFunction<int, int, int, long, int, int>(M, "fd_readdir", (caller, a, b, c, d, e) => Of(caller, bound).FdReaddir(caller, a, b, c, d, e));
        linker.DefineFunction<int, int, int>(M, "fd_renumber", (caller, a, b) => Of(caller, bound).FdRenumber(caller, a, b));
        linker.DefineFunction<int, long, int, int, int>(M, "fd_seek", (caller, a, b, c, d) => Of(caller, bound).FdSeek(caller, a, b, c, d));
        linker.DefineFunction<int, int>(M, "fd_sync", (caller, a) => Of(caller, bound).FdSync(caller, a));
        linker.DefineFunction<int, int, int>(M, "fd_tell", (caller, a, b) => Of(caller, bound).FdTell(caller, a, b));
        linker.DefineFunction<int, int, int, int, int>(M, "fd_write", (caller, a, b, c, d) => Of(caller, bound).FdWrite(caller, a, b, c, d));
        linker.DefineFunction<int, int, int, int>(M, "path_create_directory", (caller, a, b, c) => Of(caller, bound).PathCreateDirectory(caller, a, b, c));
        linker.DefineFunction<int, int, int, int, int, int>(M, "path_filestat_get", (caller, a, b, c, d, e) => Of(caller, bound).PathFilestatGet(caller, a, b, c, d, e));
        linker.DefineFunction<int, int, int, int, long, long, int, int>(M, "path_filestat_set_times", (caller, a, b, c, d, e, f, g) => Of(caller, bound).PathFilestatSetTimes(caller, a, b, c, d, e, f, g));
        linker.DefineFunction<int, int, int, int, int, int, int, int>(M, "path_link", static (_, _, _, _, _, _, _, _) => Errno.NotImplemented);
        linker.DefineFunction(M, "path_open",
            FunctionType.Of([ValueKind.Int32, ValueKind.Int32, ValueKind.Int32, ValueKind.Int32, ValueKind.Int32, ValueKind.Int64, ValueKind.Int64, ValueKind.Int32, ValueKind.Int32], [ValueKind.Int32]),
            (caller, arguments, results) => results[0] = Of(caller, bound).PathOpen(caller, (int)arguments[0]!, (int)arguments[1]!, (int)arguments[2]!, (int)arguments[3]!,
                (int)arguments[4]!, (long)arguments[5]!, (long)arguments[6]!, (int)arguments[7]!, (int)arguments[8]!));
        linker.DefineFunction<int, int, int, int, int, int, int>(M, "path_readlink", (caller, a, b, c, d, e, f) => Of(caller, bound).PathReadlink(caller, a, b, c, d, e, f));
        linker.DefineFunction<int, int, int, int>(M, "path_remove_directory", (caller, a, b, c) => Of(caller, bound).PathRemoveDirectory(caller, a, b, c));
        linker.DefineFunction<int, int, int, int, int, int, int>(M, "path_rename", (caller, a, b, c, d, e, f) => Of(caller, bound).PathRename(caller, a, b, c, d, e, f));
        linker.DefineFunction<int, int, int, int, int, int>(M, "path_symlink", static (_, _, _, _, _, _) => Errno.NotImplemented);
        linker.DefineFunction<int, int, int, int>(M, "path_unlink_file", (caller, a, b, c) => Of(caller, bound).PathUnlinkFile(caller, a, b, c));
        linker.DefineFunction<int, int, int, int, int>(M, "poll_oneoff", (caller, a, b, c, d) => Of(caller, bound).PollOneoff(caller, a, b, c, d));
        linker.DefineFunction<int>(M, "proc_exit", (caller, a) => Of(caller, bound).ProcExit(caller, a));
        linker.DefineFunction<int, int>(M, "proc_raise", static (_, _) => Errno.NotImplemented);
        linker.DefineFunction<int>(M, "sched_yield", SchedYield);
        linker.DefineFunction<int, int, int>(M, "random_get", (caller, a, b) => Of(caller, bound).RandomGet(caller, a, b));
        linker.DefineFunction<int, int, int, int>(M, "sock_accept", static (_, _, _, _) => Errno.NotImplemented);
        linker.DefineFunction<int, int, int, int, int, int, int>(M, "sock_recv", static (_, _, _, _, _, _, _) => Errno.NotImplemented);
        linker.DefineFunction<int, int, int, int, int, int>(M, "sock_send", static (_, _, _, _, _, _) => Errno.NotImplemented);
        linker.DefineFunction<int, int, int>(M, "sock_shutdown", static (_, _, _) => Errno.NotImplemented);
    }

    /// <summary>The context a WASI call acts on: the bound one, else the calling store's.</summary>
    private static WasiContext Of(Caller caller, WasiContext? bound) => bound ?? caller.Store.Wasi ?? throw NoContext();

    private static InvalidOperationException NoContext() =>
        new("A WASI function was called in a store that has no WASI state: instances of a linker whose WASI is per instance " +
            "must be made through the backend seam (IBackendModule.Instantiate), which gives each store its own.");
}
