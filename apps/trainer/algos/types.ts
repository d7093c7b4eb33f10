/**
 * The contract between the training loop and an algorithm. Observations and actions cross it in
 * physical units (one row per agent); each algorithm normalises internally (see ../scaling.ts).
 */
import type { MlpLayer } from '../../../core/onnx/index.ts';

export const ALGOS = ['maddpg', 'cejomu', 'td3', 'ddpg', 'ppo', 'd3qn'] as const;
export type AlgoName = (typeof ALGOS)[number];

/** A deterministic actor ready for `exportMlp`: raw obs → physical action. */
export interface ExportedActor {
  /** '0', '1', … per agent, or 'shared'. */
  agent: string;
  layers: MlpLayer[];
  inputScale: number[];
  inputOffset: number[];
  outputScale: number[];
  outputOffset: number[];
}

export interface UpdateStats { criticLoss: number; actorLoss?: number }

export interface Learner {
  readonly algo: AlgoName;
  /** One physical action per agent; `explore` adds the algorithm's exploration. */
  act(obs: number[][], explore: boolean): number[][];
  /** Records a transition (physical units). `terminal` only for true terminal states, not time limits. */
  observe(obs: number[][], actions: number[][], reward: number, next: number[][], terminal: boolean, episodeEnd: boolean): void;
  /** Called after every env step; runs the updates that are due. */
  train(): UpdateStats | null;
  /** Called at the end of each episode (noise schedules). */
  endEpisode(episode: number): void;
  /** The greedy policy as MLPs (empty when the policy is not an MLP actor, e.g. D3QN's Q-net). */
  exportActors(): ExportedActor[];
  checkpoint(): unknown;
  restore(state: unknown): void;
  dispose(): void;
}
