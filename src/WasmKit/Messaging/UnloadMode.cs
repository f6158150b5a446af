namespace WasmKit.Messaging;

/// <summary>What unloading a component does with the messages still in its mailbox.</summary>
public enum UnloadMode
{
    /// <summary>Delivers them first; new sends are refused meanwhile.</summary>
    Drain,

    /// <summary>Drops them, counted as rejected; their pending requests fail with <see cref="MessageStatus.TargetUnloaded"/>.</summary>
    Reject,
}
