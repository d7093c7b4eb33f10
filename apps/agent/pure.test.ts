/** Pure helpers of the agent shell: health statistics, persisted state, policy observations, telemetry. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { createRng } from '../../core/rng.ts';
import { cpuPercent, quantile } from './health/index.ts';
import { policyObservation } from './policy/index.ts';
import { emptyState, parseState, StateStore } from './state/index.ts';
import { flightState, healthMessage } from './telemetry.ts';
import { FlightState } from '../../proto/index.ts';

test('quantile matches nearest rank on a sorted copy (random samples)', () => {
  const rng = createRng(4);
  for (let k = 0; k < 50; k++) {
    const xs = Array.from({ length: 1 + Math.floor(rng.uniform(0, 200)) }, () => rng.uniform(0, 1000));
    const s = [...xs].sort((a, b) => a - b);
    for (const q of [0.5, 0.99, 1]) {
      const rank = Math.max(1, Math.ceil(q * s.length));
      assert.equal(quantile(xs, q), s[rank - 1]);
    }
  }
  assert.equal(quantile([], 0.5), undefined);
  assert.equal(quantile([3, 1, 2], 0.5), 2);
});

test('cpuPercent: CPU µs over wall µs, % of one core', () => {
  assert.equal(cpuPercent({ userUs: 0, systemUs: 0, wallMs: 0 }, { userUs: 40_000, systemUs: 10_000, wallMs: 1000 }), 5);
  assert.equal(cpuPercent({ userUs: 0, systemUs: 0, wallMs: 5 }, { userUs: 1, systemUs: 0, wallMs: 5 }), undefined);
});

test('state store: atomic save/load round trip; foreign or damaged files refused', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uavmec-state-'));
  try {
    const st = new StateStore(dir);
    const fresh = st.load(3);
    assert.ok(fresh.ok && fresh.value.lastSeq === 0);
    const s = { ...emptyState(3), lastSeq: 42, modelSha256: 'ab', openTasks: [{ task_id: 1, user_id: 2, release_t_us: 5, local_s: 1 }], savedUs: 9 };
    st.save(s);
    const back = st.load(3);
    assert.ok(back.ok);
    assert.deepEqual(back.value, s);
    assert.equal(st.load(4).ok, false, 'state of another UAV');
    fs.writeFileSync(st.path, '{"version":1,"uavId":3');
    assert.equal(st.load(3).ok, false, 'torn file');
    assert.equal(parseState('{"version":2}', 3).ok, false);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('policy observation: x, y, z are the mission-frame position; unknown names reported', () => {
  assert.deepEqual(policyObservation(['x', 'y', 'z'], { eastM: 1, northM: 2, altM: 3 }), { obs: [1, 2, 3] });
  assert.deepEqual(policyObservation(['z', 'x'], { eastM: 1, northM: 2, altM: 3 }), { obs: [3, 1] });
  assert.deepEqual(policyObservation(['x', 'battery'], { eastM: 1, northM: 2, altM: 3 }), { missing: ['battery'] });
});

test('telemetry: flight state by phase; health message carries every field', () => {
  const v = { tUs: 0, connected: true, flavour: 'px4', armed: true, mode: 'offboard', modeRaw: 'OFFBOARD', landed: 'in_air' } as const;
  assert.equal(flightState('flying', false, v), FlightState.FLIGHT_STATE_FLYING);
  assert.equal(flightState('flying', true, v), FlightState.FLIGHT_STATE_HOLDING);
  assert.equal(flightState('rtl', false, v), FlightState.FLIGHT_STATE_RETURNING);
  assert.equal(flightState('ground', false, { ...v, landed: 'on_ground' }), FlightState.FLIGHT_STATE_ON_GROUND);
  const h = healthMessage(2, { cpuPct: 3, rssBytes: 100, inferenceP50Us: 10, inferenceP99Us: 20 }, { autopilot: true, broker: false }, 7, 1);
  assert.deepEqual(h, { uav_id: 2, cpu_pct: 3, rss_bytes: 100, inference_p50_us: 10, inference_p99_us: 20, autopilot_link_up: true, broker_link_up: false, outbox_depth: 7, dropped_messages: 1 });
});
