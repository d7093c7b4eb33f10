/**
 * The mission scenario of an S3 trajectory environment (SPEC §5.5; sim/envs/s3-trajectory.ts):
 * what a trained S3 policy flies in SITL must be the world it was trained in, so every field is
 * derived from the env config (`defaultS3Config` + the model's `envOverrides`), none hand-copied.
 *
 * - users: the env's fixed layout (`S3TrajectoryEnv.userSites()`: position and local CPU), static;
 * - tasks: one per user per slot, D ∈ dataBits, C ∈ cyclesPerBit (SPEC §5.5: 100–150 kb,
 *   500–1000 cycles/bit), user power `userTxPowerW`;
 * - UAVs: CPU, bandwidth, power of the env; the slot is the env's `slotS`; the area, the altitude
 *   band and the coverage angle θ_max (channel) are the env's;
 * - starts: the env's start positions (`reset()`: the area corners at H_min by default).
 */
import { fail, ok, type Result } from '../../core/result.ts';
import { defaultChannelParams } from '../../engines/planning/offload/index.ts';
import { S3TrajectoryEnv, type S3EnvConfig } from '../envs/s3-trajectory.ts';
import { defaultScenario, validateScenario, type GeoOrigin, type Scenario } from './scenario.ts';

export interface S3ScenarioOptions {
  seed: number;
  slots: number;
  origin?: GeoOrigin;
}

/** The S3 env's world as a mission scenario (see the file comment). */
export function s3Scenario(c: S3EnvConfig, o: S3ScenarioOptions): Result<Scenario, 'unsupported_env' | 'invalid_scenario'> {
  if (c.userLayout !== 'fixed') return fail('unsupported_env', `the env draws a new user layout every episode (userLayout '${c.userLayout}'); a mission needs one fixed layout`);
  const env = new S3TrajectoryEnv(c, o.seed);
  const sites = env.userSites();
  const starts = env.reset();
  const { obsLow, obsHigh } = env.spec.space;
  const base = defaultScenario();
  const s = defaultScenario({
    seed: o.seed,
    uavs: c.uavs,
    users: sites.length,
    slots: o.slots,
    slotS: c.slotS,
    areaM: c.areaM,
    origin: o.origin ?? base.origin,
    altMinM: obsLow[2]!,
    altMaxM: obsHigh[2]!,
    cruiseAltM: Math.min(...starts.map((p) => p[2]!)),
    // The env's speed bound: v per axis, √3·v on the diagonal (S3's 1.73 m/s).
    uavSpeedMS: c.axisSpeedMS * Math.sqrt(3),
    userSpeedMS: 0,
    userSites: sites.map((u) => ({ pos: u.pos, localCpuHz: u.fLocalHz })),
    uavStarts: starts.map((p) => [p[0]!, p[1]!, p[2]!]),
    task: { dataBits: [...c.dataBits], cyclesPerBit: [...c.cyclesPerBit], localCpuHz: [...c.userCpuHz], txPowerW: c.userTxPowerW, deadlineS: 0 },
    uav: { ...base.uav, cpuHz: c.uavCpuHz, bandwidthHz: c.uavBandwidthHz, txPowerW: c.uavTxPowerW },
    channel: { ...defaultChannelParams(), thetaMaxDeg: c.thetaMaxDeg },
    taskModel: 'independent',
  });
  const bad = validateScenario(s);
  return bad ? fail('invalid_scenario', bad) : ok(s);
}
