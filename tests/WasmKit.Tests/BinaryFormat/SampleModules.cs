namespace WasmKit.Tests.BinaryFormat;

/// <summary>
/// Real modules, built once with wat2wasm (wabt 1.0.32) and clang-14 and embedded here so the tests
/// need no tools. Their sources are in the comments.
/// </summary>
internal static class SampleModules
{
    // wat2wasm --debug-names full.wat:
    // (module $sample
    //   (type $binop (func (param i32 i32) (result i32)))
    //   (type $void (func))
    //   (import "env" "log" (func $log (param i32)))
    //   (import "env" "table" (table 1 funcref))
    //   (import "env" "memory" (memory 1 2))
    //   (import "env" "base" (global $base i32))
    //   (table $t2 2 10 externref)
    //   (global $counter (mut i64) (i64.const -5))
    //   (global $fref funcref (ref.func $add))
    //   (export "add" (func $add))
    //   (export "counter" (global $counter))
    //   (export "mem" (memory 0))
    //   (export "t2" (table $t2))
    //   (start $init)
    //   (elem (table 0) (global.get $base) func $add $init)
    //   (elem $passive funcref (ref.func $add) (ref.null func))
    //   (elem declare func $fib)
    //   (data (memory 0) (i32.const 16) "hello")
    //   (data $pass "\01\02\03")
    //   (func $add (type $binop) (local i64 i64) (local f32)
    //     local.get 0
    //     local.get 1
    //     i32.add)
    //   (func $init (type $void)
    //     (call $log (i32.const 1))
    //     (memory.init $pass (i32.const 0) (i32.const 0) (i32.const 3))
    //     (data.drop $pass))
    //   (func $fib (param $n i32) (result i32)
    //     (block $out (result i32)
    //       (loop $again
    //         (if (i32.lt_u (local.get $n) (i32.const 2))
    //           (then (br $out (local.get $n)))
    //           (else nop))
    //         (br_table $again $again (i32.const 0))
    //       )
    //       (i32.const 0)
    //     )
    //     (select (i32.const 1) (i32.const 2) (local.get $n))
    //     i32.add
    //     (drop (ref.func $fib))
    //     (drop (table.size 0))
    //     (drop (memory.size))
    //     (drop (f64.const 1.5))
    //     (drop (i64.trunc_sat_f32_s (f32.const 2)))
    //   )
    // )
    public static byte[] Full => Convert.FromHexString(FullHex);

    // clang-14 --target=wasm32 -nostdlib -O2 -Wl,--no-entry -Wl,--export-all calc.c:
    // static int table[16];
    // typedef int (*op_t)(int, int);
    // static int add(int a, int b) { return a + b; }
    // static int mul(int a, int b) { return a * b; }
    // static op_t ops[] = { add, mul };
    // int apply(int which, int a, int b) { return ops[which & 1](a, b); }
    // int fill(int n) { int s = 0; for (int i = 0; i < n && i < 16; i++) { table[i] = i * i; s += table[i]; } return s; }
    // double scale(double x, float y) { return x * y + 0.5; }
    // long long fact(long long n) { return n <= 1 ? 1 : n * fact(n - 1); }
    // const char *greet(void) { return "hello, wasm"; }
    public static byte[] Calc => Convert.FromHexString(CalcHex);

    // wat2wasm simd.wat:
    // (module
    //   (memory 1)
    //   (func (export "splat_add") (param i32) (result v128)
    //     (i32x4.add (i32x4.splat (local.get 0)) (v128.load offset=16 align=4 (i32.const 0))))
    //   (func (export "shuffle") (param v128 v128) (result i32)
    //     (i8x16.extract_lane_u 3
    //       (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get 0) (local.get 1))))
    //   (func (export "lanes") (result v128)
    //     (v128.load32_lane 1 (i32.const 0) (v128.const i64x2 1 -1)))
    // )
    public static byte[] Simd => Convert.FromHexString(SimdHex);

    /// <summary>Every sample, by name.</summary>
    public static IEnumerable<(string Name, byte[] Bytes)> All => [("full", Full), ("calc", Calc), ("simd", Simd)];

    private const string FullHex =
        "0061736d0100000001130460027f7f017f60000060017f0060017f017f02340403656e76036c6f67000203656e7605746162" +
        "6c650170000103656e76066d656d6f72790201010203656e760462617365037f000304030001030405016f01020a060b027e" +
        "01427b0b7000d2010b071c0403616464000107636f756e7465720301036d656d020002743201010801020915030023000b02" +
        "0102057002d2010bd0700b030001030c01020a64030b02027e017d200020016a0b130041011000410041004103fc080100fc" +
        "09010b4200027f03402000410249044020000c0205010b41000e0100000b41000b4101410220001b6ad2031afc10001a3f00" +
        "1a44000000000000f83f1a4300000040fc041a0b0b10020041100b0568656c6c6f01030102030078046e616d650007067361" +
        "6d706c6501160400036c6f6701036164640204696e69740303666962020c04000001000200030100016e040e02000562696e" +
        "6f700104766f6964050501010274320716030004626173650107636f756e746572020466726566080a010107706173736976" +
        "65090701010470617373";

    private const string CalcHex =
        "0061736d0100000001250760027f7f017f60000060037f7f7f017f60017f017f60027c7d017c60017e017e6000017f030908" +
        "01020304050600000405017001030305030100020624067f004180080b7f004194080b7f004180080b7f0041a088040b7f00" +
        "41000b7f0041010b07b9010e066d656d6f72790200115f5f7761736d5f63616c6c5f63746f72730000056170706c79000104" +
        "66696c6c0002057363616c650003046661637400040567726565740005195f5f696e6469726563745f66756e6374696f6e5f" +
        "7461626c6501000c5f5f64736f5f68616e646c6503000a5f5f646174615f656e6403010d5f5f676c6f62616c5f6261736503" +
        "020b5f5f686561705f6261736503030d5f5f6d656d6f72795f6261736503040c5f5f7461626c655f62617365030509080100" +
        "41010b0206070ac201080300010b18002001200220004101714102744180086a2802001100000b4901017e200041004c0440" +
        "41000f0b200041016b2200410f2000410f491b22002000ad200041016bad7e2201200041026bad7e420188a741d6aad5aa05" +
        "6c6a2001420188a741036c6a0b120020002001bba244000000000000e03fa00b3002017e017f420121012000420259044003" +
        "40200020017e210120004202562102200042017d210020020d000b0b20010b05004188080b0700200020016a0b0700200020" +
        "016c0b0b1a01004180080b13010000000200000068656c6c6f2c207761736d002d0970726f647563657273010c70726f6365" +
        "737365642d6279010c44656269616e20636c616e670631342e302e36";

    private const string SimdHex =
        "0061736d0100000001100360017f017b60027b7b017f6000017b0304030001020503010001071f030973706c61745f616464" +
        "00000773687566666c650001056c616e657300020a49030f002000fd114100fd000210fdae010b1b0020002001fd0d000102" +
        "03040506071011121314151617fd16030b1b004100fd0c0100000000000000fffffffffffffffffd560200010b";
}
