namespace WasmKit;

/// <summary>
/// A host function called from WebAssembly with untyped values: <see cref="int"/>, <see cref="long"/>,
/// <see cref="float"/>, <see cref="double"/>, <see cref="Function"/> (funcref) or any object (externref).
/// For signatures known at compile time, the typed <c>Linker.DefineFunction</c> overloads avoid boxing.
/// </summary>
/// <param name="caller">The calling instance.</param>
/// <param name="arguments">The arguments, one per parameter of the function type.</param>
/// <param name="results">Where to write the results, one per result of the function type.</param>
public delegate void HostFunctionCallback(Caller caller, ReadOnlySpan<object?> arguments, Span<object?> results);
