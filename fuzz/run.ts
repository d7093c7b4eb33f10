/**
 * `npm run fuzz` — every contract message type through decode/validate and the MAVLink decoder
 * with ≥ 100 000 seeded random and mutated inputs each. Prints counts per type; exits 1 on any
 * crash (and prints the inputs to reproduce them).
 *
 *   node --import tsx fuzz/run.ts [--n 100000] [--seed 1] [--only proto|mavlink]
 */
import { parseArgs } from 'node:util';
import { createRng } from '../core/rng.ts';
import { fuzzMavlinkType, MAVLINK_FUZZ_MSGIDS } from './mavlink-fuzz.ts';
import { fuzzProtoType, protoMessageNames, type FuzzReport } from './proto-fuzz.ts';

const { values: v } = parseArgs({ options: { n: { type: 'string' }, seed: { type: 'string' }, only: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
if (v.help) {
  console.log('Usage: node --import tsx fuzz/run.ts [--n N (default 100000)] [--seed S (default 1)] [--only proto|mavlink]\nExample: npm run fuzz -- --n 200000 --seed 7');
  process.exit(0);
}
const n = Number(v.n ?? 100_000);
const seed = Number(v.seed ?? 1);
if (!Number.isInteger(n) || n < 1 || !Number.isInteger(seed)) {
  console.error('--n must be a positive integer and --seed an integer');
  process.exit(2);
}
const reports: FuzzReport[] = [];
const t0 = performance.now();
const line = (r: FuzzReport, ms: number) => {
  const refused = Object.entries(r.refused).sort((a, b) => b[1] - a[1]).slice(0, 5).map(([k, c]) => `${k} ${c}`).join(', ');
  console.log(`${r.type.padEnd(40)} inputs ${String(r.inputs).padStart(7)}  accepted ${String(r.accepted).padStart(7)}  crashes ${r.crashes.length}  ${(ms / 1000).toFixed(1)} s  [${refused}]`);
};
if (v.only !== 'mavlink') {
  for (const [i, name] of protoMessageNames().entries()) {
    const t = performance.now();
    const r = fuzzProtoType(name, n, createRng(seed * 1000 + i));
    reports.push(r);
    line(r, performance.now() - t);
  }
}
if (v.only !== 'proto') {
  for (const id of MAVLINK_FUZZ_MSGIDS) {
    const t = performance.now();
    const r = fuzzMavlinkType(id, n, createRng(seed * 1000 + 500 + id));
    reports.push(r);
    line(r, performance.now() - t);
  }
}
const crashes = reports.flatMap((r) => r.crashes);
const inputs = reports.reduce((a, r) => a + r.inputs, 0);
console.log(`\n${reports.length} message types, ${inputs} inputs, ${crashes.length} crashes, ${((performance.now() - t0) / 1000).toFixed(1)} s (seed ${seed})`);
for (const c of crashes.slice(0, 20)) console.log(`CRASH ${c.type} ${c.kind}: ${c.detail.split('\n')[0]}\n  input ${c.inputHex}`);
process.exit(crashes.length === 0 ? 0 : 1);
