/**
 * What the simulated autopilot does with each request (incoming.ts): commands (the protocol's own
 * — message intervals, requested messages — here, the vehicle's in commands.ts), modes,
 * parameters, missions, data streams, signing set-up and setpoints. Works on the server through
 * `RequestHost`.
 */
import type { MavLinkData } from 'node-mavlink';
import type { Clock } from '../../../core/clock.ts';
import type { DecodedPacket } from '../../../firmware-bridge/mavlink/index.ts';
import { common } from '../../../firmware-bridge/mavlink/messages.ts';
import type { Peer } from '../../../firmware-bridge/transport/index.ts';
import { modeFromCustom } from '../core/modes.ts';
import type { AutopilotFlavour, VehicleConfig } from '../core/params.ts';
import type { SimEvent, SimState } from '../core/types.ts';
import { applySetpoint, gcsHeartbeat, setMode } from '../core/vehicle.ts';
import { CMD, MAV_RESULT, executeCommand, type CommandRequest } from './commands.ts';
import type { Request, SetpointFields } from './incoming.ts';
import type { MissionService } from './mission.ts';
import type { ParamService } from './params.ts';
import { echoGlobal, echoLocal, globalSetpoint, localSetpoint } from './setpoints.ts';
import type { SitlSigning } from './signing.ts';
import { setStreamInterval, type StreamTable } from './streams.ts';
import { BUILDERS, MSG, make, type TelemetryContext } from './telemetry/index.ts';

/** The server's parts a request works on. */
export interface RequestHost {
  readonly flavour: AutopilotFlavour;
  readonly clock: Clock;
  readonly bootUs: number;
  state(): SimState;
  setState(s: SimState): void;
  cfg(): VehicleConfig;
  readonly streams: StreamTable;
  readonly params: ParamService;
  readonly missions: MissionService;
  readonly signing: SitlSigning;
  send(msg: MavLinkData): void;
  emit(events: readonly SimEvent[]): void;
  ctx(): TelemetryContext;
}

/** Carries out one request (incoming.ts); mission replies go back to its sender. */
export function handleRequest(h: RequestHost, r: Request, p: DecodedPacket, peer?: Peer): void {
  const from = [p.sysid, p.compid] as const;
  switch (r.kind) {
    case 'gcs_heartbeat':
      h.setState(gcsHeartbeat(h.state()).state);
      return;
    case 'command':
      return onCommand(h, r.req, p);
    case 'set_mode':
      return applyMode(h, r.customMode);
    case 'param_list':
      return h.params.requestList();
    case 'param_read':
      return h.params.requestRead(r.id, r.index);
    case 'param_set':
      return h.params.set(r.id, r.value);
    case 'mission_count':
      return h.missions.onCount(r.count, r.missionType, ...from);
    case 'mission_item':
      return h.missions.onItem(r.item, ...from);
    case 'mission_request_list':
      return h.missions.onRequestList(r.missionType, ...from);
    case 'mission_request':
      return h.missions.onRequest(r.seq, r.missionType, ...from);
    case 'mission_clear':
      return h.missions.onClearAll(r.missionType, ...from);
    case 'mission_set_current':
      return applyCommand(h, executeCommand(h.cfg(), h.state(), { command: CMD.DO_SET_MISSION_CURRENT, params: [r.seq, 0, 0, 0, 0, 0, 0] }));
    case 'data_stream':
      for (const id of r.ids) setStreamInterval(h.streams, id, r.intervalUs, h.clock.nowUs());
      return;
    case 'setup_signing':
      return void h.signing.onSetupSigning(p, peer);
    case 'setpoint':
      return onSetpoint(h, r.msgid, r.m);
  }
}

function applyCommand(h: RequestHost, r: ReturnType<typeof executeCommand>): void {
  if (!r) return;
  h.setState(r.state);
  h.emit(r.events);
}

function applyMode(h: RequestHost, customMode: number): void {
  const mode = modeFromCustom(h.flavour, customMode);
  if (!mode) return;
  const r = setMode(h.cfg(), h.state(), mode.name);
  h.setState(r.state);
  h.emit(r.events);
}

function onCommand(h: RequestHost, req: CommandRequest, p: DecodedPacket): void {
  const ack = (result: number) =>
    h.send(make(common.CommandAck, { command: req.command, result, progress: 0, resultParam2: 0, targetSystem: p.sysid, targetComponent: p.compid }));
  const pr = req.params;
  switch (req.command) {
    case CMD.SET_MESSAGE_INTERVAL:
      return ack(setStreamInterval(h.streams, Math.round(pr[0]!), pr[1]!, h.clock.nowUs()) ? MAV_RESULT.ACCEPTED : MAV_RESULT.DENIED);
    case CMD.GET_MESSAGE_INTERVAL: {
      const id = Math.round(pr[0]!);
      const s = h.streams.get(id);
      ack(MAV_RESULT.ACCEPTED);
      return h.send(make(common.MessageInterval, { messageId: id, intervalUs: s ? Math.round(s.intervalUs) : BUILDERS[id] ? -1 : 0 }));
    }
    case CMD.REQUEST_MESSAGE:
    case CMD.REQUEST_AUTOPILOT_CAPABILITIES:
    case CMD.REQUEST_PROTOCOL_VERSION: {
      const id = req.command === CMD.REQUEST_MESSAGE ? Math.round(pr[0]!) : req.command === CMD.REQUEST_PROTOCOL_VERSION ? MSG.PROTOCOL_VERSION : MSG.AUTOPILOT_VERSION;
      const b = BUILDERS[id];
      if (!b) return ack(MAV_RESULT.DENIED);
      ack(MAV_RESULT.ACCEPTED);
      return h.send(b(h.state(), h.ctx()));
    }
  }
  const r = executeCommand(h.cfg(), h.state(), req);
  if (!r) return ack(MAV_RESULT.UNSUPPORTED);
  h.setState(r.state);
  ack(r.result);
  h.emit(r.events);
}

function onSetpoint(h: RequestHost, msgid: 84 | 86, m: SetpointFields): void {
  // ArduCopter only takes targets in GUIDED; PX4 records them in any mode (offboard signal).
  if (h.flavour === 'ardupilot' && h.state().mode !== 'GUIDED') return;
  const r = msgid === 84 ? localSetpoint(h.state(), m) : globalSetpoint(h.state(), { ...m, x: m.latInt ?? 0, y: m.lonInt ?? 0, z: m.alt ?? 0 });
  if (!r.ok) return;
  h.setState(applySetpoint(h.state(), r.setpoint));
  const tb = Math.round((h.clock.nowUs() - h.bootUs) / 1000) >>> 0;
  h.send(msgid === 84 ? echoLocal(h.state(), r.setpoint, m.typeMask, tb) : echoGlobal(h.state(), r.setpoint, m.typeMask, tb));
}
