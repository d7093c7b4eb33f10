/**
 * Training algorithms: `createLearner(algo, tf, spec, rng, overrides)` → `Learner`.
 * maddpg / cejomu / ddpg / td3 share `ActorCritic`; ppo and d3qn have their own files.
 */
import type { Rng } from '../../../core/rng.ts';
import type { EnvSpec } from '../../../sim/envs/index.ts';
import type { Tf } from '../backend.ts';
import { ActorCritic, defaultActorCriticConfig, type ActorCriticConfig } from './actor-critic.ts';
import { D3qn, defaultD3qnConfig, type D3qnConfig } from './d3qn.ts';
import { Ppo, defaultPpoConfig, type PpoConfig } from './ppo.ts';
import type { AlgoName, Learner } from './types.ts';

export { ALGOS, type AlgoName, type Learner, type ExportedActor, type UpdateStats } from './types.ts';
export { ActorCritic, defaultActorCriticConfig, type ActorCriticConfig } from './actor-critic.ts';
export { D3qn, defaultD3qnConfig, type D3qnConfig } from './d3qn.ts';
export { Ppo, defaultPpoConfig, type PpoConfig } from './ppo.ts';

/** The resolved hyper-parameters of an algorithm (what goes into `uavmec.training`). */
export function algoConfig(algo: AlgoName, overrides: Record<string, unknown> = {}): ActorCriticConfig | PpoConfig | D3qnConfig {
  if (algo === 'ppo') return defaultPpoConfig(overrides as Partial<PpoConfig>);
  if (algo === 'd3qn') return defaultD3qnConfig(overrides as Partial<D3qnConfig>);
  return defaultActorCriticConfig(algo, overrides as Partial<ActorCriticConfig>);
}

export function createLearner(algo: AlgoName, tf: Tf, spec: EnvSpec, rng: Rng, overrides: Record<string, unknown> = {}): Learner {
  if ((algo === 'ddpg' || algo === 'td3' || algo === 'ppo') && spec.nAgents !== 1) {
    // Single-agent algorithms on a multi-agent env: one policy per agent, independent learners
    // would be a different algorithm; we keep them to the single-agent environments.
    throw new RangeError(`${algo} is single-agent; environment ${spec.id} has ${spec.nAgents} agents`);
  }
  if (algo === 'ppo') return new Ppo(tf, spec, defaultPpoConfig(overrides as Partial<PpoConfig>), rng);
  if (algo === 'd3qn') return new D3qn(tf, spec, defaultD3qnConfig(overrides as Partial<D3qnConfig>), rng);
  return new ActorCritic(algo, tf, spec, defaultActorCriticConfig(algo, overrides as Partial<ActorCriticConfig>), rng);
}
