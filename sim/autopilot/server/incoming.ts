/**
 * What a MAVLink packet asks of the simulated autopilot, pure: the message's fields read into one
 * request, addressed to this vehicle or dropped (`forUs`). The server (server.ts) carries it out.
 */
import type { DecodedPacket } from '../../../firmware-bridge/mavlink/index.ts';
import type { MissionItem } from '../core/types.ts';
import type { CommandRequest } from './commands.ts';
import type { TargetFields } from './setpoints.ts';
import { DATA_STREAMS } from './telemetry/index.ts';

/** The fields read from incoming messages (a union view; each request reads its own). */
interface Incoming {
  type: number;
  targetSystem: number;
  targetComponent: number;
  command: number;
  frame: number;
  _param1: number; _param2: number; _param3: number; _param4: number; _param5: number; _param6: number; _param7: number;
  customMode: number;
  paramId: string;
  paramIndex: number;
  paramValue: number;
  count: number;
  missionType?: number;
  seq: number;
  param1: number; param2: number; param3: number; param4: number;
  x: number; y: number; z: number;
  autocontinue: number;
  reqStreamId: number;
  reqMessageRate: number;
  startStop: number;
}

export type SetpointFields = TargetFields & { latInt?: number; lonInt?: number; alt?: number; timeBootMs: number };

export type Request =
  /** HEARTBEAT from a GCS (6) or companion (18): keeps the link failsafe quiet. */
  | { kind: 'gcs_heartbeat' }
  | { kind: 'command'; req: CommandRequest }
  | { kind: 'set_mode'; customMode: number }
  | { kind: 'param_list' }
  | { kind: 'param_read'; id: string; index: number }
  | { kind: 'param_set'; id: string; value: number }
  | { kind: 'mission_count'; count: number; missionType: number }
  | { kind: 'mission_item'; item: MissionItem & { seq: number; missionType: number } }
  | { kind: 'mission_request_list'; missionType: number }
  | { kind: 'mission_request'; seq: number; missionType: number }
  | { kind: 'mission_clear'; missionType: number }
  | { kind: 'mission_set_current'; seq: number }
  /** REQUEST_DATA_STREAM: these streams at this interval (µs; −1 stops them). */
  | { kind: 'data_stream'; ids: readonly number[]; intervalUs: number }
  /** SETUP_SIGNING: direct link only (signing.ts), whoever it is addressed to. */
  | { kind: 'setup_signing' }
  | { kind: 'setpoint'; msgid: 84 | 86; m: SetpointFields };

/** Addressed to system `sysid` (or broadcast), component 1 (or any). */
export function forUs(sysid: number, targetSystem: number, targetComponent?: number): boolean {
  return (targetSystem === 0 || targetSystem === sysid) && (targetComponent === undefined || targetComponent === 0 || targetComponent === 1);
}

/** The request in packet `p` for the vehicle `sysid`; undefined if it is none of ours (or our own echo). */
export function parseRequest(p: DecodedPacket, sysid: number): Request | undefined {
  const m = p.message as unknown as Incoming;
  if (p.sysid === sysid && p.compid === 1) return undefined;
  const us = (c?: number) => forUs(sysid, m.targetSystem, c);
  switch (p.msgid) {
    case 0:
      return m.type === 6 || m.type === 18 ? { kind: 'gcs_heartbeat' } : undefined;
    case 76:
    case 75: {
      if (!us(m.targetComponent)) return undefined;
      const params = [m._param1, m._param2, m._param3, m._param4, m._param5, m._param6, m._param7].map(Number);
      return { kind: 'command', req: { command: m.command, params, ...(p.msgid === 75 ? { frame: m.frame } : {}) } };
    }
    case 11: // SET_MODE (legacy)
      return us() ? { kind: 'set_mode', customMode: m.customMode } : undefined;
    case 256:
      return { kind: 'setup_signing' };
  }
  return us(m.targetComponent) ? addressed(p.msgid, m) : undefined;
}

/** The requests that name this vehicle's component (parameters, missions, streams, setpoints). */
function addressed(msgid: number, m: Incoming): Request | undefined {
  switch (msgid) {
    case 21:
      return { kind: 'param_list' };
    case 20:
      return { kind: 'param_read', id: String(m.paramId), index: m.paramIndex };
    case 23:
      return { kind: 'param_set', id: String(m.paramId), value: m.paramValue };
    case 44:
      return { kind: 'mission_count', count: m.count, missionType: m.missionType ?? 0 };
    case 73:
    case 39:
      return { kind: 'mission_item', item: missionItem(m, msgid === 73) };
    case 43:
      return { kind: 'mission_request_list', missionType: m.missionType ?? 0 };
    case 51:
    case 40:
      return { kind: 'mission_request', seq: m.seq, missionType: m.missionType ?? 0 };
    case 45:
      return { kind: 'mission_clear', missionType: m.missionType ?? 0 };
    case 41:
      return { kind: 'mission_set_current', seq: m.seq };
    case 66: {
      const ids = m.reqStreamId === 0 ? Object.values(DATA_STREAMS).flat() : DATA_STREAMS[m.reqStreamId] ?? [];
      return { kind: 'data_stream', ids, intervalUs: m.startStop === 0 || m.reqMessageRate === 0 ? -1 : 1e6 / m.reqMessageRate };
    }
    case 84:
    case 86:
      return { kind: 'setpoint', msgid, m: m as unknown as SetpointFields };
    default:
      return undefined;
  }
}

/**
 * MISSION_ITEM_INT (integers as sent) or the legacy MISSION_ITEM (floats): global frames in degE7,
 * local ones in 1e-4 m.
 */
function missionItem(m: Incoming, isInt: boolean): MissionItem & { seq: number; missionType: number } {
  const global = [0, 3, 5, 6, 10, 11].includes(m.frame);
  const x = isInt ? m.x : global ? Math.round(m.x * 1e7) : Math.round(m.x * 1e4);
  const y = isInt ? m.y : global ? Math.round(m.y * 1e7) : Math.round(m.y * 1e4);
  return {
    command: m.command, frame: m.frame, param1: m.param1, param2: m.param2, param3: m.param3, param4: m.param4,
    x, y, z: m.z, autocontinue: m.autocontinue, seq: m.seq, missionType: m.missionType ?? 0,
  };
}
