/**
 * D3QN baseline (SPEC §5.5, S3's comparison [36]): dueling double DQN per UAV with six discrete
 * flight directions (±x, ±y, ±z, each a full per-axis step v·ΔT), shared reward, ε-greedy
 * exploration decaying per env step (as MADDPG's σ, the S3 protocol), Double-DQN targets (online argmax, target evaluation),
 * dueling head Q = V + A − mean(A). Independent learners (one Q-net per agent).
 * Not exported to ONNX: the policy is an argmax over Q-values, not an actor MLP.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import type { Rng } from '../../../core/rng.ts';
import type { EnvSpec } from '../../../sim/envs/index.ts';
import type { Tf } from '../backend.ts';
import { Mlp, type SerializedMlp } from '../nets.ts';
import { ReplayBuffer } from '../replay.ts';
import { applyAffine, obsAffine, type Affine } from '../scaling.ts';
import { S3_PROTOCOL } from '../protocol.ts';
import { linearSchedule, S3_EXPLORE_DECAY_STEPS } from './schedule.ts';
import type { ExportedActor, Learner, UpdateStats } from './types.ts';

export interface D3qnConfig {
  hidden: number[]; lr: number; gamma: number; tau: number; batch: number; bufferSize: number; learnStart: number;
  /** One gradient update every n env steps (the S3 protocol: as MADDPG's `updateEvery`). */
  updateEvery: number;
  epsStart: number; epsEnd: number;
  /** Env steps over which ε decays linearly (the S3 protocol, as MADDPG's σ); 0 = per episode. */
  epsDecaySteps: number;
  epsDecayEpisodes: number; rewardScale: number;
}

export function defaultD3qnConfig(o: Partial<D3qnConfig> = {}): D3qnConfig {
  return { hidden: [64, 64], lr: 1e-3, gamma: 0.95, tau: 0.01, batch: 128, bufferSize: 100_000, learnStart: 500, updateEvery: S3_PROTOCOL.updateEvery, epsStart: 1, epsEnd: 0.05, epsDecaySteps: S3_EXPLORE_DECAY_STEPS, epsDecayEpisodes: 100, rewardScale: 1, ...o };
}

const DIRECTIONS = [[1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0], [0, 0, 1], [0, 0, -1]] as const;

interface QNet { trunk: Mlp; v: Mlp; adv: Mlp }

export class D3qn implements Learner {
  readonly algo = 'd3qn' as const;
  private readonly n: number;
  private readonly o: number;
  private readonly online: QNet[];
  private readonly target: QNet[];
  private readonly opts: tfTypes.Optimizer[];
  private readonly buffer: ReplayBuffer;
  private readonly obsA: Affine;
  private eps: number;
  private steps = 0;

  constructor(private readonly tf: Tf, private readonly spec: EnvSpec, readonly cfg: D3qnConfig, private readonly rng: Rng) {
    if (spec.space.actNames.length < 3) throw new RangeError('D3QN needs a 3D displacement action');
    this.n = spec.nAgents;
    this.o = spec.space.obsNames.length;
    this.obsA = obsAffine(spec.space);
    this.eps = cfg.epsStart;
    const h = cfg.hidden;
    const make = (): QNet => ({
      trunk: new Mlp(tf, [this.o, ...h], h.map(() => 'relu' as const), rng),
      v: new Mlp(tf, [h[h.length - 1]!, 1], ['none'], rng),
      adv: new Mlp(tf, [h[h.length - 1]!, DIRECTIONS.length], ['none'], rng),
    });
    this.online = Array.from({ length: this.n }, make);
    this.target = this.online.map((q) => {
      const t = make();
      this.copy(t, q, 1);
      return t;
    });
    this.opts = this.online.map(() => tf.train.adam(cfg.lr));
    this.buffer = new ReplayBuffer(cfg.bufferSize, this.n * this.o, this.n);
  }

  private copy(dst: QNet, src: QNet, tau: number): void {
    dst.trunk.softUpdateFrom(src.trunk, tau);
    dst.v.softUpdateFrom(src.v, tau);
    dst.adv.softUpdateFrom(src.adv, tau);
  }

  private q(net: QNet, x: tfTypes.Tensor2D): tfTypes.Tensor2D {
    const tf = this.tf;
    const h = net.trunk.apply(x);
    const adv = net.adv.apply(h);
    return tf.add(net.v.apply(h), tf.sub(adv, tf.mean(adv, 1, true)));
  }

  /** Physical displacement of direction `d` (full per-axis step; zero on a zero-width axis). */
  private move(d: number): number[] {
    const hi = this.spec.space.actHigh;
    return DIRECTIONS[d]!.map((s, ax) => s * hi[ax]!);
  }

  private lastChoice: number[] = [];

  act(obs: number[][], explore: boolean): number[][] {
    const tf = this.tf;
    this.lastChoice = obs.map((row, i) => {
      if (explore && this.rng.next() < this.eps) return this.rng.int(0, DIRECTIONS.length - 1);
      const qs = tf.tidy(() => this.q(this.online[i]!, tf.tensor2d([applyAffine(row, this.obsA)])).dataSync());
      let best = 0;
      for (let d = 1; d < qs.length; d++) if (qs[d]! > qs[best]!) best = d;
      return best;
    });
    return this.lastChoice.map((d) => this.move(d));
  }

  observe(obs: number[][], actions: number[][], reward: number, next: number[][], terminal: boolean): void {
    // The loop calls observe() right after act() for the same observations: use act()'s choices.
    const idx = actions.map((_, i) => this.lastChoice[i] ?? 0);
    this.buffer.add(obs.flatMap((r) => applyAffine(r, this.obsA)), idx, reward * this.cfg.rewardScale, next.flatMap((r) => applyAffine(r, this.obsA)), terminal);
    this.steps++;
    const c = this.cfg;
    if (c.epsDecaySteps > 0) this.eps = linearSchedule(c.epsStart, c.epsEnd, this.steps / c.epsDecaySteps);
  }

  endEpisode(episode: number): void {
    const c = this.cfg;
    if (c.epsDecaySteps === 0) this.eps = linearSchedule(c.epsStart, c.epsEnd, (episode + 1) / Math.max(1, c.epsDecayEpisodes));
  }

  train(): UpdateStats | null {
    const c = this.cfg;
    if (this.buffer.size < Math.max(c.learnStart, c.batch) || this.steps % Math.max(1, c.updateEvery) !== 0) return null;
    const tf = this.tf;
    const b = this.buffer.sample(c.batch, this.rng);
    const B = b.size, o = this.o, n = this.n;
    let lossSum = 0;
    tf.tidy(() => {
      const obs = tf.tensor2d(b.obs, [B, n * o]);
      const next = tf.tensor2d(b.next, [B, n * o]);
      const rew = tf.tensor1d(b.rew);
      const notDone = tf.sub(1, tf.tensor1d(b.done));
      const acts = tf.tensor2d(b.act, [B, n]);
      for (let i = 0; i < n; i++) {
        const oi = tf.slice(obs, [0, i * o], [B, o]);
        const ni = tf.slice(next, [0, i * o], [B, o]);
        const aStar = tf.argMax(this.q(this.online[i]!, ni), 1);
        const qT = tf.sum(tf.mul(this.q(this.target[i]!, ni), tf.oneHot(aStar, DIRECTIONS.length)), 1);
        const y = tf.add(rew, tf.mul(tf.mul(notDone, c.gamma), qT));
        const mask = tf.oneHot(tf.cast(tf.reshape(tf.slice(acts, [0, i], [B, 1]), [B]), 'int32'), DIRECTIONS.length);
        const loss = this.opts[i]!.minimize(() => tf.losses.huberLoss(y, tf.sum(tf.mul(this.q(this.online[i]!, oi), mask), 1)) as tfTypes.Scalar, true,
          [...this.online[i]!.trunk.vars, ...this.online[i]!.v.vars, ...this.online[i]!.adv.vars]);
        lossSum += loss!.dataSync()[0]! / n;
        this.copy(this.target[i]!, this.online[i]!, c.tau);
      }
    });
    return { criticLoss: lossSum };
  }

  exportActors(): ExportedActor[] {
    return [];
  }

  checkpoint(): unknown {
    const ser = (q: QNet) => ({ trunk: q.trunk.serialize(), v: q.v.serialize(), adv: q.adv.serialize() });
    return { algo: this.algo, eps: this.eps, steps: this.steps, online: this.online.map(ser), target: this.target.map(ser) };
  }

  restore(state: unknown): void {
    type S = { trunk: SerializedMlp; v: SerializedMlp; adv: SerializedMlp };
    const s = state as { algo: string; eps: number; steps?: number; online: S[]; target: S[] };
    if (s.algo !== this.algo || s.online.length !== this.n) throw new RangeError('checkpoint does not match D3QN with this many agents');
    this.eps = s.eps;
    this.steps = s.steps ?? 0;
    const load = (q: QNet, x: S) => (q.trunk.load(x.trunk), q.v.load(x.v), q.adv.load(x.adv));
    s.online.forEach((x, i) => load(this.online[i]!, x));
    s.target.forEach((x, i) => load(this.target[i]!, x));
  }

  dispose(): void {
    for (const q of [...this.online, ...this.target]) [q.trunk, q.v, q.adv].forEach((m) => m.dispose());
    this.opts.forEach((op) => op.dispose());
  }
}
