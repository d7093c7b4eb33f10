/**
 * The byte-identity check: every recorded slot plan against the re-made one. Both are compared
 * as encoded `Plan` messages under the recorded header (sender, publish time and per-topic
 * sequence are transport metadata the bus adds after planning), so equal bytes mean an equal
 * plan body, field for field and bit for bit. Pool rounds (dag mode) are checked the same way
 * (`checkRounds`), plan by plan. A signed run's plans (`--secure`) are compared with their
 * signature left out — the bytes the controller signed (security/plan-signing.ts): the replay has
 * no signing key, and the agents verified each signature when it flew.
 */
import { decodeRaw, encode, type Plan } from '../../proto/index.ts';
import { planSigningBytes } from '../security/plan-signing.ts';
import type { SlotInputs } from './inputs.ts';
import type { ReplannedSlot } from './replan.ts';
import type { RecordedPlan } from './recording.ts';
import type { PlanBody } from '../controller/slot/index.ts';

export interface Divergence {
  /** Which plans diverged: a slot plan or a pool round's (dag mode). */
  kind: 'slot' | 'pool';
  slot: number;
  uavId: number;
  /** First differing byte of the encoded plans (−1 when a plan is missing on one side). */
  byteOffset: number;
  /** First differing field, as a path (e.g. `assignments[2].bandwidth_hz`). */
  field: string;
  recorded: unknown;
  replayed: unknown;
}

export interface CheckResult {
  compared: number;
  identical: number;
  first?: Divergence;
  divergent: { slot: number; uavId: number }[];
}

export function checkPlans(inputs: readonly SlotInputs[], replayed: readonly ReplannedSlot[]): CheckResult {
  return checkRounds(inputs.map((inp, i) => ({ slot: inp.slot, recorded: inp.recorded, replayed: replayed[i]!.out.plans })), 'slot');
}

/** The same check for any rounds of plans (slot plans, pool rounds): recorded vs re-made, per UAV. */
export function checkRounds(rounds: readonly { slot: number; recorded: ReadonlyMap<number, RecordedPlan>; replayed: ReadonlyMap<number, PlanBody> }[], kind: Divergence['kind']): CheckResult {
  const res: CheckResult = { compared: 0, identical: 0, divergent: [] };
  const note = (d: Divergence) => {
    res.divergent.push({ slot: d.slot, uavId: d.uavId });
    res.first ??= d;
  };
  for (const { slot, recorded, replayed: rep } of rounds) {
    const ids = [...new Set([...recorded.keys(), ...rep.keys()])].sort((a, b) => a - b);
    for (const uavId of ids) {
      res.compared++;
      const rec = recorded.get(uavId);
      const body = rep.get(uavId);
      if (!rec || !body) {
        note({ kind, slot, uavId, byteOffset: -1, field: '(plan)', recorded: rec ? 'present' : 'absent', replayed: body ? 'present' : 'absent' });
        continue;
      }
      const bytes = encode('Plan', { ...body, header: rec.msg.header! } as never);
      const off = firstDiff(bytes, rec.msg.signature.length > 0 ? planSigningBytes(rec.msg) : rec.payload);
      if (off < 0) {
        res.identical++;
        continue;
      }
      const again = decodeRaw('Plan', bytes);
      const diff = again.ok ? firstFieldDiff(rec.msg, again.value) : { field: '(undecodable)', a: undefined, b: undefined };
      note({ kind, slot, uavId, byteOffset: off, field: diff.field, recorded: diff.a, replayed: diff.b });
    }
  }
  return res;
}

function firstDiff(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

/** First differing leaf of two decoded messages, depth first in field order. */
export function firstFieldDiff(a: unknown, b: unknown, path = ''): { field: string; a: unknown; b: unknown } {
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    const same = a instanceof Uint8Array && b instanceof Uint8Array && firstDiff(a, b) < 0;
    return same ? { field: '', a, b } : { field: path, a, b };
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const k of keys) {
      const p = Array.isArray(a) ? `${path}[${k}]` : path ? `${path}.${k}` : k;
      const d = firstFieldDiff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], p);
      if (d.field) return d;
    }
    return { field: '', a, b };
  }
  return Object.is(a, b) ? { field: '', a, b } : { field: path || '(value)', a, b };
}

export type { Plan };
