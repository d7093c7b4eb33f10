/**
 * Parameter-set client (MAVLINK.md §5): PARAM_SET, answered by the autopilot with PARAM_VALUE for
 * that id — its value after the set, the old one when it refused. No answer within
 * `attemptTimeoutMs` → resend, up to `attempts` sends, then `fail('timeout')`; an answer whose
 * value differs from the one asked for → `fail('denied')` (the value kept is in the detail).
 * Integer parameters travel per flavour: PX4 puts the int32 bits in the float (bytewise), ArduPilot
 * casts (C_CAST); REAL32 travels as is. One set per parameter id in flight at a time.
 */
import { common } from 'node-mavlink';
import type { MavLinkData } from 'node-mavlink';
import type { Clock, Timer } from '../../core/clock.ts';
import { fail, ok } from '../../core/result.ts';
import type { Flavour, ParamResult, ParamType } from '../vehicle.ts';

/** MAV_PARAM_TYPE values of the types handled here. */
const MAV_PARAM_TYPE: Record<ParamType, number> = { INT8: 2, INT16: 4, INT32: 6, REAL32: 9 };

const scratch = Buffer.alloc(4);

/** The float carried on the wire for `value` of `type`. */
export function encodeParamWire(flavour: Flavour, type: ParamType, value: number): number {
  if (type === 'REAL32' || flavour !== 'px4') return Math.fround(value);
  scratch.writeInt32LE(Math.round(value) | 0, 0);
  return scratch.readFloatLE(0);
}

/** The value a PARAM_VALUE's float stands for, given its MAV_PARAM_TYPE. */
export function decodeParamWire(flavour: Flavour, mavType: number, wire: number): number {
  if (mavType === MAV_PARAM_TYPE.REAL32 || flavour !== 'px4') return wire;
  scratch.writeFloatLE(wire, 0);
  return scratch.readInt32LE(0);
}

/** MAVLink param ids are 16 chars, NUL-padded unless exactly 16 long. */
const cleanId = (id: unknown): string => String(id).replace(/\0.*$/s, '');

interface Pending {
  id: string;
  want: number;
  type: ParamType;
  attempts: number;
  timer?: Timer;
  resolve: (r: ParamResult) => void;
}

export interface ParamSetterOptions {
  attemptTimeoutMs?: number;
  attempts?: number;
}

export class ParamSetter {
  private readonly pending = new Map<string, Pending>();
  private readonly attemptTimeoutMs: number;
  private readonly attempts: number;

  constructor(
    private readonly clock: Clock,
    private readonly send: (m: MavLinkData) => boolean,
    private readonly target: () => { sysid: number; compid: number; flavour: Flavour } | undefined,
    o: ParamSetterOptions = {},
  ) {
    this.attemptTimeoutMs = o.attemptTimeoutMs ?? 1000;
    this.attempts = o.attempts ?? 4;
  }

  set(id: string, value: number, type: ParamType): Promise<ParamResult> {
    if (id.length === 0 || id.length > 16) return Promise.resolve(fail('failed', `parameter id must be 1–16 characters: "${id}"`));
    if (!Number.isFinite(value)) return Promise.resolve(fail('failed', `${id}: value ${value} is not finite`));
    if (!this.target()) return Promise.resolve(fail('no_link', 'no autopilot'));
    if (this.pending.has(id)) return Promise.resolve(fail('temporarily_rejected', `a set of ${id} is in flight`));
    const want = type === 'REAL32' ? Math.fround(value) : Math.round(value);
    return new Promise((resolve) => {
      const p: Pending = { id, want, type, attempts: 0, resolve };
      this.pending.set(id, p);
      this.attempt(p);
    });
  }

  private attempt(p: Pending): void {
    const t = this.target();
    if (!t) return this.finish(p, fail('no_link', 'autopilot link lost'));
    if (p.attempts >= this.attempts) return this.finish(p, fail('timeout', `no PARAM_VALUE for ${p.id} after ${p.attempts} PARAM_SETs`));
    p.attempts++;
    const m = new common.ParamSet();
    m.targetSystem = t.sysid;
    m.targetComponent = t.compid;
    m.paramId = p.id;
    m.paramValue = encodeParamWire(t.flavour, p.type, p.want);
    m.paramType = MAV_PARAM_TYPE[p.type] as common.MavParamType;
    this.send(m);
    p.timer = this.clock.setTimeout(() => this.attempt(p), this.attemptTimeoutMs);
  }

  private finish(p: Pending, r: ParamResult): void {
    p.timer?.cancel();
    this.pending.delete(p.id);
    p.resolve(r);
  }

  /** Feed every PARAM_VALUE from the autopilot. */
  handleValue(m: common.ParamValue): void {
    const id = cleanId(m.paramId);
    const p = this.pending.get(id);
    const t = this.target();
    if (!p || !t) return;
    const got = decodeParamWire(t.flavour, Number(m.paramType), m.paramValue);
    const same = p.type === 'REAL32' ? Math.fround(got) === p.want : Math.round(got) === p.want;
    this.finish(p, same ? ok({ id, value: got, attempts: p.attempts }) : fail('denied', `${id}: the autopilot kept ${got} (asked ${p.want})`));
  }

  cancelAll(reason: 'no_link', detail: string): void {
    for (const p of [...this.pending.values()]) this.finish(p, fail(reason, detail));
  }
}
