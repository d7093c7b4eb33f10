import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ActivityTracker } from '../../core/clock.ts';
import { encodePolicyMetadata, envHash, exportMlp, type PolicyMetadata } from '../../core/onnx/index.ts';
import { ModelDirectory, PolicyRunner, sha256Hex } from './policy/index.ts';
import { PolicyDriver } from './policy-driver.ts';

const meta: PolicyMetadata = {
  algo: 'maddpg', env: 's3',
  obsSpec: { names: ['x', 'y', 'z'], low: [0, 0, 10], high: [50, 50, 20] },
  actionSpec: { kind: 'displacement', units: 'm', names: ['dx', 'dy', 'dz'], low: [-1, -1, -1], high: [1, 1, 1], motion: [0, 1, 2] },
  obsNorm: { scale: [0.04, 0.04, 0.2], offset: [-1, -1, -3], inGraph: false },
  training: {}, gitCommit: 'test', envHash: envHash({ s: 3 }), agent: '0', numAgents: 1,
};

/** An actor that always pushes east, south and up at full speed: tanh(±8) ≈ ±1. */
function pusher(dir: string): string {
  const bytes = exportMlp({ layers: [{ shape: [3, 3], weights: new Float32Array(9), bias: Float32Array.from([8, -8, 8]), activation: 'tanh' }], metadata: encodePolicyMetadata(meta) });
  fs.writeFileSync(path.join(dir, 'a.onnx'), bytes);
  return sha256Hex(bytes);
}

/** Ticks until the driver flies an inferred action; waits for each inference (not for wall time) through the driver's activity tracker. */
async function velocityAt(d: PolicyDriver, activity: ActivityTracker, own: { eastM: number; northM: number; altM: number }) {
  // Idle, then one event-loop turn: the inference's result handler (a microtask after it ends) has run.
  const inferred = async () => {
    await activity.idle();
    await new Promise((r) => setImmediate(r));
  };
  d.tick(own, 0, () => {});
  await inferred();
  assert.equal(d.stats.inferences, 1);
  d.tick(own, 1, () => {});
  await inferred();
  assert.equal(d.stats.inferences, 2);
  return d.tick(own, 2, () => {}).velocityMS;
}

const near = (a: { x: number; y: number; z: number }, b: { x: number; y: number; z: number }) =>
  assert.ok(Math.abs(a.x - b.x) < 1e-3 && Math.abs(a.y - b.y) < 1e-3 && Math.abs(a.z - b.z) < 1e-3, `${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`);

test('a displacement actor is kept in its training box, as the env clips its moves', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uavmec-driver-'));
  const hash = pusher(dir);
  const drive = async (slotS: number | undefined, own: { eastM: number; northM: number; altM: number }) => {
    const activity = new ActivityTracker();
    const d = new PolicyDriver(new PolicyRunner({ slotS: 1 }), new ModelDirectory(dir), { tickUs: 1e5, activity, ...(slotS ? { slotS } : {}) });
    assert.ok((await d.select(hash)).ok);
    const v = await velocityAt(d, activity, own);
    await d.close();
    return { v, clamps: d.stats.boxClamps };
  };
  // Inside, away from the walls: the actor's own action (NED: north −1, east +1, down −1).
  let r = await drive(1, { eastM: 25, northM: 25, altM: 15 });
  near(r.v, { x: -1, y: 1, z: -1 });
  assert.equal(r.clamps, 0);
  // Near the east wall, the south wall and the ceiling: one slot of flight ends on them.
  r = await drive(1, { eastM: 49.6, northM: 0.3, altM: 19.8 });
  near(r.v, { x: -0.3, y: 0.4, z: -0.2 });
  assert.ok(r.clamps > 0);
  // Outside (east and above): back in at the action bound, whatever the actor wants.
  r = await drive(1, { eastM: 53, northM: 25, altM: 22 });
  near(r.v, { x: -1, y: -1, z: 1 });
  // Without a slot length the driver does not clip (the envelope alone bounds it).
  r = await drive(undefined, { eastM: 49.6, northM: 0.3, altM: 19.8 });
  near(r.v, { x: -1, y: 1, z: -1 });
  fs.rmSync(dir, { recursive: true, force: true });
});
