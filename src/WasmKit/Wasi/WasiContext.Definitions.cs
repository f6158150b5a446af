namespace WasmKit.Wasi;

// Every function of wasi_snapshot_preview1, so any program links; the unsupported ones return ENOSYS.
public sealed partial class WasiContext
{
    /// <summary>Defines the 46 functions of <c>wasi_snapshot_preview1</c> in <paramref name="linker"/>, bound to this context.</summary>
    internal void DefineIn(Linker linker)
    {
        const string M = ModuleName;
        linker.DefineFunction<int, int, int>(M, "args_get", ArgsGet);
        linker.DefineFunction<int, int, int>(M, "args_sizes_get", ArgsSizesGet);
        linker.DefineFunction<int, int, int>(M, "environ_get", EnvironGet);
        linker.DefineFunction<int, int, int>(M, "environ_sizes_get", EnvironSizesGet);
        linker.DefineFunction<int, int, int>(M, "clock_res_get", ClockResGet);
        linker.DefineFunction<int, long, int, int>(M, "clock_time_get", ClockTimeGet);
        linker.DefineFunction<int, long, long, int, int>(M, "fd_advise", FdAdvise);
        linker.DefineFunction<int, long, long, int>(M, "fd_allocate", FdAllocate);
        linker.DefineFunction<int, int>(M, "fd_close", FdClose);
        linker.DefineFunction<int, int>(M, "fd_datasync", FdSync);
        linker.DefineFunction<int, int, int>(M, "fd_fdstat_get", FdFdstatGet);
        linker.DefineFunction<int, int, int>(M, "fd_fdstat_set_flags", FdFdstatSetFlags);
        linker.DefineFunction<int, long, long, int>(M, "fd_fdstat_set_rights", FdFdstatSetRights);
        linker.DefineFunction<int, int, int>(M, "fd_filestat_get", FdFilestatGet);
        linker.DefineFunction<int, long, int>(M, "fd_filestat_set_size", FdFilestatSetSize);
        linker.DefineFunction<int, long, long, int, int>(M, "fd_filestat_set_times", FdFilestatSetTimes);
        linker.DefineFunction<int, int, int, long, int, int>(M, "fd_pread", FdPread);
        linker.DefineFunction<int, int, int>(M, "fd_prestat_get", FdPrestatGet);
        linker.DefineFunction<int, int, int, int>(M, "fd_prestat_dir_name", FdPrestatDirName);
        linker.DefineFunction<int, int, int, long, int, int>(M, "fd_pwrite", FdPwrite);
        linker.DefineFunction<int, int, int, int, int>(M, "fd_read", FdRead);
        linker.DefineFunction<int, int, int, long, int, int>(M, "fd_readdir", FdReaddir);
        linker.DefineFunction<int, int, int>(M, "fd_renumber", FdRenumber);
        linker.DefineFunction<int, long, int, int, int>(M, "fd_seek", FdSeek);
        linker.DefineFunction<int, int>(M, "fd_sync", FdSync);
        linker.DefineFunction<int, int, int>(M, "fd_tell", FdTell);
        linker.DefineFunction<int, int, int, int, int>(M, "fd_write", FdWrite);
        linker.DefineFunction<int, int, int, int>(M, "path_create_directory", PathCreateDirectory);
        linker.DefineFunction<int, int, int, int, int, int>(M, "path_filestat_get", PathFilestatGet);
        linker.DefineFunction<int, int, int, int, long, long, int, int>(M, "path_filestat_set_times", PathFilestatSetTimes);
        linker.DefineFunction<int, int, int, int, int, int, int, int>(M, "path_link", static (_, _, _, _, _, _, _, _) => Errno.NotImplemented);
        linker.DefineFunction(M, "path_open",
            FunctionType.Of([ValueKind.Int32, ValueKind.Int32, ValueKind.Int32, ValueKind.Int32, ValueKind.Int32, ValueKind.Int64, ValueKind.Int64, ValueKind.Int32, ValueKind.Int32], [ValueKind.Int32]),
            (caller, arguments, results) => results[0] = PathOpen(caller, (int)arguments[0]!, (int)arguments[1]!, (int)arguments[2]!, (int)arguments[3]!,
                (int)arguments[4]!, (long)arguments[5]!, (long)arguments[6]!, (int)arguments[7]!, (int)arguments[8]!));
        linker.DefineFunction<int, int, int, int, int, int, int>(M, "path_readlink", PathReadlink);
        linker.DefineFunction<int, int, int, int>(M, "path_remove_directory", PathRemoveDirectory);
        linker.DefineFunction<int, int, int, int, int, int, int>(M, "path_rename", PathRename);
        linker.DefineFunction<int, int, int, int, int, int>(M, "path_symlink", static (_, _, _, _, _, _) => Errno.NotImplemented);
        linker.DefineFunction<int, int, int, int>(M, "path_unlink_file", PathUnlinkFile);
        linker.DefineFunction<int, int, int, int, int>(M, "poll_oneoff", PollOneoff);
        linker.DefineFunction<int>(M, "proc_exit", ProcExit);
        linker.DefineFunction<int, int>(M, "proc_raise", static (_, _) => Errno.NotImplemented);
        linker.DefineFunction<int>(M, "sched_yield", SchedYield);
        linker.DefineFunction<int, int, int>(M, "random_get", RandomGet);
        linker.DefineFunction<int, int, int, int>(M, "sock_accept", static (_, _, _, _) => Errno.NotImplemented);
        linker.DefineFunction<int, int, int, int, int, int, int>(M, "sock_recv", static (_, _, _, _, _, _, _) => Errno.NotImplemented);
        linker.DefineFunction<int, int, int, int, int, int>(M, "sock_send", static (_, _, _, _, _, _) => Errno.NotImplemented);
        linker.DefineFunction<int, int, int>(M, "sock_shutdown", static (_, _, _) => Errno.NotImplemented);
    }
}
