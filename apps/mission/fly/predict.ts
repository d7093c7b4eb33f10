/** Before the flight: what the env predicts for the same actors (policy: DOR; S2: revenue), for the summary to compare against. */
import { predictInEnv, type EnvPrediction } from '../policy-eval.ts';
import { predictS2InEnv, type S2Prediction } from '../s2-eval.ts';
import type { MissionCtx } from './context.ts';

export interface Predictions {
  policy?: EnvPrediction;
  s2?: S2Prediction;
}

export async function predict(c: MissionCtx): Promise<Predictions> {
  const { o, s } = c;
  const out: Predictions = {};
  if (o.policy) {
    const p = await c.held(predictInEnv(o.policy.model, { seed: s.seed, slots: s.slots, episodes: o.envEpisodes ?? 5 }));
    if (!p.ok) throw new Error(`policy model ${o.policy.model.base}: ${p.detail ?? p.reason}`);
    out.policy = p.value;
    c.phase(`policy ${o.policy.model.base} (${o.policy.model.meta.algo}, ${o.policy.model.actors.length} actors${o.policy.model.envHash.matches ? '' : ', env_hash differs from training'}): the env predicts DOR ${p.value.meanDor.toFixed(2)} per slot over ${s.slots} slots`);
  }
  if (o.video) {
    out.s2 = await c.held(predictS2InEnv(o.video, { seed: s.seed, slots: s.slots, episodes: o.envEpisodes ?? 5 }));
    c.phase(`S2 actor ${o.video.actor.file} (${o.video.actor.meta.algo}): the env predicts revenue Q ${out.s2.mean.Q.toFixed(1)} per slot over ${s.slots} slots`);
  }
  return out;
}
