namespace WasmKit.Pooling;

/// <summary>What a rent does when a new instance is needed but the pool's guest memory is at <see cref="InstancePoolOptions.MaxTotalMemoryBytes"/>.</summary>
public enum MemoryCapPolicy
{
    /// <summary>Wait (within the rent's timeout and token) until a rented instance comes back or one is discarded.</summary>
    Wait,

    /// <summary>Fail the rent at once with <see cref="InstancePoolExhaustedException"/>.</summary>
    Reject,
}
