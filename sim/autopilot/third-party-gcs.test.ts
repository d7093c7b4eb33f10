/**
 * A ground station we did not write talks to the SITL: node-mavlink's own serializer and parser
 * (not our codec) on a raw UDP socket, as a GCS with sysid 255 — the way pymavlink or MAVProxy
 * would (neither is installable here: no PyPI, not packaged by Debian). It runs QGroundControl's
 * connect sequence in miniature, then takes off in GUIDED.
 */
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { common, minimal, ardupilotmega, MavLinkPacketParser, MavLinkPacketSplitter, MavLinkProtocolV2, type MavLinkPacket } from 'node-mavlink';
import { ScaledClock } from '../../core/clock.ts';
import { startSitl } from './fleet.ts';

const REGISTRY = { ...minimal.REGISTRY, ...common.REGISTRY, ...ardupilotmega.REGISTRY } as Record<number, new () => object>;

test('node-mavlink as a third-party GCS: heartbeat, parameters, guided take-off', { timeout: 60_000 }, async () => {
  const clock = new ScaledClock(5);
  const fleet = await startSitl({ vehicles: 1, flavour: 'ardupilot', clock, home: { latDeg: 47.397742, lonDeg: 8.545594, altAmslM: 488 }, basePort: 0 });
  const port = fleet.vehicles[0]!.port;
  const sock = dgram.createSocket('udp4');
  const inbound = new PassThrough();
  sock.on('message', (m) => inbound.write(m));
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  const got: { name: string; data: Record<string, unknown> }[] = [];
  inbound.pipe(new MavLinkPacketSplitter()).pipe(new MavLinkPacketParser()).on('data', (p: MavLinkPacket) => {
    const clazz = REGISTRY[p.header.msgid];
    if (clazz) got.push({ name: (clazz as unknown as { MSG_NAME: string }).MSG_NAME, data: p.protocol.data(p.payload, clazz as never) as Record<string, unknown> });
  });
  const proto = new MavLinkProtocolV2(255, 190);
  let seq = 0;
  const send = (msg: object) => sock.send(proto.serialize(msg as never, seq++ & 255), port, '127.0.0.1');
  const command = (cmd: number, params: number[]) => {
    const c = new common.CommandLong();
    Object.assign(c, { targetSystem: 1, targetComponent: 1, command: cmd, confirmation: 0 });
    params.forEach((v, i) => ((c as unknown as Record<string, number>)[`_param${i + 1}`] = v));
    send(c);
  };
  const waitFor = async (pred: () => boolean, what: string, ms = 20_000) => {
    const until = Date.now() + ms;
    while (!pred()) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const ack = (cmd: number) => got.find((m) => m.name === 'COMMAND_ACK' && m.data.command === cmd)?.data.result;
  try {
    const hb = new minimal.Heartbeat();
    Object.assign(hb, { type: 6, autopilot: 8, baseMode: 0, customMode: 0, systemStatus: 4, mavlinkVersion: 3 });
    send(hb);
    await waitFor(() => got.some((m) => m.name === 'HEARTBEAT'), 'a heartbeat');
    const beat = got.find((m) => m.name === 'HEARTBEAT')!.data;
    assert.equal(beat.type, 2, 'quadrotor');
    assert.equal(beat.autopilot, 3, 'ArduPilot');

    send(Object.assign(new common.ParamRequestList(), { targetSystem: 1, targetComponent: 1 }));
    await waitFor(() => got.filter((m) => m.name === 'PARAM_VALUE').length > 0 && got.filter((m) => m.name === 'PARAM_VALUE').length >= (got.find((m) => m.name === 'PARAM_VALUE')!.data.paramCount as number), 'the whole parameter list');
    const params = got.filter((m) => m.name === 'PARAM_VALUE');
    assert.equal(new Set(params.map((p) => p.data.paramIndex)).size, params[0]!.data.paramCount, 'every index once');

    command(176, [1, 4, 0, 0, 0, 0, 0]); // DO_SET_MODE GUIDED
    await waitFor(() => ack(176) !== undefined, 'the mode ack');
    assert.equal(ack(176), 0);
    command(400, [1, 0, 0, 0, 0, 0, 0]); // arm
    await waitFor(() => ack(400) !== undefined, 'the arm ack');
    assert.equal(ack(400), 0);
    command(22, [0, 0, 0, NaN, 0, 0, 12]); // take off to 12 m
    await waitFor(() => ack(22) !== undefined, 'the takeoff ack');
    assert.equal(ack(22), 0);
    command(31000, [0, 0, 0, 0, 0, 0, 0]); // not a command the vehicle knows
    await waitFor(() => ack(31000) !== undefined, 'an answer to an unknown command');
    assert.equal(ack(31000), 3, 'UNSUPPORTED, never silence');
    await waitFor(() => got.some((m) => m.name === 'GLOBAL_POSITION_INT' && (m.data.relativeAlt as number) > 10_000), 'climbing above 10 m');
  } finally {
    sock.close();
    await fleet.stop();
  }
});
