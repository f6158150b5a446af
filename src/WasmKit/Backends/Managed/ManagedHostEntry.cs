namespace WasmKit.Backends.Managed;

/// <summary>
/// The managed engine's specialization of a <see cref="HostFunctionDefinition"/>: a static method in the
/// compiled calling convention (the guest's arguments, then an <c>InstanceContext</c>), which a guest's call
/// reaches directly. Register it with <see cref="HostFunctionDefinition.WithSpecialization"/> under
/// <see cref="ManagedBackend.BackendName"/>.
/// </summary>
/// <param name="FunctionPointer">The address of the static method (an unmanaged function pointer to a managed method).</param>
public sealed record ManagedHostEntry(nint FunctionPointer);
