/**
 * Validation of a coalition-game instance parsed from JSON (schema: docs/instance-schema.md).
 * Missing `params` fields take `defaultCoalitionParams()`; errors name the field path.
 */
import { fail, ok, type Result } from '../../../core/result.ts';
import { arr, InputError, numIn, obj, optNum, str, uniqueIds, vec3 } from '../shared/check.ts';
import { defaultCoalitionParams } from './plan.ts';
import type { CoalitionInstance, CoalitionMed, CoalitionParams, CoalitionUav } from './types.ts';

export function validateCoalitionInstance(raw: unknown, path = 'instance'): Result<CoalitionInstance, 'invalid-instance'> {
  try {
    return ok(checkCoalitionInstance(raw, path));
  } catch (e) {
    if (e instanceof InputError) return fail('invalid-instance', e.message);
    throw e;
  }
}

/** Throwing form (InputError) for composition inside other validators. */
export function checkCoalitionInstance(raw: unknown, path = 'instance'): CoalitionInstance {
  const o = obj(raw, path);
  const meds = arr(o.meds, `${path}.meds`).map((m, i): CoalitionMed => {
    const p = `${path}.meds[${i}]`;
    const x = obj(m, p);
    return {
      id: str(x.id, `${p}.id`),
      pos: vec3(x.pos, `${p}.pos`),
      taskBits: numIn(x.taskBits, `${p}.taskBits`, { gt: 0 }),
      cyclesPerBit: numIn(x.cyclesPerBit, `${p}.cyclesPerBit`, { gt: 0 }),
      txPowerW: numIn(x.txPowerW, `${p}.txPowerW`, { gt: 0 }),
      deadlineS: numIn(x.deadlineS, `${p}.deadlineS`, { gt: 0 }),
    };
  });
  const uavs = arr(o.uavs, `${path}.uavs`).map((u, j): CoalitionUav => {
    const p = `${path}.uavs[${j}]`;
    const x = obj(u, p);
    return {
      id: str(x.id, `${p}.id`),
      pos: vec3(x.pos, `${p}.pos`),
      bandwidthHz: numIn(x.bandwidthHz, `${p}.bandwidthHz`, { min: 0 }),
      cpuHz: numIn(x.cpuHz, `${p}.cpuHz`, { gt: 0 }),
      cacheBits: numIn(x.cacheBits, `${p}.cacheBits`, { min: 0 }),
      hoverW: numIn(x.hoverW, `${p}.hoverW`, { min: 0 }),
      kappa: numIn(x.kappa, `${p}.kappa`, { min: 0 }),
    };
  });
  uniqueIds(meds.map((m) => m.id), `${path}.meds`);
  uniqueIds(uavs.map((u) => u.id), `${path}.uavs`);
  uavs.forEach((u, j) =>
    meds.forEach((m, i) => {
      if (u.pos[0] === m.pos[0] && u.pos[1] === m.pos[1] && u.pos[2] === m.pos[2]) throw new InputError(`${path}.uavs[${j}].pos: coincides with meds[${i}].pos (distance 0 makes the channel gain infinite)`);
    }),
  );
  const d = defaultCoalitionParams();
  const pp = o.params === undefined ? {} : obj(o.params, `${path}.params`);
  const q = `${path}.params`;
  const known = new Set(Object.keys(d));
  for (const key of Object.keys(pp)) if (!known.has(key)) throw new InputError(`${q}.${key}: unknown field (expected one of ${[...known].join(', ')})`);
  const params: CoalitionParams = {
    phi: optNum(pp.phi, `${q}.phi`, d.phi, { gt: 0 }),
    epsilon: optNum(pp.epsilon, `${q}.epsilon`, d.epsilon, { min: 0 }),
    alpha: optNum(pp.alpha, `${q}.alpha`, d.alpha, { min: 0 }),
    beta: optNum(pp.beta, `${q}.beta`, d.beta, { min: 0 }),
    revenueUnitBits: optNum(pp.revenueUnitBits, `${q}.revenueUnitBits`, d.revenueUnitBits, { gt: 0 }),
    coalitionBandwidthHz: optNum(pp.coalitionBandwidthHz, `${q}.coalitionBandwidthHz`, d.coalitionBandwidthHz, { gt: 0 }),
    noiseW: optNum(pp.noiseW, `${q}.noiseW`, d.noiseW, { gt: 0 }),
    pathLossExp: optNum(pp.pathLossExp, `${q}.pathLossExp`, d.pathLossExp, { gt: 0 }),
  };
  const inst: CoalitionInstance = { meds, uavs, params };
  if (o.fading !== undefined) {
    const rows = arr(o.fading, `${path}.fading`);
    if (rows.length !== meds.length) throw new InputError(`${path}.fading: expected ${meds.length} row(s) (one per MED), got ${rows.length}`);
    inst.fading = rows.map((r, i) => {
      const row = arr(r, `${path}.fading[${i}]`);
      if (row.length !== uavs.length) throw new InputError(`${path}.fading[${i}]: expected ${uavs.length} value(s) (one per UAV), got ${row.length}`);
      return row.map((v, j) => numIn(v, `${path}.fading[${i}][${j}]`, { min: 0 }));
    });
  }
  return inst;
}
