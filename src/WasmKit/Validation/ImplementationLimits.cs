namespace WasmKit;

/// <summary>
/// Limits on valid modules that keep loading, compiling and running a module in time and memory
/// proportional to its size (the .NET JIT is not linear in every dimension of a method). A module over
/// any of them is refused when it is created, with a <see cref="WasmImplementationLimitException"/>
/// naming the limit. They lie far above what compilers emit and what the WebAssembly spec tests need.
/// </summary>
public static class ImplementationLimits
{
    /// <summary>The most functions of a module, imported and defined together.</summary>
    public const int MaxFunctions = 1_000_000;

    /// <summary>The most bytes of one function body in the code section (its local declarations and its code).</summary>
    public const int MaxFunctionBodySize = 4 * 1024 * 1024;

    /// <summary>The most locals of one function, its parameters included.</summary>
    public const int MaxLocals = 50_000;

    /// <summary>
    /// The most values on a function's operand stack at any point. Compiled code keeps them on the
    /// .NET evaluation stack, whose depth the JIT handles well only when it is moderate.
    /// </summary>
    public const int MaxOperandStackHeight = 4_096;

    /// <summary>The most values a block, loop or if takes or returns, and the most results of a function.</summary>
    public const int MaxValuesPerLabel = 256;

    /// <summary>
    /// The most operand-stack values, summed over all control-flow boundaries of one function (each
    /// <c>block</c>, <c>loop</c>, <c>if</c>, <c>else</c>, <c>end</c>, <c>br_if</c> and <c>br_table</c>), that are
    /// on the stack at the boundary. The JIT copies every such value into a temporary of its own at
    /// each boundary, so this bounds the temporaries and the JIT's time for one method.
    /// </summary>
    public const int MaxValuesAcrossLabels = 32_768;
}
