namespace WasmKit.Plugins;

/// <summary>Why a plugin's tap failed; the other plugins' taps run on regardless (unless the host asks otherwise).</summary>
public enum TapFailureKind
{
    /// <summary>The guest trapped (unreachable, out of bounds, ...).</summary>
    Trap,

    /// <summary>The guest used up its fuel.</summary>
    OutOfFuel,

    /// <summary>The guest ran longer than its timeout.</summary>
    Timeout,

    /// <summary>The result is not well-formed JSON.</summary>
    MalformedResult,

    /// <summary>The result is larger than <see cref="PluginHostOptions.MaximumResultBytes"/>, or lies outside guest memory.</summary>
    OversizedResult,

    /// <summary>The result is JSON of the wrong shape (not an object, an unknown member, a member of the wrong type).</summary>
    WrongShape,

    /// <summary>The plugin set a field its manifest does not let it write.</summary>
    Denied,

    /// <summary>An instance could not be made or rented (link error, memory limit, pool timeout).</summary>
    Instantiation,

    /// <summary>A host function the plugin called failed.</summary>
    HostFunction,
}
