namespace WasmKit.Compilation;

/// <summary>
/// The generated methods of one module still to be compiled to machine code, in the order of
/// <see cref="MachineCodeOrder"/>, handed out once each to whichever thread asks next. Thread-safe. The module's <see cref="CompiledModule"/> holds it;
/// background workers hold it only weakly, so that it (and the code it names) can be collected mid-way.
/// </summary>
internal sealed class PendingMachineCode
{
    private readonly RuntimeMethodHandle[] _methods;
    private readonly int[] _functionIndices;
    private int _next = -1;

    /// <param name="methods">The methods, in the order to compile them.</param>
    /// <param name="functionIndices">For each method, the index of the WebAssembly function it belongs to (for errors).</param>
    public PendingMachineCode(RuntimeMethodHandle[] methods, int[] functionIndices)
    {
        _methods = methods;
        _functionIndices = functionIndices;
    }

    /// <summary>How many methods the module has to compile in all.</summary>
    public int Count => _methods.Length;

    /// <summary>Whether every method has been handed out (not necessarily compiled yet).</summary>
    public bool IsExhausted => Volatile.Read(ref _next) >= _methods.Length - 1;

    /// <summary>Takes the next method to compile, if any is left.</summary>
    public bool TryTake(out RuntimeMethodHandle method, out int functionIndex)
    {
        int index = Interlocked.Increment(ref _next);
        if (index >= _methods.Length)
        {
            method = default;
            functionIndex = -1;
            return false;
        }
        method = _methods[index];
        functionIndex = _functionIndices[index];
        return true;
    }
}
