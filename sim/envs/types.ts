/**
 * The environment contract every trainer algorithm uses. Multi-agent by default (a single-agent
 * environment has `nAgents = 1`); observations and actions are in physical units (SI), the spec
 * gives their bounds, and algorithms map their [-1, 1] outputs onto `actionLow..actionHigh`.
 */
export interface AgentSpace {
  /** Column names of one agent's observation. */
  obsNames: string[];
  obsLow: number[];
  obsHigh: number[];
  actNames: string[];
  actLow: number[];
  actHigh: number[];
}

export interface EnvSpec {
  /** 's3', 's3-2d', 's2'. */
  id: string;
  nAgents: number;
  /** Per agent (all agents of an environment share one space). */
  space: AgentSpace;
  /** Whether actions are per-slot displacements (m) or velocities (m/s), and the motion columns. */
  actionKind: 'displacement' | 'velocity';
  actionUnits: string;
  motion: [number, number, number];
  /** Slots per episode. */
  horizon: number;
  /** The full configuration (hashed into `uavmec.env_hash`). */
  config: Record<string, unknown>;
}

export interface StepInfo {
  /** The objective of the slot before penalties (S3: DOR; S2: revenue Q). */
  objective: number;
  /** Sum of the penalty terms subtracted from `objective`. */
  penalty: number;
  /** Violation counts this slot, by kind. */
  violations: Record<string, number>;
}

export interface StepResult {
  /** Next observation per agent. */
  obs: number[][];
  /** Shared reward (cooperative). */
  reward: number;
  /** True after the last slot of the episode. */
  done: boolean;
  info: StepInfo;
}

export interface Env {
  readonly spec: EnvSpec;
  /** Starts an episode; observation per agent. */
  reset(): number[][];
  /** Applies one action per agent (physical units, clipped to the bounds by the env). */
  step(actions: number[][]): StepResult;
}
