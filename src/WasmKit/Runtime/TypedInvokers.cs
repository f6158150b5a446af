using WasmKit.Runtime;

namespace WasmKit.Runtime;

// Generated shapes: one invoker class per arity, for functions (with a result) and actions.
// Each calls compiled code through a function pointer in the WebAssembly calling convention,
// so a typed call costs a delegate call, the stack-guard entry and the guest's own work.

internal sealed unsafe class FunctionInvoker<TResult>(Function function)
{
    private readonly nint _code = function.Code;
    private readonly InstanceContext _context = function.Context;
    private readonly StackGuard _guard = function.Store.StackGuard;

    public TResult Invoke()
    {
        nuint saved = _guard.Enter();
        try
        {
            return ((delegate*<InstanceContext, TResult>)_code)(_context);
        }
        finally
        {
            _guard.Exit(saved);
        }
    }
}

internal sealed unsafe class ActionInvoker(Function function)
{
    private readonly nint _code = function.Code;
    private readonly InstanceContext _context = function.Context;
    private readonly StackGuard _guard = function.Store.StackGuard;

    public void Invoke()
    {
        nuint saved = _guard.Enter();
        try
        {
            ((delegate*<InstanceContext, void>)_code)(_context);
        }
        finally
        {
            _guard.Exit(saved);
        }
    }
}

internal sealed unsafe class FunctionInvoker<T1, TResult>(Function function)
{
    private readonly nint _code = function.Code;
    private readonly InstanceContext _context = function.Context;
    private readonly StackGuard _guard = function.Store.StackGuard;

    public TResult Invoke(T1 a1)
    {
        nuint saved = _guard.Enter();
        try
        {
            return ((delegate*<T1, InstanceContext, TResult>)_code)(a1, _context);
        }
        finally
        {
            _guard.Exit(saved);
        }
    }
}

internal sealed unsafe class ActionInvoker<T1>(Function function)
{
    private readonly nint _code = function.Code;
    private readonly InstanceContext _context = function.Context;
    private readonly StackGuard _guard = function.Store.StackGuard;

    public void Invoke(T1 a1)
    {
        nuint saved = _guard.Enter();
        try
        {
            ((delegate*<T1, InstanceContext, void>)_code)(a1, _context);
        }
        finally
        {
            _guard.Exit(saved);
        }
    }
}

internal sealed unsafe class FunctionInvoker<T1, T2, TResult>(Function function)
{
    private readonly nint _code = function.Code;
    private readonly InstanceContext _context = function.Context;
    private readonly StackGuard _guard = function.Store.StackGuard;

    public TResult Invoke(T1 a1, T2 a2)
    {
        nuint saved = _guard.Enter();
        try
        {
            return ((delegate*<T1, T2, InstanceContext, TResult>)_code)(a1, a2, _context);
        }
        finally
        {
            _guard.Exit(saved);
        }
    }
}

internal sealed unsafe class ActionInvoker<T1, T2>(Function function)
{
    private readonly nint _code = function.Code;
    private readonly InstanceContext _context = function.Context;
    private readonly StackGuard _guard = function.Store.StackGuard;

    public void Invoke(T1 a1, T2 a2)
    {
        nuint saved = _guard.Enter();
        try
        {
            ((delegate*<T1, T2, InstanceContext, void>)_code)(a1, a2, _context);
        }
        finally
        {
            _guard.Exit(saved);
        }
    }
}

internal sealed unsafe class FunctionInvoker<T1, T2, T3, TResult>(Function function)
{
    private readonly nint _code = function.Code;
    private readonly InstanceContext _context = function.Context;
    private readonly StackGuard _guard = function.Store.StackGuard;

    public TResult Invoke(T1 a1, T2 a2, T3 a3)
    {
        nuint saved = _guard.Enter();
        try
        {
            return ((delegate*<T1, T2, T3, InstanceContext, TResult>)_code)(a1, a2, a3, _context);
        }
        finally
        {
            _guard.Exit(saved);
        }
    }
}

internal sealed unsafe class ActionInvoker<T1, T2, T3>(Function function)
{
    private readonly nint _code = function.Code;
    private readonly InstanceContext _context = function.Context;
    private readonly StackGuard _guard = function.Store.StackGuard;

    public void Invoke(T1 a1, T2 a2, T3 a3)
    {
        nuint saved = _guard.Enter();
        try
        {
            ((delegate*<T1, T2, T3, InstanceContext, void>)_code)(a1, a2, a3, _context);
        }
        finally
        {
            _guard.Exit(saved);
        }
    }
}

internal sealed unsafe class FunctionInvoker<T1, T2, T3, T4, TResult>(Function function)
{
    private readonly nint _code = function.Code;
    private readonly InstanceContext _context = function.Context;
    private readonly StackGuard _guard = function.Store.StackGuard;

    public TResult Invoke(T1 a1, T2 a2, T3 a3, T4 a4)
    {
        nuint saved = _guard.Enter();
        try
        {
            return ((delegate*<T1, T2, T3, T4, InstanceContext, TResult>)_code)(a1, a2, a3, a4, _context);
        }
        finally
        {
            _guard.Exit(saved);
        }
    }
}

internal sealed unsafe class ActionInvoker<T1, T2, T3, T4>(Function function)
{
    private readonly nint _code = function.Code;
    private readonly InstanceContext _context = function.Context;
    private readonly StackGuard _guard = function.Store.StackGuard;

    public void Invoke(T1 a1, T2 a2, T3 a3, T4 a4)
    {
        nuint saved = _guard.Enter();
        try
        {
            ((delegate*<T1, T2, T3, T4, InstanceContext, void>)_code)(a1, a2, a3, a4, _context);
        }
        finally
        {
            _guard.Exit(saved);
        }
    }
}

internal sealed unsafe class FunctionInvoker<T1, T2, T3, T4, T5, TResult>(Function function)
{
    private readonly nint _code = function.Code;
    private readonly InstanceContext _context = function.Context;
    private readonly StackGuard _guard = function.Store.StackGuard;

    public TResult Invoke(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5)
    {
        nuint saved = _guard.Enter();
        try
        {
            return ((delegate*<T1, T2, T3, T4, T5, InstanceContext, TResult>)_code)(a1, a2, a3, a4, a5, _context);
        }
        finally
        {
            _guard.Exit(saved);
        }
    }
}

internal sealed unsafe class ActionInvoker<T1, T2, T3, T4, T5>(Function function)
{
    private readonly nint _code = function.Code;
    private readonly InstanceContext _context = function.Context;
    private readonly StackGuard _guard = function.Store.StackGuard;

    public void Invoke(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5)
    {
        nuint saved = _guard.Enter();
        try
        {
            ((delegate*<T1, T2, T3, T4, T5, InstanceContext, void>)_code)(a1, a2, a3, a4, a5, _context);
        }
        finally
        {
            _guard.Exit(saved);
        }
    }
}

internal sealed unsafe class FunctionInvoker<T1, T2, T3, T4, T5, T6, TResult>(Function function)
{
    private readonly nint _code = function.Code;
    private readonly InstanceContext _context = function.Context;
    private readonly StackGuard _guard = function.Store.StackGuard;

    public TResult Invoke(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6)
    {
        nuint saved = _guard.Enter();
        try
        {
            return ((delegate*<T1, T2, T3, T4, T5, T6, InstanceContext, TResult>)_code)(a1, a2, a3, a4, a5, a6, _context);
        }
        finally
        {
            _guard.Exit(saved);
        }
    }
}

internal sealed unsafe class ActionInvoker<T1, T2, T3, T4, T5, T6>(Function function)
{
    private readonly nint _code = function.Code;
    private readonly InstanceContext _context = function.Context;
    private readonly StackGuard _guard = function.Store.StackGuard;

    public void Invoke(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6)
    {
        nuint saved = _guard.Enter();
        try
        {
            ((delegate*<T1, T2, T3, T4, T5, T6, InstanceContext, void>)_code)(a1, a2, a3, a4, a5, a6, _context);
        }
        finally
        {
            _guard.Exit(saved);
        }
    }
}
