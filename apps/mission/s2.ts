/**
 * An S2 mission (issue 18, SPEC §5.4): video streams with D2D offloading and transcoding, decided
 * each slot by a trained S2 actor on the controller (TD3 by default; `--policy ddpg|ppo` for the
 * baselines). Everything comes from the model: its training env (`defaultS2Config` + the model's
 * overrides) gives the devices' layout, the segments' sizes, the UAVs' starts, box, v_max, CPUs,
 * prices and E_r. The SITL vehicles stand under the env's starts and climb to them before slot 0;
 * the agents' envelope is checked to contain the env's box. The same actor is flown in the env
 * first (s2-eval.ts), and the summary sets the revenue flown against that prediction.
 */
import { fail, ok, type Result } from '../../core/result.ts';
import { defaultS2Config, type S2EnvConfig } from '../../sim/envs/s2-video.ts';
import { s2Scenario, S2WorldService, s2Devices } from '../../sim/world/s2/index.ts';
import { uavProfile } from '../../sim/world/index.ts';
import type { GeoOrigin, Scenario } from '../../sim/world/index.ts';
import type { Clock } from '../../core/clock.ts';
import type { Bus } from '../common/bus.ts';
import type { Logger } from '../common/log.ts';
import type { EnvelopeConfigInput } from '../agent/safety/index.ts';
import { profileEnvelope } from '../agent/profile/index.ts';
import { loadS2Actor, type S2Actor, type S2DriverConfig } from '../controller/s2/index.ts';
import type { TrajectoryConfig, Vec3 } from '../controller/trajectory.ts';
import { envelopeMissesBox, POLICY_CEILING_HEADROOM_M } from './policy.ts';

/** The trained S2 actors: TD3 (default) and the two baselines of S2's comparison. */
export const S2_POLICIES = { td3: 'models/s2-td3.onnx', ddpg: 'models/baselines/s2-ddpg.onnx', ppo: 'models/baselines/s2-ppo.onnx' } as const;
export type S2PolicyName = keyof typeof S2_POLICIES;

export interface S2MissionSetup {
  /** `td3`, `ddpg`, `ppo` or the file given. */
  policy: string;
  actor: S2Actor;
  env: S2EnvConfig;
  scenario: Scenario;
  driver: S2DriverConfig;
  trajectory: Extract<TrajectoryConfig, { source: 'video' }>;
  homeOffsetsM: { northM: number; eastM: number }[];
  envelope: Partial<EnvelopeConfigInput>;
  /** Longest wait after the last slot for the last parts before the books close, slots (300: at a low f_i or f_j the devices' backlog grows by seconds per slot). */
  drainSlots: number;
  startWorld(bus: Bus, clock: Clock, log: Logger): S2WorldService;
}

export async function prepareS2Mission(policy: string, o: { seed: number; slots?: number; origin?: GeoOrigin }): Promise<Result<S2MissionSetup, 'model_missing' | 'model_invalid' | 'bad_scenario' | 'bad_envelope'>> {
  const file = (S2_POLICIES as Record<string, string>)[policy] ?? policy;
  const a = await loadS2Actor(file);
  if (!a.ok) return a.reason === 'model_missing' ? fail('model_missing', `no S2 actor at ${file}: give td3, ddpg, ppo or an S2 actor's .onnx file`) : a;
  const actor = a.value;
  const fail2 = async <E extends 'model_invalid' | 'bad_scenario' | 'bad_envelope'>(e: E, why: string) => {
    await actor.release();
    return fail(e, why);
  };
  const overrides = (actor.meta.training as { envOverrides?: unknown }).envOverrides ?? {};
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) return fail2('model_invalid', `${file}: uavmec.training.envOverrides is not a JSON object`);
  const env = defaultS2Config(overrides as Partial<S2EnvConfig>);
  if (actor.meta.obsSpec.names.length !== 3 * env.busy + 1 + 4 * env.uavs) return fail2('model_invalid', `${file} observes ${actor.meta.obsSpec.names.length} columns; its env has ${env.busy} busy devices and ${env.uavs} UAVs`);
  const slots = o.slots ?? env.horizon;
  const sc = s2Scenario(env, { seed: o.seed, slots, layoutSeed: env.layoutSeed, ...(o.origin ? { origin: o.origin } : {}) });
  if (!sc.ok) return fail2('bad_scenario', `the model's env does not make a mission: ${sc.detail ?? sc.reason}`);
  const scenario = sc.value;
  const starts = scenario.uavStarts!;
  const envelope: Partial<EnvelopeConfigInput> = { altitude: { minAltM: 0, maxAltM: scenario.altMaxM + POLICY_CEILING_HEADROOM_M }, maxSpeedMS: env.vMaxMS };
  for (let id = 1; id <= scenario.uavs; id++) {
    const bad = envelopeMissesBox({ ...profileEnvelope(uavProfile(scenario, id, 0), id), ...envelope }, scenario);
    if (bad) return fail2('bad_envelope', `UAV ${id}'s safety envelope does not contain the env's box: ${bad}`);
  }
  const devices = s2Devices({ model: env, layoutSeed: env.layoutSeed });
  const name = (S2_POLICIES as Record<string, string>)[policy] ? policy : actor.meta.algo;
  const worldCfg = { model: env, layoutSeed: env.layoutSeed, seed: o.seed, slots };
  return ok({
    policy: name, actor, env, scenario,
    driver: {
      model: env, penalties: env, planner: `s2-${name}`, algo: actor.meta.algo, modelSha256: actor.sha256,
      busyIds: devices.filter((d) => d.role === 'busy').map((d) => d.userId), idleIds: devices.filter((d) => d.role === 'idle').map((d) => d.userId),
      starts: starts.map((p) => [p[0], p[1], p[2]]), homes: starts.map((p) => [p[0], p[1], 0]),
    },
    trajectory: { source: 'video', starts: Object.fromEntries(starts.map((p, i) => [i + 1, [p[0], p[1], p[2]] as Vec3])), startToleranceM: 3 },
    homeOffsetsM: starts.map((p) => ({ northM: p[1], eastM: p[0] })),
    envelope,
    drainSlots: 300,
    startWorld: (bus, clock, log) => new S2WorldService(bus, clock, worldCfg, log),
  });
}
