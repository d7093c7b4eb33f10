import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../../../core/clock.ts';
import { SimulatedExecutor } from './simulated.ts';

test('jobs with KKT shares run concurrently; a share that does not fit waits for one to end', async () => {
  const clock = new ManualClock(0);
  const ex = new SimulatedExecutor({ clock, fMaxHz: 10e9 });
  const t0 = clock.nowUs();
  const a = ex.run({ id: 'a', cycles: 5e9, cpuHz: 5e9 }, t0); // 1 s at 5 GHz
  const b = ex.run({ id: 'b', cycles: 10e9, cpuHz: 5e9 }, t0); // 2 s at 5 GHz, beside a
  const c = ex.run({ id: 'c', cycles: 2.5e9, cpuHz: 5e9 }, t0); // must wait for a
  const d = ex.run({ id: 'd', cycles: 10e9 }, t0); // whole CPU: after everything
  clock.advance(10_000);
  const [ra, rb, rc, rd] = await Promise.all([a, b, c, d]);
  assert.equal(ra.startUs, t0);
  assert.equal(ra.endUs, t0 + 1e6);
  assert.equal(rb.startUs, t0);
  assert.equal(rb.endUs, t0 + 2e6);
  assert.equal(rc.startUs, t0 + 1e6);
  assert.equal(rc.endUs, t0 + 1.5e6);
  assert.equal(rd.startUs, t0 + 2e6);
  assert.equal(rd.endUs, t0 + 3e6);
  assert.equal(rb.cyclesPerS, 5e9);
});
