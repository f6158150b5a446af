namespace WasmKit.Tests.Support;

/// <summary>
/// A small module for the tests that run one guest in every code mode (<see cref="CodeTiering"/>,
/// <see cref="MachineCodeCompilation"/>): a loop with calls (long enough for tier-up and on-stack
/// replacement), an endless loop, and one function per trap.
/// </summary>
internal static class TieringKernels
{
    public const string Wat = """
        (module
          (memory 1)
          (func $step (param i32) (result i32) (i32.add (i32.mul (local.get 0) (i32.const 31)) (i32.const 7)))
          (func (export "loop") (param $n i32) (result i32) (local $acc i32)
            (block $done
              (loop $again
                (br_if $done (i32.eqz (local.get $n)))
                (local.set $acc (call $step (i32.xor (local.get $acc) (local.get $n))))
                (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                (br $again)))
            (local.get $acc))
          (func (export "spin") (loop $forever (br $forever)))
          (func (export "divide") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
          (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
          (func (export "unreachable") (unreachable))
          (func $recurse (export "recurse") (call $recurse)))
        """;

    /// <summary>What the guest's <c>loop</c> export returns for <paramref name="n"/>.</summary>
    public static int ExpectedLoop(int n)
    {
        int acc = 0;
        for (; n != 0; n--) acc = unchecked(((acc ^ n) * 31) + 7);
        return acc;
    }
}
