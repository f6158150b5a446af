using WasmKit.Tests.Support;

namespace WasmKit.Tests.Fuzzing;

/// <summary>Minimal reproductions of bugs the differential fuzzer found (tools/WasmKit.Fuzz), now worked around.</summary>
public class FuzzFoundBugTests
{
    /// <summary>
    /// Fuzz seeds 1523, 4368, 4551: <c>f32.reinterpret_i32</c> of a narrow load returned the full
    /// 32-bit word at the address. The .NET 10 JIT (SDK 10.0.401) turns
    /// <c>BitConverter.Int32BitsToSingle(small-typed load)</c> into a 4-byte load, even through a
    /// local or an <c>i32.add 0</c> (dotnet/runtime#133580, fixed by #133597 in lowering's
    /// TryRemoveBitCast). Memory holds 66 51 56 75 at address 17.
    /// </summary>
    [TestCase("(i32.load8_u (i32.const 17))", 0x66)]
    [TestCase("(i32.load8_s (i32.const 17))", 0x66)]
    [TestCase("(i32.load16_u (i32.const 17))", 0x5166)]
    [TestCase("(i32.load16_s (i32.const 17))", 0x5166)]
    [TestCase("(i32.add (i32.load16_u (i32.const 17)) (i32.const 0))", 0x5166)]
    public void ReinterpretOfNarrowLoadSeesOnlyTheLoadedBytes(string load, int expectedBits)
    {
        var instance = Wat.Instantiate($$"""
            (module
              (memory 1)
              (data (i32.const 16) "\00\66\51\56\75")
              (func (export "f") (result f32) (f32.reinterpret_i32 {{load}})))
            """);
        float result = instance.GetFunction<float>("f")!();
        Assert.That(BitConverter.SingleToInt32Bits(result), Is.EqualTo(expectedBits), $"bits 0x{BitConverter.SingleToInt32Bits(result):x8}");
    }

    /// <summary>
    /// Fuzz seeds 5593, 8629: a rotate by a constant whose result is compared with zero
    /// (<c>eqz</c>, <c>if</c>, <c>br_if</c>, <c>ne 0</c>) took the wrong answer. The .NET 10 JIT
    /// (SDK 10.0.401) drops the <c>test</c> after <c>ror</c>/<c>rol</c> believing they set ZF,
    /// which they do not on x64, so the branch reads flags of an earlier compare
    /// (dotnet/runtime#129288, fixed by #129348 in GenTree::SupportsSettingZeroFlag).
    /// </summary>
    [TestCase("(i32.eqz (i32.rotr (local.get 0) (i32.const 1)))", 0, 1)]
    [TestCase("(i32.eqz (i32.rotr (i32.eqz (local.get 0)) (i32.const 1)))", 0, 0)]
    [TestCase("(i32.ne (i32.rotr (i32.eqz (local.get 0)) (i32.const 1)) (i32.const 0))", 0, 1)]
    [TestCase("(if (result i32) (i32.rotl (i32.eqz (local.get 0)) (i32.const 31)) (then (i32.const 1)) (else (i32.const 0)))", 0, 1)]
    [TestCase("(i64.eqz (i64.rotr (i64.extend_i32_u (i32.eqz (local.get 0))) (i64.const 1)))", 0, 0)]
    public void RotateByConstantComparedWithZero(string body, int argument, int expected)
    {
        var instance = Wat.Instantiate($$"""
            (module (func (export "f") (param i32) (result i32) {{body}}))
            """);
        Assert.That(instance.GetFunction<int, int>("f")!(argument), Is.EqualTo(expected));
    }
}
