/**
 * Maps between physical units and the networks' normalised space: observations to [-1, 1] by the
 * spec's bounds (obs·scale + offset), actions from tanh's [-1, 1] to [low, high].
 */
import type { AgentSpace } from '../../sim/envs/index.ts';

export interface Affine { scale: number[]; offset: number[] }

/** Observation normalisation: low → −1, high → +1 (a zero-width range maps to 0). */
export function obsAffine(s: AgentSpace): Affine {
  const scale = s.obsLow.map((lo, i) => (s.obsHigh[i]! > lo ? 2 / (s.obsHigh[i]! - lo) : 0));
  return { scale, offset: s.obsLow.map((lo, i) => (scale[i]! === 0 ? 0 : -1 - lo * scale[i]!)) };
}

/** Action de-normalisation: −1 → low, +1 → high. */
export function actAffine(s: AgentSpace): Affine {
  return { scale: s.actLow.map((lo, i) => (s.actHigh[i]! - lo) / 2), offset: s.actLow.map((lo, i) => (s.actHigh[i]! + lo) / 2) };
}

export const applyAffine = (x: ArrayLike<number>, a: Affine): number[] => Array.from(x, (v, i) => v * a.scale[i]! + a.offset[i]!);
