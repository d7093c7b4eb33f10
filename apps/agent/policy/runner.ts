/**
 * PolicyRunner: runs the verified ONNX actor once per control tick and turns its action into a
 * desired setpoint for the safety envelope (which has the last word).
 *
 * Models are identified by the sha256 of the file. `load(bytes)` verifies a model (verify.ts)
 * before it becomes active; on failure the active model stays (the last good one). If the active
 * model fails at run time (throws, or gives non-finite/short output), the runner reverts to the
 * previous good model, if any, and refuses that hash from then on.
 *
 * Action mapping (core/onnx metadata contract): the `motion` columns are ENU (x east, y north,
 * z up); the agent flies NED (x north, y east, z down), so (e, n, u) → (n, e, −u).
 * - kind 'velocity' (m/s) → velocity_ned setpoint;
 * - kind 'displacement' (m per slot, S3 / SPEC §5.5) → velocity = displacement / slotS, i.e. the
 *   slot's displacement flown at constant speed, as the training environment moves the UAV.
 * Actions are clipped to the action_spec bounds first (reported). Observations outside the
 * obs_spec box are clipped too (reported): the actor was never trained there.
 */
import { fail, ok, type Result } from '../../../core/result.ts';
import type { Setpoint } from '../../../firmware-bridge/vehicle.ts';
import { infer, normaliseObs, verifyModel, type PolicyExpectation, type VerifiedModel, type VerifyFailure } from './verify.ts';

export type RunFailure = 'no_model' | 'bad_observation' | 'inference_failed' | 'nonfinite_action';

export interface PolicyStep {
  desired: Extract<Setpoint, { kind: 'velocity_ned' }>;
  /** Raw action vector (all columns, after clipping), for logging and non-motion decisions. */
  action: number[];
  modelHash: string;
  reasons: string[];
}

export interface LoadOutcome {
  hash: string;
  active: boolean;
}

export interface PolicyRunnerOptions {
  /** Slot length ΔT for displacement actions, s. */
  slotS: number;
  expect?: PolicyExpectation;
}

export class PolicyRunner {
  private active: VerifiedModel | undefined;
  private previous: VerifiedModel | undefined;
  private readonly refused = new Set<string>();
  /** Events worth reporting (model switches, failures), oldest first; the caller drains it. */
  readonly events: { kind: 'loaded' | 'rejected' | 'reverted'; hash: string; reason?: string }[] = [];

  constructor(private readonly o: PolicyRunnerOptions) {
    if (!(o.slotS > 0)) throw new RangeError(`slotS must be > 0, got ${o.slotS}`);
  }

  activeHash(): string | undefined {
    return this.active?.hash;
  }

  metadata() {
    return this.active?.metadata;
  }

  /** Verifies `bytes` and, if good, makes it the active model (the current one becomes the fallback). */
  async load(bytes: Uint8Array): Promise<Result<LoadOutcome, VerifyFailure | 'refused'>> {
    const v = await verifyModel(bytes, this.o.expect);
    if (!v.ok) {
      this.events.push({ kind: 'rejected', hash: '', reason: `${v.reason}: ${v.detail ?? ''}` });
      return fail(v.reason, v.detail);
    }
    const m = v.value;
    if (this.refused.has(m.hash)) {
      await m.session.release();
      this.events.push({ kind: 'rejected', hash: m.hash, reason: 'refused after a run-time failure' });
      return fail('refused', `model ${m.hash.slice(0, 12)} failed at run time before`);
    }
    if (this.active?.hash === m.hash) {
      await m.session.release();
      return ok({ hash: m.hash, active: true });
    }
    if (this.previous) await this.previous.session.release();
    this.previous = this.active;
    this.active = m;
    this.events.push({ kind: 'loaded', hash: m.hash });
    return ok({ hash: m.hash, active: true });
  }

  /** One control tick: raw observation (obs_spec order, SI units) → desired setpoint. */
  async step(rawObs: ArrayLike<number>): Promise<Result<PolicyStep, RunFailure>> {
    const m = this.active;
    if (!m) return fail('no_model');
    const meta = m.metadata;
    if (rawObs.length !== m.obsLen) return fail('bad_observation', `expected ${m.obsLen} values (${meta.obsSpec.names.join(', ')}), got ${rawObs.length}`);
    const reasons: string[] = [];
    const obs = new Array<number>(m.obsLen);
    for (let i = 0; i < m.obsLen; i++) {
      const x = rawObs[i]!;
      if (!Number.isFinite(x)) return fail('bad_observation', `${meta.obsSpec.names[i]} is ${x}`);
      const c = Math.min(meta.obsSpec.high[i]!, Math.max(meta.obsSpec.low[i]!, x));
      if (c !== x) reasons.push(`obs_clipped:${meta.obsSpec.names[i]}`);
      obs[i] = c;
    }
    let y: Float32Array;
    try {
      y = await infer(m, normaliseObs(meta, obs));
      if (y.length !== m.actLen || !y.every(Number.isFinite)) throw new Error(`bad output [${Array.from(y).join(', ')}]`);
    } catch (e) {
      const why = (e as Error).message;
      this.refused.add(m.hash);
      if (this.previous) {
        this.active = this.previous;
        this.previous = undefined;
        this.events.push({ kind: 'reverted', hash: this.active.hash, reason: `model ${m.hash.slice(0, 12)} failed: ${why}` });
        await m.session.release();
      }
      return fail(why.startsWith('bad output') ? 'nonfinite_action' : 'inference_failed', why);
    }
    const { low, high, motion, kind } = meta.actionSpec;
    const action = Array.from(y, (v, i) => {
      const c = Math.min(high[i]!, Math.max(low[i]!, v));
      if (c !== v) reasons.push(`action_clipped:${meta.actionSpec.names[i]}`);
      return c;
    });
    const k = kind === 'displacement' ? 1 / this.o.slotS : 1;
    const [e, n, u] = motion.map((i) => action[i]! * k) as [number, number, number];
    return ok({ desired: { kind: 'velocity_ned', velocityMS: { x: n, y: e, z: -u } }, action, modelHash: m.hash, reasons });
  }

  async close(): Promise<void> {
    await this.active?.session.release();
    await this.previous?.session.release();
    this.active = this.previous = undefined;
  }
}
