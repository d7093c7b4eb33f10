/**
 * A mission flown by the trained S3 policy (issue 7 §4): everything the mission needs is derived
 * from the model (policy-model.ts): the scenario is its training env's world (sim/world
 * `s3Scenario`), the SITL vehicles stand at the env's start positions, the controller sends
 * FLIGHT_MODE_POLICY plans naming each UAV's own actor, and the agents' safety envelope is checked
 * to contain the env's box. After the flight, `comparePolicyRun` sets what flew against what the
 * same actors do in the env (policy-eval.ts).
 */
import { fail, ok, type Result } from '../../core/result.ts';
import { resolveEnvelopeConfig, type EnvelopeConfigInput } from '../agent/safety/index.ts';
import { profileEnvelope } from '../agent/profile/index.ts';
import type { TrajectoryConfig, Vec3 } from '../controller/trajectory.ts';
import type { SlotMetrics } from '../controller/metrics.ts';
import { s3Scenario, uavProfile, type GeoOrigin, type Scenario } from '../../sim/world/index.ts';
import type { EnvPrediction } from './policy-eval.ts';
import { loadPolicyModel, type PolicyModel, type PolicyModelError } from './policy-model.ts';

/**
 * Room above the env's ceiling H_max in the envelope's altitude band, m. [choice] 5 m: the band
 * must contain the env box with the envelope's own margin (1 m) and a vertical braking distance
 * (v²/2a ≈ 3 m at 2.5 m/s and 1 m/s²), so the envelope never acts inside the box the policy was
 * trained in; the agent keeps the policy in that box itself (PolicyDriver).
 */
export const POLICY_CEILING_HEADROOM_M = 5;

export interface PolicyMissionSetup {
  model: PolicyModel;
  scenario: Scenario;
  trajectory: Extract<TrajectoryConfig, { source: 'policy' }>;
  /** SITL home of vehicle i (at its start's x, y). */
  homeOffsetsM: { northM: number; eastM: number }[];
  /** The agents' envelope overrides (see `POLICY_CEILING_HEADROOM_M`). */
  envelope: Partial<EnvelopeConfigInput>;
}

/**
 * Slots a policy mission flies unless told (`--slots`). [choice] 100: the oracle has arrived by
 * slot 26–35, so most of the mission shows where a trajectory earns its DOR (the hover) rather
 * than the transit from the corners, and `npm start` stays under a minute at 4×. The previous
 * default flew 50 slots (7.13 DOR per slot flown); `--slots 50` compares like for like. The S3
 * protocol trains on 200-slot episodes (apps/trainer/protocol.ts).
 */
export const POLICY_MISSION_DEFAULT_SLOTS = 100;

/**
 * Loads the model and derives the mission (`slots` default: `POLICY_MISSION_DEFAULT_SLOTS`, at
 * most the training env's episode length). [choice] The SITL vehicles' homes are the env's start
 * (x, y), so the launch is a vertical climb to the start altitude: no transit flight before slot 0
 * whose paths could cross (four UAVs from a spawn line to four corners would), and RTL lands each
 * UAV where it took off.
 */
export function preparePolicyMission(modelPath: string, o: { seed: number; slots?: number; origin?: GeoOrigin }): Result<PolicyMissionSetup, PolicyModelError | 'bad_scenario' | 'bad_envelope'> {
  const m = loadPolicyModel(modelPath);
  if (!m.ok) return m;
  const model = m.value;
  const sc = s3Scenario(model.env, { seed: o.seed, slots: o.slots ?? Math.min(POLICY_MISSION_DEFAULT_SLOTS, model.env.horizon), ...(o.origin ? { origin: o.origin } : {}) });
  if (!sc.ok) return fail('bad_scenario', `the model's env does not make a mission: ${sc.detail ?? sc.reason}`);
  const scenario = sc.value;
  const starts = scenario.uavStarts!;
  const envelope: Partial<EnvelopeConfigInput> = { altitude: { minAltM: 0, maxAltM: scenario.altMaxM + POLICY_CEILING_HEADROOM_M } };
  for (let id = 1; id <= scenario.uavs; id++) {
    const bad = envelopeMissesBox({ ...profileEnvelope(uavProfile(scenario, id, 0), id), ...envelope }, scenario);
    if (bad) return fail('bad_envelope', `UAV ${id}'s safety envelope does not contain the env's box: ${bad}`);
  }
  return ok({
    model,
    scenario,
    trajectory: {
      source: 'policy',
      models: Object.fromEntries(model.actors.map((a) => [a.uavId, a.sha256])),
      starts: Object.fromEntries(starts.map((p, i) => [i + 1, [p[0], p[1], p[2]] as Vec3])),
    },
    homeOffsetsM: starts.map((p) => ({ northM: p[1], eastM: p[0] })),
    envelope,
  });
}

/** Why the envelope's usable region (fence and band less their margins) misses the scenario's box, if it does. */
export function envelopeMissesBox(input: EnvelopeConfigInput, s: Scenario): string | undefined {
  const r = resolveEnvelopeConfig(input);
  if (!r.ok) return r.detail ?? r.reason;
  const c = r.value;
  if (c.fence.kind !== 'box') return 'the fence is not a box';
  const [n0, n1] = c.fence.northM;
  const [e0, e1] = c.fence.eastM;
  const m = c.fenceMarginM;
  if (!(n0 + m <= 0 && e0 + m <= 0 && n1 - m >= s.areaM && e1 - m >= s.areaM)) return `fence ${JSON.stringify(c.fence)} less its ${m} m margin does not hold the ${s.areaM} m area`;
  if (!(c.altitude.minAltM + c.altMarginM <= s.altMinM && c.altitude.maxAltM - c.altMarginM >= s.altMaxM)) {
    return `altitude band [${c.altitude.minAltM}, ${c.altitude.maxAltM}] m less its ${c.altMarginM} m margin does not hold [${s.altMinM}, ${s.altMaxM}] m`;
  }
  return undefined;
}

export interface PolicyComparisonRow {
  slot: number;
  /** DOR achieved in flight (completions). */
  flownDor: number;
  /** The controller's CD+KKT DOR for the positions flown and the slot's tasks. */
  plannedDor: number;
  /** The env's DOR after as many moves as the UAVs had flown (env slot k − 1); null for slot 0. */
  envDor: number | null;
  /** The oracle's DOR in the env after as many moves (env slot k − 1); null for slot 0. */
  oracleDor: number | null;
  /** Mean distance between each UAV's flown position and its env position after k moves, m. */
  positionErrorM: number | null;
  /** Where the UAVs were when the slot was planned (index = UAV id − 1; null = not known), m. */
  flownPositions: (Vec3 | null)[];
  /** Where the same actors had taken them in the env after k moves (first episode), m. */
  envPositions: Vec3[] | null;
}

export interface PolicyRunSummary {
  trajectory: 'policy';
  model: {
    base: string; algo: string; env: string; gitCommit: string; envOverrides: Record<string, unknown>;
    envHash: PolicyModel['envHash'];
    actors: { uavId: number; file: string; sha256: string }[];
  };
  env: Omit<EnvPrediction, 'positions' | 'oracle'> & { thetaMaxDeg: number };
  /** The oracle (straight flight to the best static placement found, then hover) in the env. */
  oracle: { arrivalSlots: number; placementDorPerSlot: number; meanDor: number };
  /**
   * Slot k of the mission is planned k slots after the policy took over (slot 0's plan), i.e.
   * after k moves; the env's slot k is after k + 1 moves. Rows align on moves.
   */
  rows: PolicyComparisonRow[];
  /** Means over slots 1 … n − 1 (those with an env counterpart). */
  meanFlownDor: number;
  meanPlannedDor: number;
  meanEnvDor: number;
  /** The oracle's mean DOR over the same slots; `flownVsOracle` = meanFlownDor / meanOracleDor. */
  meanOracleDor: number;
  flownVsOracle: number;
  meanPositionErrorM: number;
  maxPositionErrorM: number;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

/** Flight vs env, slot by slot. Pure. */
export function comparePolicyRun(setup: Pick<PolicyMissionSetup, 'model'>, env: EnvPrediction, slots: readonly SlotMetrics[], flown: readonly (ReadonlyMap<number, Vec3> | undefined)[]): PolicyRunSummary {
  const rows: PolicyComparisonRow[] = slots.map((m, k) => {
    const pos = flown[k];
    const ref = env.positions[k];
    let err: number | null = null;
    if (pos && ref) {
      const d = ref.map((p, i) => {
        const q = pos.get(i + 1);
        return q ? Math.hypot(q[0] - p[0], q[1] - p[1], q[2] - p[2]) : NaN;
      }).filter(Number.isFinite);
      err = d.length ? mean(d) : null;
    }
    const n = setup.model.actors.length;
    const round = (p: readonly number[]): Vec3 => [+p[0]!.toFixed(2), +p[1]!.toFixed(2), +p[2]!.toFixed(2)];
    return {
      slot: k, flownDor: m.dor, plannedDor: m.predictedDor, envDor: k >= 1 ? (env.perSlotDor[k - 1] ?? null) : null,
      oracleDor: k >= 1 ? (env.oracle.perSlotDor[k - 1] ?? null) : null, positionErrorM: err,
      flownPositions: Array.from({ length: n }, (_, i) => (pos?.get(i + 1) ? round(pos.get(i + 1)!) : null)), envPositions: ref ? ref.map(round) : null,
    };
  });
  const aligned = rows.filter((r) => r.envDor !== null);
  const errs = rows.map((r) => r.positionErrorM).filter((e): e is number => e !== null);
  const md = setup.model;
  const { positions: _positions, oracle, ...envStats } = env;
  const meanFlownDor = mean(aligned.map((r) => r.flownDor));
  const meanOracleDor = mean(aligned.map((r) => r.oracleDor ?? NaN));
  return {
    trajectory: 'policy',
    model: {
      base: md.base, algo: md.meta.algo, env: md.meta.env, gitCommit: md.meta.gitCommit, envOverrides: md.envOverrides, envHash: md.envHash,
      actors: md.actors.map((a) => ({ uavId: a.uavId, file: a.file, sha256: a.sha256 })),
    },
    env: { ...envStats, thetaMaxDeg: md.env.thetaMaxDeg },
    oracle: { arrivalSlots: oracle.arrivalSlots, placementDorPerSlot: oracle.placementDorPerSlot, meanDor: oracle.meanDor },
    rows,
    meanFlownDor,
    meanPlannedDor: mean(aligned.map((r) => r.plannedDor)),
    meanEnvDor: mean(aligned.map((r) => r.envDor!)),
    meanOracleDor,
    flownVsOracle: meanFlownDor / meanOracleDor,
    meanPositionErrorM: mean(errs),
    maxPositionErrorM: errs.length ? Math.max(...errs) : NaN,
  };
}
