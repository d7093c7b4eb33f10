/** Packets read into requests (incoming.ts). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MavLinkData } from 'node-mavlink';
import type { DecodedPacket } from '../../../firmware-bridge/mavlink/index.ts';
import { forUs, parseRequest } from './incoming.ts';
import { DATA_STREAMS, MSG } from './telemetry/index.ts';

const ME = 3;
const packet = (msgid: number, message: Record<string, unknown>, from = { sysid: 255, compid: 190 }): DecodedPacket => ({
  protocol: 2, ...from, msgid, seq: 0, signed: false, signatureVerified: false, crcChecked: true, message: message as unknown as MavLinkData, raw: Buffer.alloc(0),
});
const to = (targetSystem: number, targetComponent = 1) => ({ targetSystem, targetComponent });

test('forUs: this system or broadcast, component 1 or any', () => {
  assert.equal(forUs(ME, 3, 1), true);
  assert.equal(forUs(ME, 0, 0), true);
  assert.equal(forUs(ME, 3), true);
  assert.equal(forUs(ME, 4, 1), false);
  assert.equal(forUs(ME, 3, 2), false);
});

test('our own frames and other systems\' requests are dropped', () => {
  assert.equal(parseRequest(packet(21, to(ME), { sysid: ME, compid: 1 }), ME), undefined, 'own echo');
  assert.equal(parseRequest(packet(21, to(ME)), ME)?.kind, 'param_list');
  assert.equal(parseRequest(packet(21, to(7)), ME), undefined);
  assert.equal(parseRequest(packet(76, { ...to(ME, 5), command: 400 }), ME), undefined, 'another component');
  assert.equal(parseRequest(packet(9999, to(ME)), ME), undefined, 'unknown message');
});

test('HEARTBEAT: from a GCS (6) or a companion computer (18) only, whoever it names', () => {
  assert.deepEqual(parseRequest(packet(0, { type: 6 }), ME), { kind: 'gcs_heartbeat' });
  assert.deepEqual(parseRequest(packet(0, { type: 18 }), ME), { kind: 'gcs_heartbeat' });
  assert.equal(parseRequest(packet(0, { type: 2 }), ME), undefined, 'a quadrotor');
});

test('COMMAND_LONG and COMMAND_INT: seven numeric params; the frame only for COMMAND_INT', () => {
  const p = { _param1: 1, _param2: 0, _param3: 0, _param4: 0, _param5: 473977418, _param6: 85455939, _param7: 10 };
  assert.deepEqual(parseRequest(packet(76, { ...to(ME), command: 22, frame: 6, ...p }), ME), { kind: 'command', req: { command: 22, params: [1, 0, 0, 0, 473977418, 85455939, 10] } });
  assert.deepEqual(parseRequest(packet(75, { ...to(0), command: 192, frame: 6, ...p }), ME), { kind: 'command', req: { command: 192, params: [1, 0, 0, 0, 473977418, 85455939, 10], frame: 6 } });
});

test('SET_MODE names only the system; SETUP_SIGNING is passed on whoever it names (signing.ts decides)', () => {
  assert.deepEqual(parseRequest(packet(11, { targetSystem: ME, customMode: 4 }), ME), { kind: 'set_mode', customMode: 4 });
  assert.equal(parseRequest(packet(11, { targetSystem: 9, customMode: 4 }), ME), undefined);
  assert.deepEqual(parseRequest(packet(256, to(9)), ME), { kind: 'setup_signing' });
});

test('MISSION_ITEM (floats) and MISSION_ITEM_INT (integers): global frames in degE7, local in 1e-4 m', () => {
  const item = { ...to(ME), command: 16, param1: 0, param2: 0, param3: 0, param4: 0, z: 10, autocontinue: 1, seq: 2 };
  const legacyGlobal = parseRequest(packet(39, { ...item, frame: 3, x: 47.3977418, y: 8.5455939 }), ME);
  assert.deepEqual(legacyGlobal?.kind === 'mission_item' && [legacyGlobal.item.x, legacyGlobal.item.y, legacyGlobal.item.missionType], [473977418, 85455939, 0]);
  const legacyLocal = parseRequest(packet(39, { ...item, frame: 1, x: 1.25, y: -2.5 }), ME);
  assert.deepEqual(legacyLocal?.kind === 'mission_item' && [legacyLocal.item.x, legacyLocal.item.y], [12500, -25000]);
  const int = parseRequest(packet(73, { ...item, frame: 6, x: 473977418, y: 85455939, missionType: 1 }), ME);
  assert.deepEqual(int, { kind: 'mission_item', item: { command: 16, frame: 6, param1: 0, param2: 0, param3: 0, param4: 0, x: 473977418, y: 85455939, z: 10, autocontinue: 1, seq: 2, missionType: 1 } });
});

test('the mission protocol\'s other messages; mission type 0 when absent', () => {
  assert.deepEqual(parseRequest(packet(44, { ...to(ME), count: 5 }), ME), { kind: 'mission_count', count: 5, missionType: 0 });
  assert.deepEqual(parseRequest(packet(43, { ...to(ME), missionType: 2 }), ME), { kind: 'mission_request_list', missionType: 2 });
  assert.deepEqual(parseRequest(packet(40, { ...to(ME), seq: 3 }), ME), { kind: 'mission_request', seq: 3, missionType: 0 });
  assert.deepEqual(parseRequest(packet(51, { ...to(ME), seq: 4, missionType: 1 }), ME), { kind: 'mission_request', seq: 4, missionType: 1 });
  assert.deepEqual(parseRequest(packet(45, to(ME)), ME), { kind: 'mission_clear', missionType: 0 });
  assert.deepEqual(parseRequest(packet(41, { ...to(ME), seq: 1 }), ME), { kind: 'mission_set_current', seq: 1 });
});

test('REQUEST_DATA_STREAM: a group or all of them; stop or rate 0 disables', () => {
  assert.deepEqual(parseRequest(packet(66, { ...to(ME), reqStreamId: 6, reqMessageRate: 4, startStop: 1 }), ME), { kind: 'data_stream', ids: DATA_STREAMS[6], intervalUs: 250_000 });
  const all = parseRequest(packet(66, { ...to(ME), reqStreamId: 0, reqMessageRate: 2, startStop: 0 }), ME);
  assert.ok(all?.kind === 'data_stream' && all.intervalUs === -1 && all.ids.includes(MSG.ATTITUDE) && all.ids.includes(MSG.BATTERY_STATUS));
  assert.deepEqual(parseRequest(packet(66, { ...to(ME), reqStreamId: 77, reqMessageRate: 2, startStop: 1 }), ME), { kind: 'data_stream', ids: [], intervalUs: 500_000 }, 'unknown group: nothing');
});

test('parameters and setpoints', () => {
  assert.deepEqual(parseRequest(packet(20, { ...to(ME), paramId: 'RTL_ALT', paramIndex: -1 }), ME), { kind: 'param_read', id: 'RTL_ALT', index: -1 });
  assert.deepEqual(parseRequest(packet(23, { ...to(ME), paramId: 'RTL_ALT', paramValue: 1500 }), ME), { kind: 'param_set', id: 'RTL_ALT', value: 1500 });
  const sp = { ...to(ME), typeMask: 3527, vx: 1, vy: 0, vz: 0, timeBootMs: 10 };
  assert.deepEqual(parseRequest(packet(84, sp), ME), { kind: 'setpoint', msgid: 84, m: sp });
  assert.equal(parseRequest(packet(86, { ...sp, targetSystem: 8 }), ME), undefined);
});
