import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../../core/rng.ts';
import { constrainStep, type EnvelopeMemory } from './envelope.ts';
import { resolveEnvelopeConfig } from './config.ts';
import type { Vec3 } from './vec.ts';

/**
 * Reciprocal encounters are NOT covered by the envelope's guarantee (that needs the neighbour's
 * motion to be as predicted); this measures how close they get: 2–4 UAVs, each running the
 * envelope and wishing to fly to another's start (head-on and crossing), 5 seeds × 100 scenarios.
 * Measured worst separation with d_min = 5 m: 5.06 m on these 500 scenarios, but 4.93 m on another
 * seed (300 scenarios from createRng(1)) — hence the test holds it only to ≥ 0.9·d_min.
 */
void test('cooperative encounters (measured, not guaranteed): UAVs running the envelope stay near d_min', () => {
  const r = resolveEnvelopeConfig({ fence: { kind: 'box', northM: [-200, 200], eastM: [-200, 200] }, altitude: { minAltM: 10, maxAltM: 60 }, maxSpeedMS: 10, maxVerticalSpeedMS: 3, maxAccelMS2: 4, dMinM: 5 });
  assert.ok(r.ok);
  const cfg = r.value;
  const T0 = 1_700_000_000_000_000;
  let worst = Infinity;
  for (let sc = 0; sc < 500; sc++) {
    const rng = createRng(1 + (sc % 5) * 1000 + Math.floor(sc / 5));
    const n = rng.int(2, 4);
    const pos: Vec3[] = [];
    while (pos.length < n) {
      const p = { x: rng.uniform(-60, 60), y: rng.uniform(-60, 60), z: -rng.uniform(25, 45) };
      if (pos.every((q) => Math.hypot(p.x - q.x, p.y - q.y, p.z - q.z) > 12)) pos.push(p);
    }
    // Each flies towards another's start (head-on and crossing encounters).
    const goal = pos.map((_, i) => ({ ...pos[(i + 1) % n]! }));
    const vel: Vec3[] = pos.map(() => ({ x: 0, y: 0, z: 0 }));
    const mem: EnvelopeMemory[] = pos.map(() => ({ rtlLatched: false }));
    for (let k = 0; k < 150; k++) {
      const nowUs = T0 + k * 1e5;
      const cmds = pos.map((p, i) => {
        const fleet = pos.map((q, j) => ({ id: `u${j}`, posNedM: q, velNedMS: vel[j]!, tUs: nowUs })).filter((_, j) => j !== i);
        const res = constrainStep(cfg, mem[i]!, { desired: { kind: 'position_ned', positionM: goal[i]! }, own: { posNedM: p, velNedMS: vel[i]!, homeNedM: { x: 0, y: 0, z: 0 } }, fleet, nowUs, dtS: 0.1 });
        mem[i] = res.memory;
        return res.output.setpoint.velocityMS;
      });
      for (let i = 0; i < n; i++) {
        vel[i] = cmds[i]!;
        pos[i] = { x: pos[i]!.x + cmds[i]!.x * 0.1, y: pos[i]!.y + cmds[i]!.y * 0.1, z: pos[i]!.z + cmds[i]!.z * 0.1 };
      }
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) worst = Math.min(worst, Math.hypot(pos[i]!.x - pos[j]!.x, pos[i]!.y - pos[j]!.y, pos[i]!.z - pos[j]!.z));
    }
  }
  console.log(`worst separation ${worst.toFixed(3)} m`);
  assert.ok(worst >= 0.9 * cfg.dMinM, `min separation ${worst}`);
});
