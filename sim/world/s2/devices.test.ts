import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultS2Config, S2VideoEnv } from '../../envs/s2-video.ts';
import { DeviceCpu, s2Devices, slotSegments } from './devices.ts';

const model = defaultS2Config();

test('S2 devices stand where the env put them: busy 1…10, idle 11…20', () => {
  const d = s2Devices({ model, layoutSeed: model.layoutSeed });
  const obs = new S2VideoEnv(model, 1).reset()[0]!;
  assert.deepEqual(d.filter((x) => x.role === 'busy').map((x) => [x.pos[0], x.pos[1]]), Array.from({ length: 10 }, (_, i) => [obs[2 * i], obs[2 * i + 1]]));
  assert.deepEqual(d.map((x) => x.userId), Array.from({ length: 20 }, (_, i) => i + 1));
  assert.ok(d.slice(10).every((x) => x.role === 'idle'));
});

test('segments: one per busy device per slot, S2\'s sizes, one complexity per slot, the same for the same seed', () => {
  const c = { model, layoutSeed: 1, seed: 3, slots: 5 };
  const a = slotSegments(c, 2);
  assert.deepEqual(a, slotSegments(c, 2));
  assert.notDeepEqual(a, slotSegments(c, 3));
  assert.equal(a.length, 10);
  assert.ok(a.every((s) => s.dataBits >= 1.5e6 && s.dataBits <= 3.5e6 && s.cyclesPerBit === a[0]!.cyclesPerBit && s.cyclesPerBit >= 700 && s.cyclesPerBit <= 1500));
  assert.equal(new Set(a.map((s) => s.taskId)).size, 10);
});

test('a device CPU runs streams side by side at their granted shares, up to f_max; beyond it they wait', () => {
  const cpu = new DeviceCpu(1.5e9);
  const a = cpu.schedule(0, 1e9, 0.5e9); // 2 s
  const b = cpu.schedule(0, 1e9, 0.5e9);
  const c = cpu.schedule(0, 1e9, 0.5e9);
  assert.deepEqual([a, b, c].map((r) => r.startUs), [0, 0, 0], 'three 0.5 GHz streams fit in 1.5 GHz');
  const d = cpu.schedule(1e6, 0.5e9, 0.5e9);
  assert.equal(d.startUs, 2e6, 'a fourth waits until a share frees');
  assert.equal(d.endUs, 3e6);
  const e = cpu.schedule(0, 3e9, 3e9);
  assert.ok(Math.abs(e.endUs - e.startUs - 2e6) < 1e-6, 'a grant above f_max runs at f_max');
});
