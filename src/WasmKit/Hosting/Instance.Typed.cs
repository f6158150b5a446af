namespace WasmKit;

// Typed lookups of exported functions. Parameter and result types map as i32=int, i64=long,
// f32=float, f64=double, funcref/externref=object; a mismatch fails at lookup, not at call.
public sealed partial class Instance
{
    /// <summary>An exported function as a typed delegate that calls compiled code without boxing.</summary>
    /// <typeparam name="TResult">The .NET type of the single result.</typeparam>
    /// <param name="name">The export name.</param>
    /// <returns>The delegate, or <see langword="null"/> if there is no function export of that name.</returns>
    /// <exception cref="ArgumentException">The function's signature does not match the type arguments.</exception>
    public Func<TResult>? GetFunction<TResult>(string name) =>
        TypedExport(name, [], typeof(TResult)) is Function f ? new Runtime.FunctionInvoker<TResult>(f).Invoke : null;

    /// <summary>An exported function without results as a typed delegate that calls compiled code without boxing.</summary>
    /// <param name="name">The export name.</param>
    /// <returns>The delegate, or <see langword="null"/> if there is no function export of that name.</returns>
    /// <exception cref="ArgumentException">The function's signature does not match the type arguments.</exception>
    public Action? GetAction(string name) =>
        TypedExport(name, [], null) is Function f ? new Runtime.ActionInvoker(f).Invoke : null;

    /// <summary>An exported function as a typed delegate that calls compiled code without boxing.</summary>
    /// <typeparam name="T1">The .NET type of parameter 1.</typeparam>
    /// <typeparam name="TResult">The .NET type of the single result.</typeparam>
    /// <param name="name">The export name.</param>
    /// <returns>The delegate, or <see langword="null"/> if there is no function export of that name.</returns>
    /// <exception cref="ArgumentException">The function's signature does not match the type arguments.</exception>
    public Func<T1, TResult>? GetFunction<T1, TResult>(string name) =>
        TypedExport(name, [typeof(T1)], typeof(TResult)) is Function f ? new Runtime.FunctionInvoker<T1, TResult>(f).Invoke : null;

    /// <summary>An exported function without results as a typed delegate that calls compiled code without boxing.</summary>
    /// <typeparam name="T1">The .NET type of parameter 1.</typeparam>
    /// <param name="name">The export name.</param>
    /// <returns>The delegate, or <see langword="null"/> if there is no function export of that name.</returns>
    /// <exception cref="ArgumentException">The function's signature does not match the type arguments.</exception>
    public Action<T1>? GetAction<T1>(string name) =>
        TypedExport(name, [typeof(T1)], null) is Function f ? new Runtime.ActionInvoker<T1>(f).Invoke : null;

    /// <summary>An exported function as a typed delegate that calls compiled code without boxing.</summary>
    /// <typeparam name="T1">The .NET type of parameter 1.</typeparam>
    /// <typeparam name="T2">The .NET type of parameter 2.</typeparam>
    /// <typeparam name="TResult">The .NET type of the single result.</typeparam>
    /// <param name="name">The export name.</param>
    /// <returns>The delegate, or <see langword="null"/> if there is no function export of that name.</returns>
    /// <exception cref="ArgumentException">The function's signature does not match the type arguments.</exception>
    public Func<T1, T2, TResult>? GetFunction<T1, T2, TResult>(string name) =>
        TypedExport(name, [typeof(T1), typeof(T2)], typeof(TResult)) is Function f ? new Runtime.FunctionInvoker<T1, T2, TResult>(f).Invoke : null;

    /// <summary>An exported function without results as a typed delegate that calls compiled code without boxing.</summary>
    /// <typeparam name="T1">The .NET type of parameter 1.</typeparam>
    /// <typeparam name="T2">The .NET type of parameter 2.</typeparam>
    /// <param name="name">The export name.</param>
    /// <returns>The delegate, or <see langword="null"/> if there is no function export of that name.</returns>
    /// <exception cref="ArgumentException">The function's signature does not match the type arguments.</exception>
    public Action<T1, T2>? GetAction<T1, T2>(string name) =>
        TypedExport(name, [typeof(T1), typeof(T2)], null) is Function f ? new Runtime.ActionInvoker<T1, T2>(f).Invoke : null;

    /// <summary>An exported function as a typed delegate that calls compiled code without boxing.</summary>
    /// <typeparam name="T1">The .NET type of parameter 1.</typeparam>
    /// <typeparam name="T2">The .NET type of parameter 2.</typeparam>
    /// <typeparam name="T3">The .NET type of parameter 3.</typeparam>
    /// <typeparam name="TResult">The .NET type of the single result.</typeparam>
    /// <param name="name">The export name.</param>
    /// <returns>The delegate, or <see langword="null"/> if there is no function export of that name.</returns>
    /// <exception cref="ArgumentException">The function's signature does not match the type arguments.</exception>
    public Func<T1, T2, T3, TResult>? GetFunction<T1, T2, T3, TResult>(string name) =>
        TypedExport(name, [typeof(T1), typeof(T2), typeof(T3)], typeof(TResult)) is Function f ? new Runtime.FunctionInvoker<T1, T2, T3, TResult>(f).Invoke : null;

    /// <summary>An exported function without results as a typed delegate that calls compiled code without boxing.</summary>
    /// <typeparam name="T1">The .NET type of parameter 1.</typeparam>
    /// <typeparam name="T2">The .NET type of parameter 2.</typeparam>
    /// <typeparam name="T3">The .NET type of parameter 3.</typeparam>
    /// <param name="name">The export name.</param>
    /// <returns>The delegate, or <see langword="null"/> if there is no function export of that name.</returns>
    /// <exception cref="ArgumentException">The function's signature does not match the type arguments.</exception>
    public Action<T1, T2, T3>? GetAction<T1, T2, T3>(string name) =>
        TypedExport(name, [typeof(T1), typeof(T2), typeof(T3)], null) is Function f ? new Runtime.ActionInvoker<T1, T2, T3>(f).Invoke : null;

    /// <summary>An exported function as a typed delegate that calls compiled code without boxing.</summary>
    /// <typeparam name="T1">The .NET type of parameter 1.</typeparam>
    /// <typeparam name="T2">The .NET type of parameter 2.</typeparam>
    /// <typeparam name="T3">The .NET type of parameter 3.</typeparam>
    /// <typeparam name="T4">The .NET type of parameter 4.</typeparam>
    /// <typeparam name="TResult">The .NET type of the single result.</typeparam>
    /// <param name="name">The export name.</param>
    /// <returns>The delegate, or <see langword="null"/> if there is no function export of that name.</returns>
    /// <exception cref="ArgumentException">The function's signature does not match the type arguments.</exception>
    public Func<T1, T2, T3, T4, TResult>? GetFunction<T1, T2, T3, T4, TResult>(string name) =>
        TypedExport(name, [typeof(T1), typeof(T2), typeof(T3), typeof(T4)], typeof(TResult)) is Function f ? new Runtime.FunctionInvoker<T1, T2, T3, T4, TResult>(f).Invoke : null;

    /// <summary>An exported function without results as a typed delegate that calls compiled code without boxing.</summary>
    /// <typeparam name="T1">The .NET type of parameter 1.</typeparam>
    /// <typeparam name="T2">The .NET type of parameter 2.</typeparam>
    /// <typeparam name="T3">The .NET type of parameter 3.</typeparam>
    /// <typeparam name="T4">The .NET type of parameter 4.</typeparam>
    /// <param name="name">The export name.</param>
    /// <returns>The delegate, or <see langword="null"/> if there is no function export of that name.</returns>
    /// <exception cref="ArgumentException">The function's signature does not match the type arguments.</exception>
    public Action<T1, T2, T3, T4>? GetAction<T1, T2, T3, T4>(string name) =>
        TypedExport(name, [typeof(T1), typeof(T2), typeof(T3), typeof(T4)], null) is Function f ? new Runtime.ActionInvoker<T1, T2, T3, T4>(f).Invoke : null;

    /// <summary>An exported function as a typed delegate that calls compiled code without boxing.</summary>
    /// <typeparam name="T1">The .NET type of parameter 1.</typeparam>
    /// <typeparam name="T2">The .NET type of parameter 2.</typeparam>
    /// <typeparam name="T3">The .NET type of parameter 3.</typeparam>
    /// <typeparam name="T4">The .NET type of parameter 4.</typeparam>
    /// <typeparam name="T5">The .NET type of parameter 5.</typeparam>
    /// <typeparam name="TResult">The .NET type of the single result.</typeparam>
    /// <param name="name">The export name.</param>
    /// <returns>The delegate, or <see langword="null"/> if there is no function export of that name.</returns>
    /// <exception cref="ArgumentException">The function's signature does not match the type arguments.</exception>
    public Func<T1, T2, T3, T4, T5, TResult>? GetFunction<T1, T2, T3, T4, T5, TResult>(string name) =>
        TypedExport(name, [typeof(T1), typeof(T2), typeof(T3), typeof(T4), typeof(T5)], typeof(TResult)) is Function f ? new Runtime.FunctionInvoker<T1, T2, T3, T4, T5, TResult>(f).Invoke : null;

    /// <summary>An exported function without results as a typed delegate that calls compiled code without boxing.</summary>
    /// <typeparam name="T1">The .NET type of parameter 1.</typeparam>
    /// <typeparam name="T2">The .NET type of parameter 2.</typeparam>
    /// <typeparam name="T3">The .NET type of parameter 3.</typeparam>
    /// <typeparam name="T4">The .NET type of parameter 4.</typeparam>
    /// <typeparam name="T5">The .NET type of parameter 5.</typeparam>
    /// <param name="name">The export name.</param>
    /// <returns>The delegate, or <see langword="null"/> if there is no function export of that name.</returns>
    /// <exception cref="ArgumentException">The function's signature does not match the type arguments.</exception>
    public Action<T1, T2, T3, T4, T5>? GetAction<T1, T2, T3, T4, T5>(string name) =>
        TypedExport(name, [typeof(T1), typeof(T2), typeof(T3), typeof(T4), typeof(T5)], null) is Function f ? new Runtime.ActionInvoker<T1, T2, T3, T4, T5>(f).Invoke : null;

    /// <summary>An exported function as a typed delegate that calls compiled code without boxing.</summary>
    /// <typeparam name="T1">The .NET type of parameter 1.</typeparam>
    /// <typeparam name="T2">The .NET type of parameter 2.</typeparam>
    /// <typeparam name="T3">The .NET type of parameter 3.</typeparam>
    /// <typeparam name="T4">The .NET type of parameter 4.</typeparam>
    /// <typeparam name="T5">The .NET type of parameter 5.</typeparam>
    /// <typeparam name="T6">The .NET type of parameter 6.</typeparam>
    /// <typeparam name="TResult">The .NET type of the single result.</typeparam>
    /// <param name="name">The export name.</param>
    /// <returns>The delegate, or <see langword="null"/> if there is no function export of that name.</returns>
    /// <exception cref="ArgumentException">The function's signature does not match the type arguments.</exception>
    public Func<T1, T2, T3, T4, T5, T6, TResult>? GetFunction<T1, T2, T3, T4, T5, T6, TResult>(string name) =>
        TypedExport(name, [typeof(T1), typeof(T2), typeof(T3), typeof(T4), typeof(T5), typeof(T6)], typeof(TResult)) is Function f ? new Runtime.FunctionInvoker<T1, T2, T3, T4, T5, T6, TResult>(f).Invoke : null;

    /// <summary>An exported function without results as a typed delegate that calls compiled code without boxing.</summary>
    /// <typeparam name="T1">The .NET type of parameter 1.</typeparam>
    /// <typeparam name="T2">The .NET type of parameter 2.</typeparam>
    /// <typeparam name="T3">The .NET type of parameter 3.</typeparam>
    /// <typeparam name="T4">The .NET type of parameter 4.</typeparam>
    /// <typeparam name="T5">The .NET type of parameter 5.</typeparam>
    /// <typeparam name="T6">The .NET type of parameter 6.</typeparam>
    /// <param name="name">The export name.</param>
    /// <returns>The delegate, or <see langword="null"/> if there is no function export of that name.</returns>
    /// <exception cref="ArgumentException">The function's signature does not match the type arguments.</exception>
    public Action<T1, T2, T3, T4, T5, T6>? GetAction<T1, T2, T3, T4, T5, T6>(string name) =>
        TypedExport(name, [typeof(T1), typeof(T2), typeof(T3), typeof(T4), typeof(T5), typeof(T6)], null) is Function f ? new Runtime.ActionInvoker<T1, T2, T3, T4, T5, T6>(f).Invoke : null;

    private Function? TypedExport(string name, Type[] parameters, Type? result)
    {
        if (GetFunction(name) is not Function function) return null;
        var type = function.Type;
        bool matches = type.Parameters.Length == parameters.Length &&
            type.Results.Length == (result is null ? 0 : 1) &&
            !type.Parameters.Concat(type.Results).Contains(ValueKind.V128);
        for (int i = 0; matches && i < parameters.Length; i++)
            matches = Runtime.ValueConversion.ClrType(type.Parameters[i]) == parameters[i];
        if (matches && result is not null) matches = Runtime.ValueConversion.ClrType(type.Results[0]) == result;
        if (!matches)
        {
            string wanted = "(" + string.Join(", ", parameters.Select(p => p.Name)) + ") -> " + (result?.Name ?? "void");
            throw new ArgumentException($"Export '{name}' has type {type}, which does not match {wanted}.", nameof(name));
        }
        return function;
    }
}
