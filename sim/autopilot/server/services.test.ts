import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MavLinkData } from 'node-mavlink';
import type { common } from '../../../firmware-bridge/mavlink/messages.ts';
import { defaultParams, paramSpecs, type ParamValues } from '../core/params.ts';
import type { MissionItem } from '../core/types.ts';
import { MissionService } from './mission.ts';
import { decodeParamValue, encodeParamValue, ParamService } from './params.ts';

test('param encoding: PX4 integers bytewise, ArduPilot C cast; REAL32 as is', () => {
  const int = paramSpecs('px4').find((s) => s.name === 'NAV_DLL_ACT')!;
  const real = paramSpecs('px4').find((s) => s.name === 'COM_OF_LOSS_T')!;
  const wire = encodeParamValue('px4', int, 3);
  assert.notEqual(wire, 3);
  assert.equal(decodeParamValue('px4', int, wire), 3);
  assert.equal(encodeParamValue('px4', real, 1.5), 1.5);
  const ap = paramSpecs('ardupilot').find((s) => s.name === 'FS_GCS_ENABLE')!;
  assert.equal(encodeParamValue('ardupilot', ap, 5), 5);
});

test('PARAM_REQUEST_LIST is paced and complete; PARAM_SET validates', () => {
  let values: ParamValues = defaultParams('ardupilot');
  const sent: MavLinkData[] = [];
  const texts: string[] = [];
  const svc = new ParamService({ flavour: 'ardupilot', values: () => values, apply: (v) => (values = v), send: (m) => sent.push(m), statustext: (_s, t) => texts.push(t) }, 5);
  svc.requestList();
  svc.tick();
  assert.equal(sent.length, 5);
  while (sent.length < svc.count) svc.tick();
  svc.tick();
  assert.equal(sent.length, svc.count);
  const idx = (sent as common.ParamValue[]).map((m) => m.paramIndex).sort((a, b) => a - b);
  assert.deepEqual(idx, [...Array(svc.count).keys()]);
  sent.length = 0;
  svc.set('FENCE_RADIUS', 150);
  assert.equal(values['FENCE_RADIUS'], 150);
  assert.equal((sent[0] as common.ParamValue).paramValue, 150);
  svc.set('FENCE_RADIUS', 1);
  assert.equal(values['FENCE_RADIUS'], 150);
  assert.equal((sent[1] as common.ParamValue).paramValue, 150);
  assert.ok(texts.some((t) => /FENCE_RADIUS/.test(t)));
});

function missionHarness(flavour: 'ardupilot' | 'px4') {
  let now = 0;
  const sent: MavLinkData[] = [];
  let changed: readonly MissionItem[] | undefined;
  const home: MissionItem = { command: 16, frame: 0, param1: 0, param2: 0, param3: 0, param4: 0, x: 1, y: 2, z: 3, autocontinue: 1 };
  const svc = new MissionService({ flavour, nowUs: () => now, send: (m) => sent.push(m), missionChanged: (i) => (changed = i), homeItem: () => home });
  return { svc, sent, advance: (ms: number) => (now += ms * 1000), changed: () => changed };
}

const item = (seq: number, missionType = 0) => ({
  command: 16, frame: 6, param1: 0, param2: 0, param3: 0, param4: 0, x: seq * 10, y: seq * 20, z: 5, autocontinue: 1, seq, missionType,
});

test('mission upload: out-of-sequence items re-requested, timeout re-requests, then ACCEPTED', () => {
  const h = missionHarness('px4');
  h.svc.onCount(3, 0, 255, 190);
  const req = () => (h.sent.at(-1) as common.MissionRequestInt).seq;
  assert.equal(req(), 0);
  h.svc.onItem(item(0), 255, 190);
  assert.equal(req(), 1);
  h.svc.onItem(item(2), 255, 190); // skipped 1
  assert.equal(req(), 1);
  const before = h.sent.length;
  h.advance(1000);
  h.svc.tick();
  assert.equal(h.sent.length, before, 'no re-request before 1500 ms');
  h.advance(600);
  h.svc.tick();
  assert.equal(h.sent.length, before + 1);
  assert.equal(req(), 1);
  h.svc.onItem(item(1), 255, 190);
  h.svc.onItem(item(2), 255, 190);
  const ack = h.sent.at(-1) as common.MissionAck;
  assert.equal(ack.type, 0);
  assert.equal(h.changed()?.length, 3);
  assert.equal(h.svc.items().length, 3);
});

test('mission upload gives up after 5 retries with OPERATION_CANCELLED', () => {
  const h = missionHarness('px4');
  h.svc.onCount(2, 0, 255, 190);
  for (let i = 0; i < 6; i++) {
    h.advance(1600);
    h.svc.tick();
  }
  assert.equal((h.sent.at(-1) as common.MissionAck).type, 15);
  assert.equal(h.svc.uploading, false);
});

test('mission download: ArduPilot reports home at seq 0; invalid seq → INVALID_SEQUENCE; count 0 clears', () => {
  const h = missionHarness('ardupilot');
  h.svc.onCount(2, 0, 255, 190);
  h.svc.onItem(item(0), 255, 190);
  h.svc.onItem(item(1), 255, 190);
  h.svc.onRequestList(0, 255, 190);
  assert.equal((h.sent.at(-1) as common.MissionCount).count, 2);
  h.svc.onRequest(0, 0, 255, 190);
  assert.equal((h.sent.at(-1) as common.MissionItemInt).x, 1);
  h.svc.onRequest(1, 0, 255, 190);
  assert.equal((h.sent.at(-1) as common.MissionItemInt).x, 10);
  h.svc.onRequest(7, 0, 255, 190);
  assert.equal((h.sent.at(-1) as common.MissionAck).type, 13);
  h.svc.onCount(0, 0, 255, 190);
  assert.equal(h.svc.items().length, 0);
  // fence items are stored separately
  h.svc.onCount(1, 1, 255, 190);
  h.svc.onItem(item(0, 1), 255, 190);
  assert.equal(h.svc.items(1).length, 1);
  assert.equal(h.svc.items(0).length, 0);
});
