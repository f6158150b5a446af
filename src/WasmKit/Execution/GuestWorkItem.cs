namespace WasmKit.Execution;

/// <summary>
/// One piece of work queued on a <see cref="GuestExecutor"/>, as its threads see it: it either starts once
/// (<see cref="TryStart"/>, then <see cref="Run"/>) or is withdrawn before it starts (<see cref="TryWithdraw"/>), never both.
/// </summary>
internal abstract class GuestWorkItem
{
    private const int Queued = 0, Started = 1, Withdrawn = 2;

    private int _status;

    /// <summary>Claims the item for running; false when it was withdrawn first.</summary>
    public bool TryStart() => Interlocked.CompareExchange(ref _status, Started, Queued) == Queued;

    /// <summary>Claims the item for withdrawal (cancellation, disposal); false when it started or was withdrawn first.</summary>
    public bool TryWithdraw() => Interlocked.CompareExchange(ref _status, Withdrawn, Queued) == Queued;

    /// <summary>Withdraws the item when its token is cancelled before it starts; called once, before the item is queued.</summary>
    public abstract void WatchCancellation();

    /// <summary>Runs the work on the calling execution thread and completes the item's task; never throws.</summary>
    public abstract void Run();

    /// <summary>Completes the task of a withdrawn item as cancelled by its token.</summary>
    public abstract void CompleteCanceled();

    /// <summary>Completes the task of a withdrawn item with <paramref name="error"/>.</summary>
    public abstract void CompleteFaulted(Exception error);
}
