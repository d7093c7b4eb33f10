/**
 * Deterministic-policy actor–critic family on one code path:
 * - MADDPG (SPEC §5.5, S3): one actor per agent on its own observation, one centralised critic per
 *   agent on all observations and actions; γ 0.95, τ 0.01, actor 3→64→64→3, critic →64→64→1.
 * - CEJOMU (SPEC §5.5 baseline): MADDPG on the fixed-altitude 2D environment (`s3-2d`).
 * - DDPG: the same with one agent.
 * - TD3 (SPEC §5.4, S2): + twin critics (min of the two targets), target-policy smoothing
 *   (clipped Gaussian noise on target actions, σ 0.05) and delayed actor/target updates; γ 0.98,
 *   τ 0.005. [choice] Adam lr 1e-3 for actor and critic, not S2's 0.005, and the same exploration
 *   (σ 0.2 → 0.05) for TD3 and DDPG, so the S2 comparison differs only by TD3's mechanisms; 0.005
 *   gave TD3 more penalty at 10 000 steps and with equal lr TD3 leads DDPG on S2 (docs/training.md,
 *   "S2 results"). Every value stays configurable (`--algo-config`).
 * Exploration: Gaussian noise on the normalised action, σ decaying linearly per env step (S3
 * learners) or per episode (S2's TD3/DDPG, `noiseDecaySteps` 0), after a warm-up of uniformly
 * random actions. All randomness from the injected `Rng`.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import type { Rng } from '../../../core/rng.ts';
import type { EnvSpec } from '../../../sim/envs/index.ts';
import type { Tf } from '../backend.ts';
import { Mlp, type SerializedMlp } from '../nets.ts';
import { ReplayBuffer } from '../replay.ts';
import { actAffine, obsAffine, applyAffine, type Affine } from '../scaling.ts';
import { S3_PROTOCOL } from '../protocol.ts';
import { linearSchedule, S3_EXPLORE_DECAY_STEPS } from './schedule.ts';
import type { AlgoName, ExportedActor, Learner, UpdateStats } from './types.ts';

export interface ActorCriticConfig {
  hidden: number[];
  actorLr: number;
  criticLr: number;
  gamma: number;
  tau: number;
  batch: number;
  bufferSize: number;
  /** Steps of uniformly random actions before the policy acts. */
  warmupSteps: number;
  /** Gradient updates start once the buffer holds this many rows. */
  learnStart: number;
  /** Update every n env steps. */
  updateEvery: number;
  noiseStart: number;
  noiseEnd: number;
  /**
   * Env steps over which σ decays linearly from `noiseStart` to `noiseEnd` (counted from the first
   * step, warm-up included). The S3 protocol schedules exploration in steps so that learners with
   * different episode lengths explore alike at equal step budgets (docs/training.md). 0 = the
   * per-episode schedule below.
   */
  noiseDecaySteps: number;
  /** Episodes over which σ decays when `noiseDecaySteps` is 0 (S2's protocol). */
  noiseDecayEpisodes: number;
  twinCritics: boolean;
  /** Actor and target updates every `policyDelay` critic updates (TD3: 2). */
  policyDelay: number;
  /** σ of target-policy smoothing noise (TD3), in normalised action units; 0 disables. */
  targetNoise: number;
  targetNoiseClip: number;
  /** Critics see all agents' observations and actions (MADDPG); else only their own. */
  centralised: boolean;
  rewardScale: number;
  /**
   * Weight of mean(pre-tanh action²) in the actor loss. Keeps tanh out of saturation, where its
   * gradient vanishes and an actor pushing against a bound never learns to stop. MADDPG/CEJOMU:
   * the S3 protocol's 0.1 (`S3_PROTOCOL.actionReg`); TD3/DDPG: 1e-3, the original MADDPG code's.
   */
  actionReg: number;
}

export function defaultActorCriticConfig(algo: AlgoName, overrides: Partial<ActorCriticConfig> = {}): ActorCriticConfig {
  const base: ActorCriticConfig = {
    hidden: [64, 64], actorLr: 1e-3, criticLr: 1e-3, gamma: 0.95, tau: 0.01, batch: 128, bufferSize: 100_000,
    warmupSteps: 500, learnStart: 500, updateEvery: S3_PROTOCOL.updateEvery, noiseStart: 0.3, noiseEnd: 0.05, noiseDecaySteps: S3_EXPLORE_DECAY_STEPS, noiseDecayEpisodes: 100,
    twinCritics: false, policyDelay: 1, targetNoise: 0, targetNoiseClip: 0.5, centralised: true, rewardScale: 1, actionReg: S3_PROTOCOL.actionReg,
  };
  // S2's learners keep their protocol (docs/training.md, "S2 results"): an update every step, σ
  // decaying per episode and the original MADDPG code's 1e-3 pre-tanh penalty.
  const s2 = { noiseDecaySteps: 0, actionReg: 1e-3, updateEvery: 1 };
  if (algo === 'td3') Object.assign(base, { gamma: 0.98, tau: 0.005, twinCritics: true, policyDelay: 2, targetNoise: 0.05, targetNoiseClip: 0.1, noiseStart: 0.2, centralised: false, ...s2 });
  if (algo === 'ddpg') Object.assign(base, { gamma: 0.98, tau: 0.005, noiseStart: 0.2, centralised: false, ...s2 });
  return { ...base, ...overrides };
}

interface AgentNets { actor: Mlp; actorT: Mlp; critics: Mlp[]; criticsT: Mlp[]; actorOpt: tfTypes.Optimizer; criticOpt: tfTypes.Optimizer[] }

export class ActorCritic implements Learner {
  private readonly n: number;
  private readonly o: number;
  private readonly a: number;
  private readonly nets: AgentNets[];
  private readonly buffer: ReplayBuffer;
  private readonly obsA: Affine;
  private readonly actA: Affine;
  private steps = 0;
  private updates = 0;
  private sigma: number;

  constructor(
    readonly algo: AlgoName,
    private readonly tf: Tf,
    private readonly spec: EnvSpec,
    readonly cfg: ActorCriticConfig,
    private readonly rng: Rng,
  ) {
    this.n = spec.nAgents;
    this.o = spec.space.obsNames.length;
    this.a = spec.space.actNames.length;
    this.obsA = obsAffine(spec.space);
    this.actA = actAffine(spec.space);
    this.sigma = cfg.noiseStart;
    const cIn = cfg.centralised ? this.n * (this.o + this.a) : this.o + this.a;
    const actorSizes = [this.o, ...cfg.hidden, this.a];
    const criticSizes = [cIn, ...cfg.hidden, 1];
    const hiddenActs = cfg.hidden.map(() => 'relu' as const);
    this.nets = Array.from({ length: this.n }, () => {
      const actor = new Mlp(tf, actorSizes, [...hiddenActs, 'tanh'], rng, 3e-3);
      const actorT = new Mlp(tf, actorSizes, [...hiddenActs, 'tanh'], rng, 3e-3);
      actorT.softUpdateFrom(actor, 1);
      const nC = cfg.twinCritics ? 2 : 1;
      const critics = Array.from({ length: nC }, () => new Mlp(tf, criticSizes, [...hiddenActs, 'none'], rng));
      const criticsT = critics.map((c) => {
        const t = new Mlp(tf, criticSizes, [...hiddenActs, 'none'], rng);
        t.softUpdateFrom(c, 1);
        return t;
      });
      return { actor, actorT, critics, criticsT, actorOpt: tf.train.adam(cfg.actorLr), criticOpt: critics.map(() => tf.train.adam(cfg.criticLr)) };
    });
    this.buffer = new ReplayBuffer(cfg.bufferSize, this.n * this.o, this.n * this.a);
  }

  private normObs(obs: number[][]): number[] {
    return obs.flatMap((row) => applyAffine(row, this.obsA));
  }

  act(obs: number[][], explore: boolean): number[][] {
    let norm: number[][];
    if (explore && this.steps < this.cfg.warmupSteps) {
      norm = obs.map(() => Array.from({ length: this.a }, () => this.rng.uniform(-1, 1)));
    } else {
      norm = this.nets.map((nt, i) => Array.from(nt.actor.predict([applyAffine(obs[i]!, this.obsA)])));
      if (explore) norm = norm.map((row) => row.map((v) => Math.max(-1, Math.min(1, v + this.sigma * this.rng.normal()))));
    }
    return norm.map((row) => applyAffine(row, this.actA));
  }

  observe(obs: number[][], actions: number[][], reward: number, next: number[][], terminal: boolean): void {
    // Store actions normalised back to [-1, 1].
    const actN = actions.flatMap((row) => row.map((v, d) => (this.actA.scale[d]! === 0 ? 0 : (v - this.actA.offset[d]!) / this.actA.scale[d]!)));
    this.buffer.add(this.normObs(obs), actN, reward * this.cfg.rewardScale, this.normObs(next), terminal);
    this.steps++;
    const c = this.cfg;
    if (c.noiseDecaySteps > 0) this.sigma = linearSchedule(c.noiseStart, c.noiseEnd, this.steps / c.noiseDecaySteps);
  }

  endEpisode(episode: number): void {
    const c = this.cfg;
    if (c.noiseDecaySteps === 0) this.sigma = linearSchedule(c.noiseStart, c.noiseEnd, (episode + 1) / Math.max(1, c.noiseDecayEpisodes));
  }

  train(): UpdateStats | null {
    const c = this.cfg;
    if (this.buffer.size < Math.max(c.learnStart, c.batch) || this.steps % c.updateEvery !== 0) return null;
    const tf = this.tf;
    const b = this.buffer.sample(c.batch, this.rng);
    const B = b.size, n = this.n, o = this.o, a = this.a;
    const noise = c.targetNoise > 0 ? Float32Array.from({ length: B * n * a }, () => Math.max(-c.targetNoiseClip, Math.min(c.targetNoiseClip, c.targetNoise * this.rng.normal()))) : undefined;
    const doActor = this.updates % c.policyDelay === 0;
    this.updates++;
    let criticLoss = 0;
    let actorLoss = 0;
    tf.tidy(() => {
      const obs = tf.tensor2d(b.obs, [B, n * o]);
      const act = tf.tensor2d(b.act, [B, n * a]);
      const next = tf.tensor2d(b.next, [B, n * o]);
      const rew = tf.tensor2d(b.rew, [B, 1]);
      const notDone = tf.sub(1, tf.tensor2d(b.done, [B, 1]));
      const slice = (t: tfTypes.Tensor2D, i: number, w: number) => tf.slice(t, [0, i * w], [B, w]);
      // Target joint action (with TD3 smoothing noise), shared by every agent's critic target.
      let nextAct = tf.concat(this.nets.map((nt, i) => nt.actorT.apply(slice(next, i, o))), 1) as tfTypes.Tensor2D;
      if (noise) nextAct = tf.clipByValue(tf.add(nextAct, tf.tensor2d(noise, [B, n * a])), -1, 1);
      const criticInput = (ob: tfTypes.Tensor2D, ac: tfTypes.Tensor2D, i: number) =>
        (c.centralised ? tf.concat([ob, ac], 1) : tf.concat([slice(ob, i, o), slice(ac, i, a)], 1)) as tfTypes.Tensor2D;
      this.nets.forEach((nt, i) => {
        const qIn = criticInput(next, nextAct, i);
        const qs = nt.criticsT.map((ct) => ct.apply(qIn));
        const qNext = qs.length === 2 ? tf.minimum(qs[0]!, qs[1]!) : qs[0]!;
        const y = tf.add(rew, tf.mul(tf.mul(notDone, c.gamma), qNext));
        const cin = criticInput(obs, act, i);
        nt.critics.forEach((cr, j) => {
          const loss = nt.criticOpt[j]!.minimize(() => tf.losses.meanSquaredError(y, cr.apply(cin)) as tfTypes.Scalar, true, cr.vars);
          criticLoss += loss!.dataSync()[0]! / (n * nt.critics.length);
        });
      });
      if (!doActor) return;
      this.nets.forEach((nt, i) => {
        const loss = nt.actorOpt.minimize(() => {
          const { out: mine, pre } = nt.actor.applyWithPre(slice(obs, i, o));
          const parts = Array.from({ length: n }, (_, j) => (j === i ? mine : slice(act, j, a)));
          const joint = tf.concat(parts, 1) as tfTypes.Tensor2D;
          const q = tf.mean(nt.critics[0]!.apply(criticInput(obs, joint, i)));
          return tf.add(tf.neg(q), tf.mul(c.actionReg, tf.mean(tf.square(pre)))) as tfTypes.Scalar;
        }, true, nt.actor.vars);
        actorLoss += loss!.dataSync()[0]! / n;
      });
      this.nets.forEach((nt) => {
        nt.actorT.softUpdateFrom(nt.actor, c.tau);
        nt.criticsT.forEach((t, j) => t.softUpdateFrom(nt.critics[j]!, c.tau));
      });
    });
    return doActor ? { criticLoss, actorLoss } : { criticLoss };
  }

  exportActors(): ExportedActor[] {
    return this.nets.map((nt, i) => ({
      agent: this.n === 1 ? 'shared' : String(i), layers: nt.actor.toLayers(),
      inputScale: this.obsA.scale, inputOffset: this.obsA.offset, outputScale: this.actA.scale, outputOffset: this.actA.offset,
    }));
  }

  checkpoint(): unknown {
    const ser = (m: Mlp) => m.serialize();
    return {
      algo: this.algo, steps: this.steps, updates: this.updates, sigma: this.sigma,
      nets: this.nets.map((nt) => ({ actor: ser(nt.actor), actorT: ser(nt.actorT), critics: nt.critics.map(ser), criticsT: nt.criticsT.map(ser) })),
    };
  }

  restore(state: unknown): void {
    const s = state as { algo: string; steps: number; updates: number; sigma: number; nets: { actor: SerializedMlp; actorT: SerializedMlp; critics: SerializedMlp[]; criticsT: SerializedMlp[] }[] };
    if (s.algo !== this.algo || s.nets.length !== this.n) throw new RangeError(`checkpoint is for ${s.algo} with ${s.nets.length} agents`);
    this.steps = s.steps;
    this.updates = s.updates;
    this.sigma = s.sigma;
    s.nets.forEach((sn, i) => {
      const nt = this.nets[i]!;
      nt.actor.load(sn.actor);
      nt.actorT.load(sn.actorT);
      sn.critics.forEach((c, j) => nt.critics[j]!.load(c));
      sn.criticsT.forEach((c, j) => nt.criticsT[j]!.load(c));
    });
  }

  dispose(): void {
    for (const nt of this.nets) {
      [nt.actor, nt.actorT, ...nt.critics, ...nt.criticsT].forEach((m) => m.dispose());
      nt.actorOpt.dispose();
      nt.criticOpt.forEach((op) => op.dispose());
    }
  }
}
