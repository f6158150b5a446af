// V8 anchor for the WasmKit benchmarks: runs the same fixtures/wasm modules with node's
// WebAssembly API (Liftoff, then TurboFan after warm-up) and prints ns per call.
//   node bench/node/run.mjs [--runs N]
// Method: per benchmark, warm up (untimed calls) so TurboFan has tiered up, then N timed
// runs; each run times a batch of calls sized to take >= ~20 ms and reports ns per call.
// The table shows the median and the min..max range of the N runs.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import os from "node:os";

const wasmDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "fixtures", "wasm");
const runsArg = process.argv.indexOf("--runs");
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 15;

async function load(name) {
  const { instance } = await WebAssembly.instantiate(readFileSync(join(wasmDir, name)), {});
  return instance.exports;
}

const add = (await load("add.wasm")).add;
const compute = await load("compute.wasm");

// Same inputs and expected values as bench/WasmKit.Benchmarks (see fixtures/expected.json).
const benchmarks = [
  { name: "add(2, 40)", fn: add, args: [2, 40], expected: 42, chain: true },
  { name: "fib(25)", fn: compute.fib, args: [25], expected: 75025 },
  { name: "sieve(100000)", fn: compute.sieve, args: [100000], expected: 9592 },
  { name: "fnv1a(65536)", fn: compute.fnv1a, args: [65536], expected: 1966644677 },
  { name: "matmul(64)", fn: compute.matmul, args: [64], expected: 1123155968 },
];

const now = () => process.hrtime.bigint();
let sink = 0; // Consumed below so V8 cannot drop the calls.

// chain: each result is the next call's first argument (as in CallBenchmarks), so the
// figure is a call's latency rather than the throughput of overlapping calls.
function timeBatch(fn, args, count, chain) {
  const [a, b] = args;
  const start = now();
  if (chain) {
    let acc = a;
    for (let i = 0; i < count; i++) acc = fn(acc, b);
    sink ^= acc;
  } else {
    for (let i = 0; i < count; i++) sink ^= fn(a, b);
  }
  return Number(now() - start);
}

function median(sorted) {
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function format(ns) {
  if (ns < 1000) return `${ns.toFixed(2)} ns`;
  if (ns < 1e6) return `${(ns / 1e3).toFixed(2)} us`;
  return `${(ns / 1e6).toFixed(3)} ms`;
}

const rows = [];
for (const { name, fn, args, expected, chain = false } of benchmarks) {
  const result = fn(...args);
  if (result !== expected) throw new Error(`${name} returned ${result}, expected ${expected}`);

  // Size the batch so one run takes >= 20 ms, warming up while we search.
  let count = 1;
  while (timeBatch(fn, args, count, chain) < 20e6) count *= 2;
  const warmupEnd = Date.now() + 1000;
  while (Date.now() < warmupEnd) timeBatch(fn, args, count, chain);

  const perCall = [];
  for (let r = 0; r < runs; r++) perCall.push(timeBatch(fn, args, count, chain) / count);
  perCall.sort((x, y) => x - y);
  rows.push([name, format(median(perCall)), `${format(perCall[0])} .. ${format(perCall[perCall.length - 1])}`, String(count)]);
}

console.log(`node ${process.version} (V8 ${process.versions.v8}), ${os.cpus()[0]?.model ?? "unknown CPU"}, ${runs} runs`);
const header = ["Benchmark", "Median/call", "Min .. max", "Calls/run"];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
const line = (cells) => "| " + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(" | ") + " |";
console.log(line(header));
console.log("|" + widths.map((w, i) => (i === 0 ? "-".repeat(w + 2) : "-".repeat(w + 1) + ":")).join("|") + "|");
for (const row of rows) console.log(line(row));
if (sink === 0.5) console.log(sink); // Never true; keeps `sink` observable.
