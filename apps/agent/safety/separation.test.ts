/**
 * `checkSeparation` skips a neighbour whose clearance cannot beat the worst so far
 * (`clearanceLowerBound`); these check the skip changes nothing: the result equals the full scan
 * (every neighbour's path integrated), and the bound never exceeds a neighbour's clearance.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRng, type Rng } from '../../../core/rng.ts';
import { brakingSpeeds, checkSeparation, clearanceLowerBound, pathClearance, type Neighbour, type SeparationCheck } from './separation.ts';
import { norm, unit, type Vec3 } from './vec.ts';

const vec = (rng: Rng, r: number): Vec3 => ({ x: rng.uniform(-r, r), y: rng.uniform(-r, r), z: rng.uniform(-r / 10, r / 10) });

function neighbours(rng: Rng, n: number, spreadM: number): Neighbour[] {
  return Array.from({ length: n }, (_, i) => ({ id: `uav-${i + 1}`, pos: vec(rng, spreadM), vel: rng.next() < 0.2 ? { x: 0, y: 0, z: 0 } : vec(rng, 12), radiusM: rng.uniform(3, 8), growthMS: rng.next() < 0.5 ? 0 : rng.uniform(0, 2), stale: false }));
}

/** The scan without the skip: every neighbour's path integrated (the function before the bound). */
function fullScan(p: Vec3, v: Vec3, nbs: readonly Neighbour[], aMax: number, dt: number, horizonS: number): SeparationCheck {
  const res: SeparationCheck = { clearanceM: Infinity };
  const dir = unit(v);
  const speeds = brakingSpeeds(norm(v), aMax, dt);
  for (const nb of nbs) {
    const { best, bestR } = pathClearance(p, dir, speeds, nb, dt, horizonS);
    const c = best - nb.radiusM;
    if (c < res.clearanceM) Object.assign(res, { clearanceM: c, worstId: nb.id, awayDir: norm(bestR) > 0 ? unit(bestR) : unit({ x: p.x - nb.pos.x, y: p.y - nb.pos.y, z: p.z - nb.pos.z }) });
  }
  return res;
}

test('with the skip, checkSeparation returns exactly the full scan (clearance, worst neighbour, away direction) over 3 000 random fleets', () => {
  const rng = createRng(21);
  let skippedSome = false;
  for (let k = 0; k < 3000; k++) {
    const spread = [20, 200, 2000][k % 3]!;
    const nbs = neighbours(rng, rng.int(0, 40), spread);
    const p = vec(rng, spread / 2);
    const v = rng.next() < 0.1 ? { x: 0, y: 0, z: 0 } : vec(rng, 15);
    const [aMax, dt, horizonS] = [rng.uniform(2, 6), [0.05, 0.1][k % 2]!, rng.next() < 0.05 ? 0 : rng.uniform(0.5, 4)];
    assert.deepEqual(checkSeparation(p, v, nbs, aMax, dt, horizonS), fullScan(p, v, nbs, aMax, dt, horizonS));
    const speeds = brakingSpeeds(norm(v), aMax, dt);
    const reach = { ownM: speeds.reduce((a, u) => a + Math.abs(u) * dt, 0), tS: Math.max(horizonS, speeds.length * dt) };
    for (const nb of nbs) {
      const c = pathClearance(p, unit(v), speeds, nb, dt, horizonS).best - nb.radiusM;
      const lb = clearanceLowerBound(p, nb, reach);
      assert.ok(lb <= c + 1e-9, `bound ${lb} above clearance ${c}`);
      if (lb > 50) skippedSome = true;
    }
  }
  assert.ok(skippedSome, 'far neighbours were there to skip');
});
