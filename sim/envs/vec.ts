/**
 * Several independent copies of an environment stepped together (for batched action selection).
 * Copy i gets its own seed derived from the base seed; finished copies reset automatically and
 * report the terminal observation separately.
 */
import { createRng } from '../../core/rng.ts';
import type { Env, EnvSpec, StepResult } from './types.ts';

export interface VecStep extends StepResult {
  /** When `done`, the observation of the slot that ended the episode (before the auto-reset). */
  terminalObs?: number[][];
}

export class VecEnv {
  readonly envs: Env[];
  readonly spec: EnvSpec;

  constructor(make: (seed: number) => Env, copies: number, seed: number) {
    if (!(copies >= 1)) throw new RangeError('VecEnv needs at least one copy');
    const rng = createRng(seed);
    this.envs = Array.from({ length: copies }, () => make(rng.int(0, 0x7fffffff)));
    this.spec = this.envs[0]!.spec;
  }

  get size(): number {
    return this.envs.length;
  }

  reset(): number[][][] {
    return this.envs.map((e) => e.reset());
  }

  /** actions[copy][agent][dim] → one StepResult per copy (auto-reset when done). */
  step(actions: number[][][]): VecStep[] {
    return this.envs.map((e, i) => {
      const r: VecStep = e.step(actions[i]!);
      if (r.done) return { ...r, terminalObs: r.obs, obs: e.reset() };
      return r;
    });
  }
}
