using Wt = global::Wasmtime;

namespace WasmKit.Wasmtime;

/// <summary>
/// The one thread per <see cref="WasmtimeBackend"/> that advances its engine's epoch at a fixed interval:
/// stores check their epoch deadline against it, so interrupt requests reach running guest code within an
/// interval, with no timer per call.
/// </summary>
internal sealed class EpochTicker : IDisposable
{
    private readonly Wt.Engine _engine;
    private readonly TimeSpan _interval;
    private readonly ManualResetEventSlim _stop = new(false);
    private readonly Thread _thread;

    public EpochTicker(Wt.Engine engine, TimeSpan interval)
    {
        _engine = engine;
        _interval = interval;
        _thread = new Thread(Run) { IsBackground = true, Name = "WasmKit Wasmtime epoch ticker" };
        _thread.Start();
    }

    private void Run()
    {
        // Wait returns true once Dispose signals: the engine must not be touched after that.
        while (!_stop.Wait(_interval)) _engine.IncrementEpoch();
    }

    /// <summary>Stops the thread and waits for it, so the engine can be disposed after this returns.</summary>
    public void Dispose()
    {
        _stop.Set();
        if (Thread.CurrentThread != _thread) _thread.Join();
        _stop.Dispose();
    }
}
