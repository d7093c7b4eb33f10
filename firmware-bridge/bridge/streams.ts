/**
 * Telemetry stream requests sent on discovery (MAVLINK.md §2).
 * PX4: MAV_CMD_SET_MESSAGE_INTERVAL (511) per message (p1 msgid, p2 interval µs).
 * ArduPilot: legacy REQUEST_DATA_STREAM (66) per stream group (what QGC's APM plugin sends).
 * Both: MAV_CMD_REQUEST_MESSAGE (512) for HOME_POSITION (242).
 */
import { common } from 'node-mavlink';
import type { MavLinkData } from 'node-mavlink';
import type { Flavour } from '../vehicle.ts';
import type { CommandSpec } from './commands.ts';

export interface StreamPlan {
  /** Fire-and-forget messages (no ACK). */
  messages: MavLinkData[];
  /** Commands (ACKed), to run one after another. */
  commands: CommandSpec[];
}

export function streamRequests(flavour: Flavour, target: { sysid: number; compid: number }, fastHz: number): StreamPlan {
  const slowHz = Math.min(2, fastHz);
  const plan: StreamPlan = { messages: [], commands: [] };
  if (flavour === 'px4') {
    const rates: Array<[number, number]> = [
      [30, fastHz], // ATTITUDE
      [32, fastHz], // LOCAL_POSITION_NED
      [33, fastHz], // GLOBAL_POSITION_INT
      [1, slowHz], // SYS_STATUS
      [245, slowHz], // EXTENDED_SYS_STATE
      [147, 1], // BATTERY_STATUS
    ];
    for (const [id, hz] of rates) plan.commands.push({ command: 511, params: [id, Math.round(1e6 / hz), 0, 0, 0, 0, 0] });
  } else if (flavour === 'ardupilot') {
    const groups: Array<[number, number]> = [
      [2, slowHz], // EXTENDED_STATUS: SYS_STATUS, …
      [6, fastHz], // POSITION: GLOBAL_POSITION_INT, LOCAL_POSITION_NED
      [10, fastHz], // EXTRA1: ATTITUDE
      [12, slowHz], // EXTRA3: BATTERY_STATUS, EXTENDED_SYS_STATE, …
    ];
    for (const [stream, hz] of groups) {
      const m = new common.RequestDataStream();
      m.targetSystem = target.sysid;
      m.targetComponent = target.compid;
      m.reqStreamId = stream;
      m.reqMessageRate = Math.round(hz);
      m.startStop = 1;
      plan.messages.push(m);
    }
  }
  plan.commands.push({ command: 512, params: [242, 0, 0, 0, 0, 0, 0] });
  return plan;
}
