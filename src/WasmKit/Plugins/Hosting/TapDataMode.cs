namespace WasmKit.Plugins;

/// <summary>How the item reaches a plugin's tap. Both modes give a plugin the same fields and the same results.</summary>
public enum TapDataMode
{
    /// <summary>
    /// The host writes the fields the tap may read as one UTF-8 JSON object straight into guest memory and
    /// the guest returns JSON: one crossing each way. Best when a tap reads most of what it declares.
    /// </summary>
    Serialized,

    /// <summary>
    /// The item stays on the host: the guest reads each field through <c>wasmkit_tap.item_get</c> and writes
    /// through <c>wasmkit_tap.item_set</c>. Best when a tap reads a few small fields of a large item.
    /// </summary>
    Handles,
}
