// V8 anchor for WasmKit's pure reducers: runs fixtures/reducers/bank_ledger.wasm under node's WebAssembly
// with the state kept in guest memory, on inputs samples/Reducer writes, and prints JSON on stdout.
//   node bench/node/reducer.mjs <input dir> [--runs N] [--min-ms M]
// <input dir> holds, per format F in {binary, json}: world.F (the state), data.F (the loaded data, maybe
// empty) and batches.F (binary: the command batches back to back, each "u32 count + records"; json: one
// batch per line). First a check pass applies every batch once from the world and reports the state's
// SHA-256 (the sample compares it with C#'s); then, per run, batches (cycled) are timed for >= M ms.
// A batch's time includes the boundary as JS sees it: copying the commands in and the effects out.
import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const args = process.argv.slice(2);
const dir = args[0];
const option = (name, fallback) => { const i = args.indexOf(name); return i > 0 ? Number(args[i + 1]) : fallback; };
const runs = option("--runs", 5);
const minMs = option("--min-ms", 20);
const wasm = readFileSync(join(dirname(fileURLToPath(import.meta.url)), "..", "..", "fixtures", "reducers", "bank_ledger.wasm"));
const FORMATS = { binary: 0, json: 1 };

function splitBatches(format, bytes) {
  const batches = [];
  if (format === "json") {
    for (const line of new TextDecoder().decode(bytes).split("\n")) if (line.length) batches.push(new TextEncoder().encode(line));
    return batches;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 0; at < bytes.length;) {
    const size = 4 + view.getUint32(at, true) * 24;
    batches.push(bytes.subarray(at, at + size));
    at += size;
  }
  return batches;
}

async function reducer(format) {
  const { instance } = await WebAssembly.instantiate(wasm, { env: { abort() { throw new Error("reducer aborted"); } } });
  const e = instance.exports;
  const code = FORMATS[format];
  const write = (bytes) => {
    const pointer = e.reducer_input(bytes.length);
    new Uint8Array(e.memory.buffer, pointer, bytes.length).set(bytes);
    return pointer;
  };
  const range = (packed) => {
    if (packed < 0n) throw new Error(`reducer status ${packed}`);
    return new Uint8Array(e.memory.buffer, Number(packed >> 32n), Number(packed & 0xffffffffn));
  };
  return {
    load(state) { const p = write(state); if (e.reducer_load(code, p, state.length) !== 0) throw new Error("load refused"); },
    // Data and commands share one input buffer, as the .NET host does.
    apply(data, commands) {
      const p = e.reducer_input(data.length + commands.length);
      const input = new Uint8Array(e.memory.buffer, p, data.length + commands.length);
      input.set(data);
      input.set(commands, data.length);
      return range(e.reducer_apply(code, p, data.length, p + data.length, commands.length)).slice();
    },
    save() { return range(e.reducer_save(code)).slice(); },
  };
}

const result = {};
for (const format of Object.keys(FORMATS)) {
  const world = readFileSync(join(dir, `world.${format}`));
  const data = readFileSync(join(dir, `data.${format}`));
  const batches = splitBatches(format, readFileSync(join(dir, `batches.${format}`)));
  const r = await reducer(format);
  r.load(world);
  for (const batch of batches) r.apply(data, batch);
  const stateSha256 = createHash("sha256").update(r.save()).digest("hex");

  r.load(world);
  let sink = 0;
  for (let i = 0; i < 2000; i++) sink += r.apply(data, batches[i % batches.length]).length; // TurboFan warm-up
  const nsPerBatch = [];
  for (let run = 0; run < runs; run++) {
    let count = 0;
    const start = process.hrtime.bigint();
    let elapsed = 0n;
    do {
      for (let i = 0; i < 50; i++) sink += r.apply(data, batches[(count + i) % batches.length]).length;
      count += 50;
      elapsed = process.hrtime.bigint() - start;
    } while (elapsed < BigInt(minMs) * 1_000_000n);
    nsPerBatch.push(Number(elapsed) / count);
  }
  result[format] = { stateSha256, nsPerBatch, sink };
}
console.log(JSON.stringify(result));
