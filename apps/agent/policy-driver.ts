/**
 * Flies FLIGHT_MODE_POLICY: picks the model a plan names (by sha256, from the model directory),
 * verifies it before use and falls back to the last good model when it is missing or fails
 * (issue 6 §1), and runs it once per control tick.
 *
 * Inference is asynchronous (onnxruntime), the control tick is not: each tick starts one
 * inference on the current observation (if none is running) and flies the newest action, so the
 * command lags the observation by one tick (100 ms at 10 Hz, against a slot of seconds). An
 * action older than `maxAgeTicks` ticks, a failed inference or an observation the model cannot
 * be given all give zero velocity (hold) — the envelope bounds whatever comes out regardless.
 *
 * With `slotS`, a displacement actor whose observation is the UAV's own position (x, y, z: S3,
 * SPEC §5.5) is kept inside the box of its obs_spec as the training env keeps it (S3 env `step`
 * clips every move back into the area and the altitude band): on each axis the velocity is
 * bounded so that one slot of it ends inside [low, high], and outside the box it points back in,
 * no faster than the action bound. [choice] Without this, an actor trained to push against a wall
 * (the env clipped it, the penalty was graded) drifts through the wall in flight, where the env
 * never took it — the safety envelope, which is wider, would be the only stop.
 */
import type { ActivityTracker } from '../../core/clock.ts';
import { fail, ok, type Result } from '../../core/result.ts';
import type { Setpoint } from '../../firmware-bridge/vehicle.ts';
import { Severity } from '../../proto/index.ts';
import { policyObservation, type ModelDirectory, type PolicyRunner } from './policy/index.ts';

type Velocity = Extract<Setpoint, { kind: 'velocity_ned' }>;
const HOLD: Velocity = { kind: 'velocity_ned', velocityMS: { x: 0, y: 0, z: 0 } };

export interface PolicyEvent {
  severity: Severity;
  code: string;
  text: string;
}

export class PolicyDriver {
  private latest: { sp: Velocity; atUs: number } | undefined;
  private running = false;
  private readonly events: PolicyEvent[] = [];
  readonly stats = { inferences: 0, failures: 0, boxClamps: 0 };

  constructor(
    private readonly runner: PolicyRunner,
    private readonly models: ModelDirectory,
    private readonly o: {
      tickUs: number;
      maxAgeTicks?: number;
      slotS?: number;
      /**
       * The clock's activity tracker (lockstep missions, core/clock.ts): every inference and model
       * load is work in flight that holds the clock, so its result is due at the same simulated
       * instant whatever the machine's load.
       */
      activity?: ActivityTracker;
    },
  ) {}

  private held<T>(p: Promise<T>, what: string): Promise<T> {
    return this.o.activity ? this.o.activity.during(p, what) : p;
  }

  activeHash(): string | undefined {
    return this.runner.activeHash();
  }

  drainEvents(): PolicyEvent[] {
    for (const e of this.runner.events.splice(0)) {
      const sev = e.kind === 'loaded' ? Severity.SEVERITY_INFO : Severity.SEVERITY_WARNING;
      this.events.push({ severity: sev, code: `policy.model.${e.kind}`, text: `${e.hash.slice(0, 12)}${e.reason ? `: ${e.reason}` : ''}` });
    }
    return this.events.splice(0);
  }

  /**
   * Makes `sha256` the active model (empty = keep the current one). When it is missing or fails
   * verification, the last good model stays active (reported); with none, 'model_unavailable'.
   * Resolves with the hash of the model that will fly.
   */
  async select(sha256: string): Promise<Result<string, 'model_unavailable'>> {
    const want = sha256.toLowerCase();
    const active = this.runner.activeHash();
    if (want === '' || want === active) return active ? ok(active) : fail('model_unavailable', 'no policy model loaded and the plan names none');
    const bytes = this.models.read(want);
    let why: string;
    if (!bytes) why = `model ${want.slice(0, 12)} not in ${this.models.dir}`;
    else {
      const r = await this.held(this.runner.load(bytes), 'onnx-load');
      if (r.ok) {
        this.latest = undefined;
        return ok(r.value.hash);
      }
      why = `model ${want.slice(0, 12)} failed verification: ${r.reason}${r.detail ? ` (${r.detail})` : ''}`;
    }
    const fallback = this.runner.activeHash();
    if (!fallback) return fail('model_unavailable', why);
    this.events.push({ severity: Severity.SEVERITY_WARNING, code: 'policy.fallback', text: `${why}; flying the last good model ${fallback.slice(0, 12)}` });
    return ok(fallback);
  }

  /** One control tick: the newest action as a velocity (NED), and one inference started on `own`. */
  tick(own: { eastM: number; northM: number; altM: number }, nowUs: number, latencyUs: (us: number) => void): Velocity {
    const meta = this.runner.metadata();
    if (meta && !this.running) {
      const o = policyObservation(meta.obsSpec.names, own);
      if ('missing' in o) {
        this.fault(`the model needs observations this agent cannot give: ${o.missing.join(', ')}`);
      } else {
        this.running = true;
        const t0 = performance.now();
        void this.held(this.runner.step(o.obs), 'onnx-run').then((r) => {
          this.running = false;
          latencyUs((performance.now() - t0) * 1000);
          this.stats.inferences++;
          if (r.ok) this.latest = { sp: r.value.desired, atUs: nowUs };
          else this.fault(`inference failed: ${r.reason}${r.detail ? ` (${r.detail})` : ''}`);
        });
      }
    }
    const l = this.latest;
    if (!l || nowUs - l.atUs > (this.o.maxAgeTicks ?? 3) * this.o.tickUs) return HOLD;
    return this.keepInBox(l.sp, own);
  }

  /** The training box (see the file comment); velocities in NED, positions and the box in ENU. */
  private keepInBox(sp: Velocity, own: { eastM: number; northM: number; altM: number }): Velocity {
    const meta = this.runner.metadata();
    const tau = this.o.slotS;
    if (!meta || !tau || meta.actionSpec.kind !== 'displacement') return sp;
    const { names, low, high } = meta.obsSpec;
    const act = meta.actionSpec;
    const v = [sp.velocityMS.y, sp.velocityMS.x, -sp.velocityMS.z];
    const p = [own.eastM, own.northM, own.altM];
    let clamped = false;
    ['x', 'y', 'z'].forEach((name, d) => {
      const i = names.indexOf(name);
      if (i < 0) return;
      const m = act.motion[d]!;
      const lo = Math.max((low[i]! - p[d]!) / tau, act.low[m]! / tau);
      const hi = Math.min((high[i]! - p[d]!) / tau, act.high[m]! / tau);
      // Outside the box lo > hi on that side: head back in at the action bound.
      const c = lo > hi ? (p[d]! < low[i]! ? act.high[m]! / tau : act.low[m]! / tau) : Math.min(hi, Math.max(lo, v[d]!));
      if (c !== v[d]) clamped = true;
      v[d] = c;
    });
    if (!clamped) return sp;
    this.stats.boxClamps++;
    return { kind: 'velocity_ned', velocityMS: { x: v[1]!, y: v[0]!, z: -v[2]! } };
  }

  private fault(text: string): void {
    this.stats.failures++;
    this.latest = undefined;
    if (this.stats.failures === 1 || this.stats.failures % 100 === 0) this.events.push({ severity: Severity.SEVERITY_ERROR, code: 'policy.fault', text });
  }

  close(): Promise<void> {
    return this.runner.close();
  }
}
