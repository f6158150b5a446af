using WasmKit.Pooling;

namespace WasmKit.Tests.Pooling;

public class SlotGateTests
{
    [Test]
    public void CountsSlots()
    {
        var gate = new SlotGate(2);
        Assert.That(gate.TryEnter(), Is.True);
        Assert.That(gate.TryEnter(), Is.True);
        Assert.That(gate.TryEnter(), Is.False);
        Assert.That(gate.Enter(TimeSpan.Zero, default), Is.False);
        Assert.That(gate.Enter(TimeSpan.FromMilliseconds(20), default), Is.False);
        gate.Exit(2);
        Assert.That(gate.Enter(TimeSpan.Zero, default), Is.True);
        Assert.That(gate.TryEnter(), Is.True);
        Assert.That(gate.TryEnter(), Is.False);
    }

    [Test]
    public async Task SleepersWakeWhenASlotIsGivenBack()
    {
        var gate = new SlotGate(1);
        Assert.That(gate.TryEnter(), Is.True);
        var sleeper = gate.EnterAsync(Timeout.InfiniteTimeSpan, default);
        var thread = Task.Run(() => gate.Enter(Timeout.InfiniteTimeSpan, default));
        await Task.Delay(20);
        Assert.That(sleeper.IsCompleted || thread.IsCompleted, Is.False);
        gate.Exit();
        var first = await Task.WhenAny(sleeper, thread);
        Assert.That(await first, Is.True);
        gate.Exit();
        Assert.That(await sleeper && await thread, Is.True);
    }

    [Test]
    public void CancellationThrows()
    {
        var gate = new SlotGate(0);
        using var cancel = new CancellationTokenSource(20);
        Assert.That(() => gate.Enter(Timeout.InfiniteTimeSpan, cancel.Token), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(async () => await gate.EnterAsync(Timeout.InfiniteTimeSpan, new CancellationToken(true)), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public void ManyThreadsNeverHoldMoreThanTheSlots()
    {
        var gate = new SlotGate(3);
        int inside = 0, most = 0;
        Parallel.For(0, 2000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            bool entered = i % 2 == 0 ? gate.Enter(TimeSpan.FromSeconds(60), default) : gate.EnterAsync(TimeSpan.FromSeconds(60), default).GetAwaiter().GetResult();
            Assert.That(entered, Is.True);
            int now = Interlocked.Increment(ref inside);
            int seen;
            while ((seen = Volatile.Read(ref most)) < now && Interlocked.CompareExchange(ref most, now, seen) != seen) { }
            Thread.SpinWait(50);
            Interlocked.Decrement(ref inside);
            gate.Exit();
        });
        Assert.That(most, Is.InRange(1, 3));
    }
}
