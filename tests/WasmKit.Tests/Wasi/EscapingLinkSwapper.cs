namespace WasmKit.Tests.Wasi;

/// <summary>
/// Plays another host process racing the guest: keeps swapping the preopen's real directory <c>v</c> with
/// <c>a/b</c>, which holds the escaping link <c>up2 -> ../..</c>, until disposed. Disposal stops it and
/// asserts that it ended cleanly.
/// </summary>
internal sealed class EscapingLinkSwapper : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _swapping;

    /// <param name="data">The preopened host directory holding <c>v</c> and <c>a/b</c>.</param>
    /// <param name="pauseSometimes">Whether the real directory sometimes stays a while, so that whole operations also succeed during the race.</param>
    public EscapingLinkSwapper(string data, bool pauseSometimes)
    {
        string v = Path.Combine(data, "v"), vOld = Path.Combine(data, "v_old"), ab = Path.Combine(data, "a", "b");
        var stop = _stop.Token;
        _swapping = Task.Factory.StartNew(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                Directory.Move(v, vOld);
                Directory.Move(ab, v);
                Directory.Move(v, ab);
                Directory.Move(vOld, v);
                if (pauseSometimes && Random.Shared.Next(2) == 0) Thread.SpinWait(Random.Shared.Next(20_000));
            }
        }, TaskCreationOptions.LongRunning);
    }

    /// <summary>Whether the swapping stopped by itself (it failed).</summary>
    public bool HasStopped => _swapping.IsCompleted;

    public void Dispose()
    {
        _stop.Cancel();
        Assert.That(_swapping.Wait(TimeSpan.FromSeconds(30)), Is.True, "the swapper did not stop");
        Assert.That(_swapping.Exception, Is.Null);
        _stop.Dispose();
    }
}
