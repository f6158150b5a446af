using WasmKit.Components;

namespace WasmKit.Udf;

/// <summary>What <see cref="UdfRegistry.Apply(ComponentChanges)"/> changed in the registry.</summary>
/// <param name="Registered">UDF versions registered from added and updated components.</param>
/// <param name="Unregistered">UDF versions removed with removed or replaced components.</param>
/// <param name="RegistrationErrors">Components whose UDFs could not be registered; their previous versions, if any, stay registered.</param>
/// <param name="LoadErrors">Files the loader could not load (from <see cref="ComponentChanges.Errors"/>).</param>
public sealed record UdfRefreshResult(
    IReadOnlyList<UdfMetadata> Registered,
    IReadOnlyList<UdfMetadata> Unregistered,
    IReadOnlyList<UdfValidationException> RegistrationErrors,
    IReadOnlyList<ComponentLoadException> LoadErrors);
