/**
 * The training loop: runs episodes of an environment (optionally several independent copies),
 * feeds transitions to a `Learner`, reports per-episode statistics and checkpoint states through
 * callbacks. No I/O here: the CLI writes files and draws the progress bar.
 */
import type { Env } from '../../sim/envs/index.ts';
import type { Learner } from './algos/types.ts';

export interface EpisodeStats {
  episode: number;
  /** Sum of rewards over the episode. */
  reward: number;
  /** Mean per-slot objective (S3: DOR; S2: Q) before penalties. */
  objective: number;
  /** Sum of penalties over the episode. */
  penalty: number;
  steps: number;
  criticLoss: number;
  actorLoss: number;
}

export interface LoopOptions {
  /** Environments stepped in lockstep (≥ 1); each finished episode counts as one. */
  envs: Env[];
  learner: Learner;
  episodes: number;
  /** Episodes already done (resume). */
  startEpisode?: number;
  onEpisode?: (s: EpisodeStats) => void;
  checkpointEvery?: number;
  onCheckpoint?: (episode: number, state: unknown) => void;
  /** Called after every finished episode with the number of episodes done (model selection). */
  afterEpisode?: (episodes: number) => void;
}

export function runTraining(opts: LoopOptions): EpisodeStats[] {
  const { envs, learner } = opts;
  const curve: EpisodeStats[] = [];
  let episode = opts.startEpisode ?? 0;
  const obs = envs.map((e) => e.reset());
  const acc = envs.map(() => ({ reward: 0, objective: 0, penalty: 0, steps: 0, cl: 0, al: 0, nc: 0, na: 0 }));
  while (episode < opts.episodes) {
    for (let i = 0; i < envs.length && episode < opts.episodes; i++) {
      const env = envs[i]!;
      const actions = learner.act(obs[i]!, true);
      const r = env.step(actions);
      learner.observe(obs[i]!, actions, r.reward, r.obs, false, r.done);
      const st = learner.train();
      const a = acc[i]!;
      a.reward += r.reward;
      a.objective += r.info.objective;
      a.penalty += r.info.penalty;
      a.steps++;
      if (st) {
        a.cl += st.criticLoss;
        a.nc++;
        if (st.actorLoss !== undefined) {
          a.al += st.actorLoss;
          a.na++;
        }
      }
      obs[i] = r.obs;
      if (r.done) {
        const s: EpisodeStats = {
          episode, reward: a.reward, objective: a.objective / a.steps, penalty: a.penalty, steps: a.steps,
          criticLoss: a.nc ? a.cl / a.nc : NaN, actorLoss: a.na ? a.al / a.na : NaN,
        };
        curve.push(s);
        learner.endEpisode(episode);
        opts.onEpisode?.(s);
        episode++;
        opts.afterEpisode?.(episode);
        if (opts.onCheckpoint && opts.checkpointEvery && episode % opts.checkpointEvery === 0) opts.onCheckpoint(episode, learner.checkpoint());
        acc[i] = { reward: 0, objective: 0, penalty: 0, steps: 0, cl: 0, al: 0, nc: 0, na: 0 };
        obs[i] = env.reset();
      }
    }
  }
  return curve;
}

export interface EvalStats {
  episodes: number;
  meanReward: number;
  /** Mean per-slot objective (S3: DOR per slot). */
  meanObjective: number;
  meanPenalty: number;
  /** Mean objective over the last half of each episode (after the UAVs have arrived). */
  meanObjectiveSecondHalf: number;
  violations: Record<string, number>;
  /** Per-slot objective averaged over episodes (S3 Fig. 6). */
  perSlotObjective: number[];
}

/** Runs a fixed policy (physical obs → physical actions per agent) for `episodes` episodes. */
export async function evaluatePolicy(env: Env, policy: (obs: number[][]) => number[][] | Promise<number[][]>, episodes: number): Promise<EvalStats> {
  let reward = 0, objective = 0, penalty = 0, steps = 0, second = 0, secondN = 0;
  const violations: Record<string, number> = {};
  const perSlot = new Array<number>(env.spec.horizon).fill(0);
  for (let e = 0; e < episodes; e++) {
    let obs = env.reset();
    for (let t = 0; ; t++) {
      const r = env.step(await policy(obs));
      reward += r.reward;
      objective += r.info.objective;
      penalty += r.info.penalty;
      steps++;
      perSlot[t] = (perSlot[t] ?? 0) + r.info.objective / episodes;
      if (t >= env.spec.horizon / 2) {
        second += r.info.objective;
        secondN++;
      }
      for (const [k, v] of Object.entries(r.info.violations)) violations[k] = (violations[k] ?? 0) + v / episodes;
      obs = r.obs;
      if (r.done) break;
    }
  }
  return {
    episodes, meanReward: reward / episodes, meanObjective: objective / steps, meanPenalty: penalty / episodes,
    meanObjectiveSecondHalf: secondN ? second / secondN : 0, violations, perSlotObjective: perSlot,
  };
}

/**
 * One greedy episode of a synchronous policy: the objective per slot (model selection's
 * validation rollout, run between training episodes).
 */
export function rolloutObjective(env: Env, policy: (obs: number[][]) => number[][]): number[] {
  const out: number[] = [];
  let obs = env.reset();
  for (;;) {
    const r = env.step(policy(obs));
    out.push(r.info.objective);
    obs = r.obs;
    if (r.done) return out;
  }
}
