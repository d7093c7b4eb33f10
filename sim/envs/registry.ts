/** Builds environments by id, with config overrides (used by the trainer, CLI and benchmarks). */
import { S2VideoEnv, defaultS2Config, type S2EnvConfig } from './s2-video.ts';
import { S3TrajectoryEnv, defaultS3Config, type S3EnvConfig } from './s3-trajectory.ts';
import type { Env } from './types.ts';

export const ENV_IDS = ['s3', 's3-2d', 's2'] as const;
export type EnvId = (typeof ENV_IDS)[number];

/** `s3`: SPEC §5.5 3D trajectories; `s3-2d`: CEJOMU's fixed-altitude variant; `s2`: SPEC §5.4. */
export function makeEnv(id: EnvId, seed: number, overrides: Record<string, unknown> = {}): Env {
  switch (id) {
    case 's3':
      return new S3TrajectoryEnv(defaultS3Config({ ...(overrides as Partial<S3EnvConfig>), mode: '3d' }), seed);
    case 's3-2d':
      return new S3TrajectoryEnv(defaultS3Config({ ...(overrides as Partial<S3EnvConfig>), mode: '2d' }), seed);
    case 's2':
      return new S2VideoEnv(defaultS2Config(overrides as Partial<S2EnvConfig>), seed);
  }
}
