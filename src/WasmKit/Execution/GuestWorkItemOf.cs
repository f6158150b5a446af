namespace WasmKit.Execution;

/// <summary>
/// A work item with its state, its body and the task the caller awaits (three allocations per item: the item, its
/// task source and the task). Continuations of the task never run on the execution thread.
/// </summary>
/// <typeparam name="TState">What the body receives.</typeparam>
/// <typeparam name="TResult">What the body returns.</typeparam>
internal sealed class GuestWorkItem<TState, TResult> : GuestWorkItem
{
    private static readonly ContextCallback s_runInContext = static item => ((GuestWorkItem<TState, TResult>)item!).RunHere();

    private readonly TaskCompletionSource<TResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TState _state;
    private readonly Func<TState, CancellationToken, TResult> _work;
    private readonly CancellationToken _cancellationToken;
    // The caller's execution context (AsyncLocal values such as Activity.Current), so the work sees what the caller saw.
    private readonly ExecutionContext? _context;
    private readonly GuestExecutor _executor;
    private CancellationTokenRegistration _registration;

    public GuestWorkItem(GuestExecutor executor, TState state, Func<TState, CancellationToken, TResult> work, CancellationToken cancellationToken)
    {
        _executor = executor;
        _state = state;
        _work = work;
        _cancellationToken = cancellationToken;
        _context = ExecutionContext.Capture();
    }

    public Task<TResult> Task => _completion.Task;

    public override void WatchCancellation()
    {
        if (!_cancellationToken.CanBeCanceled) return;
        _registration = _cancellationToken.UnsafeRegister(static item => ((GuestWorkItem<TState, TResult>)item!).OnCanceled(), this);
    }

    public override void Run()
    {
        // Once started, the token is the work's to watch; the registration (which could only lose the race now) goes.
        _registration.Dispose();
        if (_context is null) RunHere();
        else ExecutionContext.Run(_context, s_runInContext, this);
    }

    public override void CompleteCanceled()
    {
        _registration.Dispose();
        _completion.TrySetCanceled(_cancellationToken);
    }

    public override void CompleteFaulted(Exception error)
    {
        _registration.Dispose();
        _completion.TrySetException(error);
    }

    private void RunHere()
    {
        try
        {
            _completion.TrySetResult(_work(_state, _cancellationToken));
        }
        catch (OperationCanceledException canceled) when (canceled.CancellationToken == _cancellationToken && _cancellationToken.IsCancellationRequested)
        {
            _completion.TrySetCanceled(_cancellationToken);
        }
        catch (Exception error)
        {
            _completion.TrySetException(error);
        }
    }

    private void OnCanceled()
    {
        if (TryWithdraw()) _executor.Withdrawn(this);
    }
}
