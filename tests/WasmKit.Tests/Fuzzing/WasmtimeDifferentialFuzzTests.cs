namespace WasmKit.Tests.Fuzzing;

/// <summary>
/// The differential fuzzer with Wasmtime as the oracle (scripts/fuzz.sh with FUZZ_ORACLE=wasmtime): binaryen's
/// translate-to-fuzz modules with the seed's random arguments, run by Wasmtime and by WasmKit, compared by the
/// spec's rules (NaN bits only where the spec leaves them open, traps by kind). 300 fixed seeds; a failure keeps
/// its files in artifacts/fuzz-test-wasmtime/.
/// </summary>
public class WasmtimeDifferentialFuzzTests
{
    [Test]
    public void WasmKitAgreesWithWasmtimeOnFuzzedModules() => DifferentialFuzzTests.RunCampaign("fuzz-test-wasmtime", oracle: "wasmtime");
}
