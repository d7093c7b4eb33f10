/**
 * Test double for protocol edge cases (used by the bridge's tests only): a scripted autopilot on
 * a real UDP socket that records what it receives and answers commands as a test dictates.
 * Not a simulator: the SITL lives in sim/autopilot.
 */
import { common, minimal } from 'node-mavlink';
import { VirtualClock, type Clock } from '../../core/clock.ts';
import { MavlinkLink } from '../link/link.ts';
import type { DecodedPacket } from '../mavlink/decoder.ts';
import { openServerTransport } from '../transport/open.ts';
import type { MultiPeerTransport } from '../transport/types.ts';

/** What to do with a received command: ignore it, or answer with a MAV_RESULT. */
export type CommandScript = (cmd: { command: number; confirmation: number; params: number[]; isInt: boolean; frame?: number }) => 'ignore' | number;

export class ScriptedAutopilot {
  readonly received: DecodedPacket[] = [];
  script: CommandScript = () => 0;

  private constructor(
    readonly link: MavlinkLink,
    readonly port: number,
  ) {
    link.onPacket((p) => {
      this.received.push(p);
      if (p.name === 'COMMAND_LONG' || p.name === 'COMMAND_INT') {
        const m = p.message as unknown as Record<string, number>;
        const params = [1, 2, 3, 4, 5, 6, 7].map((i) => m[`_param${i}`]!);
        const isInt = p.name === 'COMMAND_INT';
        const r = this.script({ command: m.command!, confirmation: isInt ? 0 : m.confirmation!, params, isInt, ...(isInt ? { frame: m.frame! } : {}) });
        if (r !== 'ignore') this.ack(m.command!, r, p.sysid, p.compid);
      }
    });
  }

  static async open(opts: { sysid?: number; signingKey?: Buffer } = {}): Promise<ScriptedAutopilot> {
    const r = await openServerTransport('udp://127.0.0.1:0');
    if (!r.ok) throw new Error(r.detail);
    const t = r.value as MultiPeerTransport;
    const clock = { nowUs: () => Date.now() * 1000 };
    const link = new MavlinkLink(t, {
      encoder: { sysid: opts.sysid ?? 1, compid: 1, ...(opts.signingKey ? { signing: { key: opts.signingKey, linkId: 0, clock } } : {}) },
      ...(opts.signingKey ? { decoder: { signing: { key: opts.signingKey, unsigned: 'reject' as const } } } : {}),
    });
    return new ScriptedAutopilot(link, t.localPort);
  }

  heartbeat(flavour: 'px4' | 'ardupilot', customMode: number, armed = false): void {
    const hb = new minimal.Heartbeat();
    hb.type = minimal.MavType.QUADROTOR;
    hb.autopilot = flavour === 'px4' ? minimal.MavAutopilot.PX4 : minimal.MavAutopilot.ARDUPILOTMEGA;
    hb.baseMode = (1 | (armed ? 128 : 0)) as minimal.MavModeFlag;
    hb.customMode = customMode;
    hb.systemStatus = armed ? minimal.MavState.ACTIVE : minimal.MavState.STANDBY;
    this.link.send(hb);
  }

  ack(command: number, result: number, toSys: number, toComp: number): void {
    const a = new common.CommandAck();
    a.command = command as common.MavCmd;
    a.result = result as common.MavResult;
    a.targetSystem = toSys;
    a.targetComponent = toComp;
    this.link.send(a);
  }

  named(name: string): DecodedPacket[] {
    return this.received.filter((p) => p.name === name);
  }

  commands(command: number): Array<Record<string, number>> {
    return this.received
      .filter((p) => (p.name === 'COMMAND_LONG' || p.name === 'COMMAND_INT') && (p.message as unknown as { command: number }).command === command)
      .map((p) => p.message as unknown as Record<string, number>);
  }

  close(): Promise<void> {
    return this.link.close();
  }
}

/**
 * Waits (polling the event loop) until `pred` holds; throws after `maxMs` of real time (measured,
 * not counted in polls: a loaded machine stretches every poll). For waits where real time is the
 * point; a simulation should be waited for in its own time (`untilClock`).
 */
export async function until(pred: () => boolean, what: string, maxMs = 3000): Promise<void> {
  const end = performance.now() + maxMs;
  while (!pred()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * Waits in clock time: checks `pred` every `stepMs` clock-ms and throws after `maxMs` clock-ms.
 * On a `VirtualClock` (lockstep) the outcome and the bound do not depend on machine load.
 */
export async function untilClock(clock: Clock, pred: () => boolean, what: string, maxMs = 60_000, stepMs = 20): Promise<void> {
  const end = clock.nowUs() + maxMs * 1000;
  while (!pred()) {
    if (clock.nowUs() > end) throw new Error(`timed out waiting for ${what} (${maxMs} ms of clock time)`);
    await clock.sleep(stepMs);
  }
}

/**
 * A lockstep clock for a test: started, with `held` to hold it while real I/O (binding sockets,
 * opening transports) runs, and `stop` for the end of the test.
 */
export function lockstepClock(): { clock: VirtualClock; held: <T>(p: Promise<T>) => Promise<T>; stop: () => Promise<void> } {
  const clock = new VirtualClock();
  clock.start();
  return { clock, held: (p) => clock.activity.during(p), stop: () => clock.stop() };
}

/** Lets in-flight datagrams arrive (for checks that something did NOT happen). */
export const settle = (ms = 40): Promise<void> => new Promise((r) => setTimeout(r, ms));
