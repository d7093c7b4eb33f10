import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { reportData } from '../../apps/report/data.ts';
import { renderReport } from '../../apps/report/html.ts';
import { linkHealth, modeTimelines } from '../../apps/report/links.ts';
import { loadRun, parseRecording } from '../../apps/replay/recording.ts';
import { encode } from '../../proto/index.ts';

const FIXTURE = join(import.meta.dirname, '../fixtures/run-2uav-4slot');

/** A twin state as recorded: topic UAV `uav`, header seq, mode, autopilot link. */
function twin(uav: number, seq: number, tS: number, mode: string, flight: number, linkUp = true) {
  const payload = encode('TwinState', { header: { version: 1, sender: `uav-${uav}`, t_us: (tS + 1) * 1e6, seq }, uav_id: uav, autopilot_mode: mode, flight_state: flight, autopilot_link_up: linkUp } as never);
  return { recv_t_us: tS * 1e6, topic: `uavmec/v1/uav/${uav}/twin`, payload };
}

void test('flight-mode timeline: one segment per change of autopilot mode or flight state, ending at the recording end', () => {
  const rec = parseRecording([twin(1, 1, 0, 'STABILIZE', 1), twin(1, 2, 1, 'GUIDED', 2), twin(1, 3, 2, 'GUIDED', 3), twin(1, 4, 3, 'GUIDED', 3), twin(1, 5, 4, 'RTL', 5)]);
  assert.deepEqual(modeTimelines(rec, 0, 6)[1], [
    { fromS: 0, toS: 1, mode: 'STABILIZE', flight: 'on ground' },
    { fromS: 1, toS: 2, mode: 'GUIDED', flight: 'taking off' },
    { fromS: 2, toS: 4, mode: 'GUIDED', flight: 'flying' },
    { fromS: 4, toS: 6, mode: 'RTL', flight: 'returning' },
  ]);
});

void test('link health: losses from header sequence gaps, longest silence, autopilot-link-down time', () => {
  // seq 3 and 4 never arrived (a 3 s silence); the autopilot link was down from t=6 to t=7.
  const rec = parseRecording([twin(2, 1, 0, 'GUIDED', 3), twin(2, 2, 1, 'GUIDED', 3), twin(2, 5, 4, 'GUIDED', 3), twin(2, 6, 5, 'GUIDED', 3), twin(2, 7, 6, 'GUIDED', 3, false), twin(2, 8, 7, 'GUIDED', 3)]);
  const [r] = linkHealth(rec);
  assert.equal(r!.uavId, 2);
  assert.equal(r!.received, 6);
  assert.equal(r!.lost, 2);
  assert.equal(r!.lossPct, 25);
  assert.equal(r!.maxGapS, 3);
  assert.equal(r!.autopilotDownS, 1);
  assert.ok(Math.abs(r!.rateHz - 5 / 7) < 1e-9);
});

void test('the report of a recorded run has the flight-mode timeline and the link-health table', () => {
  const run = loadRun(FIXTURE);
  assert.ok(run.ok);
  const d = reportData(run.value);
  assert.deepEqual(Object.keys(d.modes).map(Number), [1, 2]);
  for (const segs of Object.values(d.modes)) assert.ok(segs.some((s) => s.mode === 'GUIDED' && s.flight === 'flying') && segs.some((s) => s.mode === 'RTL'), JSON.stringify(segs));
  const html = renderReport([d]);
  assert.ok(html.includes('Flight modes') && html.includes('Link health'));
  assert.ok((html.match(/class="mode" data-uav="1"/g) ?? []).length >= 3);
  assert.match(html, /<table class="sortable links">/);
  assert.equal(d.links.length, 2);
  for (const l of d.links) assert.ok(l.received > 100 && l.rateHz > 1, JSON.stringify(l));
});
