/**
 * PPO baseline (SPEC §5.4, S2's comparison): single agent, Gaussian policy with a tanh-bounded
 * mean and a learned state-independent log-σ, clipped surrogate objective, GAE(λ) advantages,
 * value network, several epochs of shuffled minibatches per rollout. Actions are clipped to
 * [-1, 1] before the environment; the unclipped sample is what the log-probability refers to.
 * The exported policy is the mean actor.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import type { Rng } from '../../../core/rng.ts';
import type { EnvSpec } from '../../../sim/envs/index.ts';
import type { Tf } from '../backend.ts';
import { Mlp, type SerializedMlp } from '../nets.ts';
import { actAffine, applyAffine, obsAffine, type Affine } from '../scaling.ts';
import type { ExportedActor, Learner, UpdateStats } from './types.ts';

export interface PpoConfig {
  hidden: number[]; lr: number; gamma: number; lambda: number; clip: number; rollout: number; epochs: number; minibatch: number;
  initLogStd: number; entropyCoef: number; valueCoef: number; rewardScale: number;
}

/**
 * [choice] lr 1e-3 (the lr TD3 and DDPG use on S2), rollouts of 500 steps (10 S2 episodes), 10
 * epochs of minibatches of 50. The usual lr 3e-4 with 1000-step rollouts and 5 epochs of 100 gets
 * only 10–20 rollouts in S2's 10 000–20 000-step budget and barely learns (greedy Q −39 per slot
 * vs 301 with these values at 10 000 steps, seed 1; apps/experiments/learning/s2.ts).
 */
export function defaultPpoConfig(o: Partial<PpoConfig> = {}): PpoConfig {
  return { hidden: [64, 64], lr: 1e-3, gamma: 0.98, lambda: 0.95, clip: 0.2, rollout: 500, epochs: 10, minibatch: 50, initLogStd: -0.5, entropyCoef: 0, valueCoef: 0.5, rewardScale: 1, ...o };
}

const LOG_2PI = Math.log(2 * Math.PI);

export class Ppo implements Learner {
  readonly algo = 'ppo' as const;
  private readonly o: number;
  private readonly a: number;
  private readonly actor: Mlp;
  private readonly critic: Mlp;
  private readonly logStd: tfTypes.Variable;
  private readonly opt: tfTypes.Optimizer;
  private readonly obsA: Affine;
  private readonly actA: Affine;
  private last: { obs: number[]; raw: number[]; logp: number; value: number } | undefined;
  private roll: { obs: number[]; raw: number[]; logp: number; value: number; rew: number; terminal: boolean; end: boolean; nextValue: number }[] = [];

  constructor(private readonly tf: Tf, spec: EnvSpec, readonly cfg: PpoConfig, private readonly rng: Rng) {
    this.o = spec.space.obsNames.length;
    this.a = spec.space.actNames.length;
    this.obsA = obsAffine(spec.space);
    this.actA = actAffine(spec.space);
    const hid = cfg.hidden.map(() => 'tanh' as const);
    this.actor = new Mlp(tf, [this.o, ...cfg.hidden, this.a], [...hid, 'tanh'], rng, 0.01);
    this.critic = new Mlp(tf, [this.o, ...cfg.hidden, 1], [...hid, 'none'], rng);
    this.logStd = tf.variable(tf.fill([this.a], cfg.initLogStd));
    this.opt = tf.train.adam(cfg.lr);
  }

  private value(x: number[]): number {
    return this.critic.predict([x])[0]!;
  }

  act(obs: number[][], explore: boolean): number[][] {
    const x = applyAffine(obs[0]!, this.obsA);
    const mean = Array.from(this.actor.predict([x]));
    if (!explore) return [applyAffine(mean, this.actA)];
    const std = Array.from(this.logStd.dataSync(), Math.exp);
    const raw = mean.map((m, d) => m + std[d]! * this.rng.normal());
    const logp = raw.reduce((s, r, d) => s - 0.5 * ((r - mean[d]!) / std[d]!) ** 2 - Math.log(std[d]!) - 0.5 * LOG_2PI, 0);
    this.last = { obs: x, raw, logp, value: this.value(x) };
    return [applyAffine(raw.map((r) => Math.max(-1, Math.min(1, r))), this.actA)];
  }

  observe(_obs: number[][], _actions: number[][], reward: number, next: number[][], terminal: boolean, episodeEnd: boolean): void {
    if (!this.last) throw new Error('PPO: observe() without a preceding exploring act()');
    // At a time-limit end we bootstrap from V(next); at a true terminal state from 0.
    const nextValue = terminal ? 0 : episodeEnd ? this.value(applyAffine(next[0]!, this.obsA)) : NaN;
    this.roll.push({ ...this.last, rew: reward * this.cfg.rewardScale, terminal, end: episodeEnd || terminal, nextValue });
    this.last = undefined;
  }

  endEpisode(): void {}

  train(): UpdateStats | null {
    const c = this.cfg;
    const T = this.roll.length;
    if (T < c.rollout || !this.roll[T - 1]!.end) return null;
    // GAE(λ) backwards through the rollout (SPEC §5.4 baseline; Schulman et al. 2016).
    const adv = new Float32Array(T);
    const ret = new Float32Array(T);
    let gae = 0;
    for (let t = T - 1; t >= 0; t--) {
      const s = this.roll[t]!;
      const vNext = s.end ? s.nextValue : this.roll[t + 1]!.value;
      const delta = s.rew + c.gamma * vNext - s.value;
      gae = delta + c.gamma * c.lambda * (s.end ? 0 : gae);
      adv[t] = gae;
      ret[t] = gae + s.value;
    }
    let mu = 0, sd = 0;
    adv.forEach((v) => (mu += v / T));
    adv.forEach((v) => (sd += (v - mu) ** 2 / T));
    sd = Math.sqrt(sd) + 1e-8;
    const obs = Float32Array.from(this.roll.flatMap((s) => s.obs));
    const raw = Float32Array.from(this.roll.flatMap((s) => s.raw));
    const oldLogp = Float32Array.from(this.roll, (s) => s.logp);
    const advN = adv.map((v) => (v - mu) / sd);
    const tf = this.tf;
    const idx = Array.from({ length: T }, (_, i) => i);
    let lossSum = 0, count = 0;
    for (let e = 0; e < c.epochs; e++) {
      this.rng.shuffle(idx);
      for (let s = 0; s + c.minibatch <= T; s += c.minibatch) {
        const mb = idx.slice(s, s + c.minibatch);
        const pick = (src: Float32Array, w: number) => Float32Array.from(mb.flatMap((i) => Array.from(src.subarray(i * w, (i + 1) * w))));
        const M = mb.length;
        const loss = tf.tidy(() => {
          const x = tf.tensor2d(pick(obs, this.o), [M, this.o]);
          const r = tf.tensor2d(pick(raw, this.a), [M, this.a]);
          const olp = tf.tensor1d(pick(oldLogp, 1));
          const A = tf.tensor1d(pick(advN, 1));
          const R = tf.tensor1d(pick(ret, 1));
          return this.opt.minimize(() => {
            const mean = this.actor.apply(x);
            const z = tf.div(tf.sub(r, mean), tf.exp(this.logStd));
            const logp = tf.sub(tf.sum(tf.mul(-0.5, tf.square(z)), 1), tf.add(tf.sum(this.logStd), 0.5 * LOG_2PI * this.a));
            const ratio = tf.exp(tf.sub(logp, olp));
            const surr = tf.minimum(tf.mul(ratio, A), tf.mul(tf.clipByValue(ratio, 1 - c.clip, 1 + c.clip), A));
            const vLoss = tf.mean(tf.square(tf.sub(tf.reshape(this.critic.apply(x), [M]), R)));
            const entropy = tf.add(tf.sum(this.logStd), 0.5 * (1 + LOG_2PI) * this.a);
            return tf.sub(tf.add(tf.neg(tf.mean(surr)), tf.mul(c.valueCoef, vLoss)), tf.mul(c.entropyCoef, entropy)) as tfTypes.Scalar;
          }, true, [...this.actor.vars, ...this.critic.vars, this.logStd])!.dataSync()[0]!;
        });
        lossSum += loss;
        count++;
      }
    }
    this.roll = [];
    return { criticLoss: count ? lossSum / count : 0 };
  }

  exportActors(): ExportedActor[] {
    return [{ agent: 'shared', layers: this.actor.toLayers(), inputScale: this.obsA.scale, inputOffset: this.obsA.offset, outputScale: this.actA.scale, outputOffset: this.actA.offset }];
  }

  checkpoint(): unknown {
    return { algo: this.algo, actor: this.actor.serialize(), critic: this.critic.serialize(), logStd: Array.from(this.logStd.dataSync()) };
  }

  restore(state: unknown): void {
    const s = state as { algo: string; actor: SerializedMlp; critic: SerializedMlp; logStd: number[] };
    if (s.algo !== this.algo) throw new RangeError(`checkpoint is for ${s.algo}`);
    this.actor.load(s.actor);
    this.critic.load(s.critic);
    this.logStd.assign(this.tf.tensor1d(s.logStd));
  }

  dispose(): void {
    this.actor.dispose();
    this.critic.dispose();
    this.logStd.dispose();
    this.opt.dispose();
  }
}
