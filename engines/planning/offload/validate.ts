/**
 * Validation of an offloading instance parsed from JSON (schema: docs/instance-schema.md).
 * Missing `params` fields take `defaultChannelParams()`.
 */
import { fail, ok, type Result } from '../../../core/result.ts';
import { arr, InputError, numIn, obj, optNum, str, uniqueIds, vec3 } from '../shared/check.ts';
import { defaultChannelParams } from './plan.ts';
import type { ChannelParams, OffloadInstance, OffloadUav, OffloadUser } from './types.ts';

export function validateOffloadInstance(raw: unknown, path = 'instance'): Result<OffloadInstance, 'invalid-instance'> {
  try {
    return ok(checkOffloadInstance(raw, path));
  } catch (e) {
    if (e instanceof InputError) return fail('invalid-instance', e.message);
    throw e;
  }
}

/** Throwing form (InputError) for composition inside other validators. */
export function checkOffloadInstance(raw: unknown, path = 'instance'): OffloadInstance {
  const o = obj(raw, path);
  const users = arr(o.users, `${path}.users`).map((u, i): OffloadUser => {
    const p = `${path}.users[${i}]`;
    const x = obj(u, p);
    const user: OffloadUser = {
      id: str(x.id, `${p}.id`),
      pos: vec3(x.pos, `${p}.pos`),
      dataBits: numIn(x.dataBits, `${p}.dataBits`, { gt: 0 }),
      cyclesPerBit: numIn(x.cyclesPerBit, `${p}.cyclesPerBit`, { gt: 0 }),
      fLocalHz: numIn(x.fLocalHz, `${p}.fLocalHz`, { gt: 0 }),
      txPowerW: numIn(x.txPowerW, `${p}.txPowerW`, { gt: 0 }),
    };
    if (x.deadlineS !== undefined) user.deadlineS = numIn(x.deadlineS, `${p}.deadlineS`, { gt: 0 });
    return user;
  });
  const uavs = arr(o.uavs, `${path}.uavs`).map((u, k): OffloadUav => {
    const p = `${path}.uavs[${k}]`;
    const x = obj(u, p);
    return {
      id: str(x.id, `${p}.id`),
      pos: vec3(x.pos, `${p}.pos`),
      bandwidthHz: numIn(x.bandwidthHz, `${p}.bandwidthHz`, { min: 0 }),
      cpuHz: numIn(x.cpuHz, `${p}.cpuHz`, { min: 0 }),
      txPowerW: numIn(x.txPowerW, `${p}.txPowerW`, { gt: 0 }),
    };
  });
  uniqueIds(users.map((u) => u.id), `${path}.users`);
  uniqueIds(uavs.map((u) => u.id), `${path}.uavs`);
  const d = defaultChannelParams();
  const pp = o.params === undefined ? {} : obj(o.params, `${path}.params`);
  const q = `${path}.params`;
  const known = new Set(Object.keys(d));
  for (const key of Object.keys(pp)) if (!known.has(key)) throw new InputError(`${q}.${key}: unknown field (expected one of ${[...known].join(', ')})`);
  const params: ChannelParams = {
    carrierHz: optNum(pp.carrierHz, `${q}.carrierHz`, d.carrierHz, { gt: 0 }),
    losA: optNum(pp.losA, `${q}.losA`, d.losA, { gt: 0 }),
    losB: optNum(pp.losB, `${q}.losB`, d.losB, { gt: 0 }),
    etaLosDb: optNum(pp.etaLosDb, `${q}.etaLosDb`, d.etaLosDb, { min: 0 }),
    etaNlosDb: optNum(pp.etaNlosDb, `${q}.etaNlosDb`, d.etaNlosDb, { min: 0 }),
    noiseG2AW: optNum(pp.noiseG2AW, `${q}.noiseG2AW`, d.noiseG2AW, { gt: 0 }),
    noiseA2AW: optNum(pp.noiseA2AW, `${q}.noiseA2AW`, d.noiseA2AW, { gt: 0 }),
    thetaMaxDeg: optNum(pp.thetaMaxDeg, `${q}.thetaMaxDeg`, d.thetaMaxDeg, { gt: 0, max: 89.9 }),
    a2aBandwidthHz: optNum(pp.a2aBandwidthHz, `${q}.a2aBandwidthHz`, d.a2aBandwidthHz, { min: 0 }),
  };
  return { users, uavs, params };
}
