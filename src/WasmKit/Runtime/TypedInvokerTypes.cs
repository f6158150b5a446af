namespace WasmKit.Runtime;

/// <summary>Finds the generated invoker class for a shape: parameter count and result count.</summary>
internal static class TypedInvokerTypes
{
    public static Type Action(int parameters) => Find("ActionInvoker", parameters, 0);

    public static Type Function(int parameters) => Find("FunctionInvoker", parameters, 1);

    public static Type MultiResult(int parameters, int results) => Find($"FunctionInvoker{results}R", parameters, results);

    private static Type Find(string name, int parameters, int genericResults)
    {
        int arity = parameters + genericResults;
        string metadataName = arity == 0 ? name : $"{name}`{arity}";
        return typeof(TypedInvokerTypes).Assembly.GetType($"{typeof(TypedInvokerTypes).Namespace}.{metadataName}")
            ?? throw new NotSupportedException($"No typed invoker for {parameters} parameters and {genericResults} results.");
    }
}
