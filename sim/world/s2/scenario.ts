/**
 * The mission scenario of an S2 world (SPEC §5.4 setting, the learning env's [choice]s): its 200 m
 * area, 100–200 m band, 5 UAVs at the env's starts on the south edge, 20 static devices at the env's
 * layout (busy 1…10, idle 11…20), 1 s slots, f_k,max 30 GHz, B1 15 MHz. The UAVs' physical battery
 * stays the scenario default: S2's E_r = 20 kJ is the S2 budget the controller accounts from slot 0
 * (the env starts airborne; a real quadrotor needs more than that to climb to 100 m and back).
 */
import { fail, ok, type Result } from '../../../core/result.ts';
import { s2Starts, type S2Model } from '../../../engines/video/index.ts';
import { defaultScenario, validateScenario, type GeoOrigin, type Scenario } from '../scenario.ts';
import { s2Devices } from './devices.ts';

export function s2Scenario(m: S2Model & { dMinM: number }, o: { seed: number; slots: number; layoutSeed: number; origin?: GeoOrigin }): Result<Scenario, 'invalid_scenario'> {
  const base = defaultScenario();
  const starts = s2Starts(m);
  const s = defaultScenario({
    seed: o.seed, uavs: m.uavs, users: m.busy + m.idle, slots: o.slots, slotS: m.slotS, areaM: m.areaM, origin: o.origin ?? base.origin,
    altMinM: m.altitudeM[0], altMaxM: m.altitudeM[1], cruiseAltM: m.altitudeM[0], uavSpeedMS: m.vMaxMS, userSpeedMS: 0, hotspots: 1,
    userSites: s2Devices({ model: m, layoutSeed: o.layoutSeed }).map((d) => ({ pos: d.pos, localCpuHz: d.role === 'busy' ? m.fiMaxHz : m.fjMaxHz })),
    uavStarts: starts,
    task: { dataBits: [...m.dataBits], cyclesPerBit: [...m.cyclesPerBit], localCpuHz: [m.fiMaxHz, m.fiMaxHz], txPowerW: m.pdMaxW, deadlineS: 0 },
    uav: { ...base.uav, cpuHz: m.fkMaxHz, bandwidthHz: m.b1Hz },
    taskModel: 'independent',
  });
  const bad = validateScenario(s);
  return bad ? fail('invalid_scenario', bad) : ok(s);
}
