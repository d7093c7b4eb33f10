/**
 * `uavmec mission --system s0` (issue 15): S0's system flown end to end (SPEC §5.6, scaled in
 * time). The SITL vehicles stand at the S0 stations spread over 1 km² and climb to 800 m; each
 * agent gets its UAV's own resources (f_max, b_max, cache, κ) and the compute it really delivers
 * (η_j, unknown to the HAP); the world is the MEDs (sim/world/s0); the controller runs the S0
 * coalition game (apps/controller/s0) with the optional generative warm start (onnxruntime).
 */
import { defaultCoalitionParams, type CoalitionAlgo } from '../../engines/planning/coalition/index.ts';
import { fail, ok, type Result } from '../../core/result.ts';
import { defaultScenario, uavProfile, type Scenario } from '../../sim/world/index.ts';
import { s0Setting, validateS0Setting, type S0Setting, type S0SettingOptions, type S0WorldStats } from '../../sim/world/s0/index.ts';
import type { ControllerConfig } from '../controller/service/index.ts';
import { WarmStartModel, type S0Controller, type S0ControllerConfig, type S0SlotMetrics, type S0Totals } from '../controller/s0/index.ts';
import type { CreateAgentOptions } from '../agent/create.ts';

export const DEFAULT_WARM_START = 'models/coalition-warmstart.onnx';

/** Climb and descent the S0 fleet flies with (800 m each way), m/s. */
export const S0_CLIMB_MS = 8;
export const S0_DESCENT_MS = 5;

export interface S0MissionSetup {
  setting: S0Setting;
  /** The scenario the SITL fleet, the agents and the recorder run with (area, band, slots). */
  scenario: Scenario;
  planner: CoalitionAlgo;
  /** The warm-start ONNX model, or none (formation from singletons). */
  warmStart?: string;
}

export function prepareS0Mission(o: S0SettingOptions & { planner?: CoalitionAlgo; warmStart?: string }): Result<S0MissionSetup, 'invalid'> {
  const setting = s0Setting(o);
  const bad = validateS0Setting(setting);
  if (bad) return fail('invalid', bad);
  const scenario = defaultScenario({
    seed: setting.seed, uavs: setting.uavs.length, users: setting.meds.length, slots: setting.slots, slotS: setting.slotS, areaM: setting.areaM,
    altMinM: 10, altMaxM: setting.altM + 30, cruiseAltM: setting.altM, uavSpeedMS: 8, hotspots: 1, userSpeedMS: 0,
    uav: { cpuHz: 10e9, bandwidthHz: 5e6, txPowerW: 0.1, cacheBits: 16e6, batteryJ: 400e3 },
    uavStarts: setting.uavs.map((u) => [...u.station]),
  });
  return ok({ setting, scenario, planner: o.planner ?? 'coalition', ...(o.warmStart ? { warmStart: o.warmStart } : {}) });
}

/**
 * SITL: vehicles at the stations; ArduCopter's climb and descent rates for the 800 m band. S0
 * flies ArduCopter only: PX4's return altitude (RTL_RETURN_ALT) stops at 150 m, below the band.
 */
export function s0SitlOptions(s: S0MissionSetup): { homeOffsetsM: { northM: number; eastM: number }[]; params: Record<string, number> } {
  return {
    homeOffsetsM: s.setting.uavs.map((u) => ({ northM: u.station[1], eastM: u.station[0] })),
    params: {
      WPNAV_SPEED_UP: S0_CLIMB_MS * 100, WPNAV_SPEED_DN: S0_DESCENT_MS * 100, LAND_SPEED_HIGH: S0_DESCENT_MS * 100,
    },
  };
}

/** The agent of UAV `uavId`: its own resources and real compute, an envelope that climbs at the S0 rate. */
export function s0AgentOptions(s: S0MissionSetup, uavId: number, nowUs: number): Pick<CreateAgentOptions, 'profile' | 'envelope' | 'computeEfficiency'> {
  const u = s.setting.uavs[uavId - 1]!;
  const p = uavProfile(s.scenario, uavId, nowUs);
  return {
    profile: { ...p, compute: { cpu_hz: u.cpuHz, cache_bits: u.cacheBits, kappa: u.kappa }, radio: { ...p.radio!, bandwidth_hz: u.bandwidthHz } },
    computeEfficiency: u.computeEfficiency,
    envelope: { maxVerticalSpeedMS: S0_CLIMB_MS },
  };
}

/** The HAP's S0 planner configuration for a setup (pure; replay rebuilds it from the run's summary). */
export function s0PlannerConfig(s: Pick<S0MissionSetup, 'setting' | 'scenario' | 'planner'>): S0ControllerConfig {
  return {
    params: { ...defaultCoalitionParams(), noiseW: s.setting.noiseW, pathLossExp: s.setting.pathLossExp }, planner: s.planner, slotS: s.setting.slotS, speedMS: s.scenario.uavSpeedMS,
    fleet: Object.fromEntries(s.setting.uavs.map((u) => [u.id, { station: u.station, kappa: u.kappa, hoverW: u.hoverW }])),
  };
}

/** The setup a recorded S0 run flew (the setting is a pure function of its summary's options). */
export function s0SetupFromSummary(r: S0RunSummary): Result<S0MissionSetup, 'invalid'> {
  const st = r.setting;
  return prepareS0Mission({ seed: st.seed, uavs: st.uavs, meds: st.meds, slots: st.slots, slotS: st.slotS, planner: r.planner, ...(r.warmStart ? { warmStart: r.warmStart } : {}) });
}

/** The controller's S0 configuration (warm-start model loaded here); throws with one line when the model is unusable. */
export async function s0ControllerConfig(s: S0MissionSetup, hold: <T>(p: Promise<T>) => Promise<T>): Promise<NonNullable<ControllerConfig['s0']>> {
  let warmStart: WarmStartModel | undefined;
  if (s.warmStart) {
    const m = await hold(WarmStartModel.load(s.warmStart));
    if (!m.ok) throw new Error(`--warm-start: ${m.detail ?? m.reason}`);
    warmStart = m.value;
  }
  return { controller: s0PlannerConfig(s), ...(warmStart ? { warmStart } : {}), hold };
}

/** Clock seconds the launch may take: the climb to the hover altitude plus a minute. */
export const s0LaunchTimeoutS = (s: S0MissionSetup) => s.setting.altM / S0_CLIMB_MS + 60;
/** Clock seconds to wait for the fleet to land after the last slot. */
export const s0LandTimeoutS = (s: S0MissionSetup) => (s.setting.altM / S0_DESCENT_MS) * 1.5 + 60;

export interface S0RunSummary {
  planner: CoalitionAlgo;
  warmStart: string | null;
  setting: { seed: number; uavs: number; meds: number; slots: number; slotS: number; altM: number; areaM: number };
  /** Each UAV: resources, the compute it really delivered (η, unknown to the HAP) and what the twin learnt (ρ ≈ 1/η). */
  fleet: { uavId: number; cpuHz: number; bandwidthHz: number; cacheBits: number; kappa: number; computeEfficiency: number; learntRatio: number; sharesMeasured: number }[];
  slots: S0SlotMetrics[];
  totals: S0Totals;
  world: S0WorldStats;
}

export function s0Summary(s: S0MissionSetup, ctl: S0Controller, world: S0WorldStats): S0RunSummary {
  return {
    planner: s.planner, warmStart: s.warmStart ?? null,
    setting: { seed: s.setting.seed, uavs: s.setting.uavs.length, meds: s.setting.meds.length, slots: s.setting.slots, slotS: s.setting.slotS, altM: s.setting.altM, areaM: s.setting.areaM },
    fleet: s.setting.uavs.map((u) => {
      const f = ctl.fidelityOf(u.id);
      return { uavId: u.id, cpuHz: u.cpuHz, bandwidthHz: u.bandwidthHz, cacheBits: u.cacheBits, kappa: u.kappa, computeEfficiency: u.computeEfficiency, learntRatio: f.ratio, sharesMeasured: f.samples };
    }),
    slots: ctl.ledger.slots.filter(Boolean),
    totals: ctl.ledger.totals(),
    world: { ...world },
  };
}
