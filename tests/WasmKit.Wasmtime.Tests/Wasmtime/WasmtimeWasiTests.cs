using System.Text;
using WasmKit.Backends;
using WasmKit.Tests.Support;
using WasmKit.Wasi;
using WasmKit.Wasmtime;

namespace WasmKit.Tests.Wasmtime;

/// <summary>Wasmtime's own WASI behind the seam: WasmKit's Stream-based stdin and stdout bridged without loss.</summary>
public class WasmtimeWasiTests
{
    private const string Echo = """
        (module
          (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (memory (export "memory") 1)
          (func (export "echo") (result i32)
            (i32.store (i32.const 0) (i32.const 100))
            (i32.store (i32.const 4) (i32.const 64))
            (drop (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
            (i32.store (i32.const 4) (i32.load (i32.const 8)))
            (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 12))))
        """;

    private static (string Output, int Errno) Run(WasiConfiguration wasi)
    {
        using var backend = new WasmtimeBackend(new WasmtimeBackendOptions { UsePoolingAllocator = false });
        var module = backend.Compile(Wat.ToWasm(Echo));
        var imports = new BackendImports { Wasi = wasi };
        Assert.That(module.FindUnresolvedImports(imports), Is.Empty);
        using var instance = module.Instantiate(new BackendInstanceOptions { Imports = imports });
        int errno = (int)module.GetInvoker("echo")!.Invoke(instance, []);
        return (Encoding.UTF8.GetString(((MemoryStream)wasi.Stdout).ToArray()), errno);
    }

    [Test]
    public void StdinFromAStreamReachesTheGuestAndStdoutComesBackToTheStream()
    {
        var (output, errno) = Run(new WasiConfiguration().WithStdin("hello, wasmtime"));
        Assert.That((output, errno), Is.EqualTo(("hello, wasmtime", 0)));
        Assert.That(Directory.GetFiles(Path.GetTempPath(), "wasmkit-stdin-*"), Is.Empty, "the stdin file is deleted once Wasmtime opened it");
    }

    [Test]
    public void OutputPastMaxOutputBytesIsDroppedSilentlyOnWasmtime()
    {
        // By design of Wasmtime's output callbacks: the guest's write succeeds (the managed engine reports a short count, then EFBIG).
        var (output, errno) = Run(new WasiConfiguration { MaxOutputBytes = 5 }.WithStdin("hello, wasmtime"));
        Assert.That((output, errno), Is.EqualTo(("hello", 0)));
    }
}
