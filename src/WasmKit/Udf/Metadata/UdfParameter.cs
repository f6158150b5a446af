namespace WasmKit.Udf;

/// <summary>One declared parameter of a UDF.</summary>
/// <param name="Name">The parameter name used by named-argument calls.</param>
/// <param name="Type">The parameter type; it fixes the WebAssembly parameters it takes (see <see cref="UdfRegistry"/>).</param>
/// <param name="Required">Whether a call must supply it.</param>
/// <param name="DefaultValue">The value an optional parameter takes when a call leaves it out (a .NET value of <see cref="UdfTypes.ToClrType"/>; lossless numeric conversions are accepted).</param>
public sealed record UdfParameter(string Name, UdfType Type, bool Required = true, object? DefaultValue = null);
