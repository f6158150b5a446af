using System.Collections.Concurrent;
using WasmKit.Wasmtime;

namespace WasmKit.Tests.Support;

/// <summary>Disposes the Wasmtime backends the fixtures made, after the last test of the run.</summary>
[SetUpFixture]
public sealed class WasmtimeTestRun
{
    private static readonly ConcurrentBag<WasmtimeBackend> Backends = [];

    /// <summary>Remembers a backend for disposal at the end of the run.</summary>
    public static WasmtimeBackend Track(WasmtimeBackend backend)
    {
        Backends.Add(backend);
        return backend;
    }

    /// <summary>Disposes every tracked backend.</summary>
    [OneTimeTearDown]
    public void DisposeBackends()
    {
        while (Backends.TryTake(out var backend)) backend.Dispose();
    }
}
