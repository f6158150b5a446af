namespace WasmKit.Plugins;

/// <summary>The status codes the tap SDK's host functions return to the guest (as in <c>wasmkit_tap.h</c>).</summary>
internal static class TapStatus
{
    public const int Ok = 0;
    public const int NotFound = -1;
    public const int BufferTooSmall = -3;
    public const int BadPointer = -5;
    public const int Denied = -7;
    public const int BadJson = -8;
    public const int TooLarge = -10;
}
