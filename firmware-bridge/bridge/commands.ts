/**
 * Command protocol client (MAVLINK.md §3): COMMAND_LONG / COMMAND_INT with COMMAND_ACK.
 * - No ACK within `attemptTimeoutMs` → resend (COMMAND_LONG with `confirmation`+1), up to
 *   `attempts` sends in all, then `fail('timeout')`.
 * - ACK IN_PROGRESS → no resend; wait up to `inProgressTimeoutMs` from each progress ACK.
 * - Any other ACK is final: ACCEPTED → ok, the rest → `fail(<mav_result name>)`.
 * One command per command id in flight at a time (the protocol matches ACKs by id); a second
 * call with the same id while one runs gets `fail('temporarily_rejected')` without sending.
 * ACKs addressed to another system/component (e.g. a GCS's) are ignored.
 */
import { common } from 'node-mavlink';
import type { MavLinkData } from 'node-mavlink';
import type { Clock, Timer } from '../../core/clock.ts';
import { ok, fail } from '../../core/result.ts';
import type { CommandFailure, CommandResult } from '../vehicle.ts';

export interface CommandSpec {
  command: number;
  /** p1..p7; for COMMAND_INT p5/p6 are int32 (e.g. degE7) and p7 a float z. */
  params: readonly number[];
  /** Send as COMMAND_INT in this MAV_FRAME (else COMMAND_LONG). */
  intFrame?: number;
}

export interface CommandEngineOptions {
  ownSysid: number;
  ownCompid: number;
  attemptTimeoutMs?: number;
  attempts?: number;
  inProgressTimeoutMs?: number;
}

/** COMMAND_INT "no value" for x/y. */
const INT32_MAX = 2147483647;

const RESULTS: Record<number, CommandFailure | 'ok' | 'in_progress'> = {
  0: 'ok',
  1: 'temporarily_rejected',
  2: 'denied',
  3: 'unsupported',
  4: 'failed',
  5: 'in_progress',
  6: 'cancelled',
  7: 'command_long_only',
  8: 'command_int_only',
  9: 'unsupported_mav_frame',
};

interface Pending {
  spec: CommandSpec;
  attempts: number;
  timer?: Timer;
  resolve: (r: CommandResult) => void;
}

export function buildCommand(spec: CommandSpec, target: { sysid: number; compid: number }, confirmation: number): MavLinkData {
  const p = (i: number) => spec.params[i] ?? 0;
  if (spec.intFrame !== undefined) {
    const m = new common.CommandInt();
    m.targetSystem = target.sysid;
    m.targetComponent = target.compid;
    m.frame = spec.intFrame as common.MavFrame;
    m.command = spec.command as common.MavCmd;
    m.current = 0;
    m.autocontinue = 0;
    const raw = m as unknown as Record<string, number>;
    for (let i = 0; i < 7; i++) raw[`_param${i + 1}`] = i === 4 || i === 5 ? (Number.isFinite(p(i)) ? Math.round(p(i)) : INT32_MAX) : p(i);
    return m;
  }
  const m = new common.CommandLong();
  m.targetSystem = target.sysid;
  m.targetComponent = target.compid;
  m.command = spec.command as common.MavCmd;
  m.confirmation = Math.min(255, confirmation);
  const raw = m as unknown as Record<string, number>;
  for (let i = 0; i < 7; i++) raw[`_param${i + 1}`] = p(i);
  return m;
}

export class CommandEngine {
  private readonly pending = new Map<number, Pending>();
  private readonly attemptTimeoutMs: number;
  private readonly maxAttempts: number;
  private readonly inProgressTimeoutMs: number;

  constructor(
    private readonly clock: Clock,
    /** Sends a message; returns false when it could not be encoded. */
    private readonly send: (msg: MavLinkData) => boolean,
    private readonly target: () => { sysid: number; compid: number } | undefined,
    private readonly opts: CommandEngineOptions,
  ) {
    this.attemptTimeoutMs = opts.attemptTimeoutMs ?? 1000;
    this.maxAttempts = opts.attempts ?? 4;
    this.inProgressTimeoutMs = opts.inProgressTimeoutMs ?? 10_000;
  }

  run(spec: CommandSpec): Promise<CommandResult> {
    if (!this.target()) return Promise.resolve(fail('no_link', 'no autopilot discovered'));
    if (this.pending.has(spec.command))
      return Promise.resolve(fail('temporarily_rejected', `command ${spec.command} already in flight`));
    return new Promise((resolve) => {
      const p: Pending = { spec, attempts: 0, resolve };
      this.pending.set(spec.command, p);
      this.attempt(p);
    });
  }

  private attempt(p: Pending): void {
    const t = this.target();
    if (!t) return this.finish(p, fail('no_link', 'autopilot lost'));
    if (!this.send(buildCommand(p.spec, t, p.attempts))) return this.finish(p, fail('failed', 'command could not be encoded'));
    p.attempts++;
    p.timer = this.clock.setTimeout(() => {
      if (p.attempts >= this.maxAttempts) this.finish(p, fail('timeout', `no COMMAND_ACK after ${p.attempts} attempts`));
      else this.attempt(p);
    }, this.attemptTimeoutMs);
  }

  private finish(p: Pending, r: CommandResult): void {
    p.timer?.cancel();
    if (this.pending.get(p.spec.command) === p) this.pending.delete(p.spec.command);
    p.resolve(r);
  }

  /** Feeds a COMMAND_ACK received from (sysid, compid). */
  handleAck(ack: MavLinkData, fromSysid: number, fromCompid: number): void {
    const a = ack as unknown as { command: number; result: number; targetSystem: number; targetComponent: number };
    const t = this.target();
    if (!t || fromSysid !== t.sysid || fromCompid !== t.compid) return;
    if (a.targetSystem && a.targetSystem !== this.opts.ownSysid) return;
    if (a.targetComponent && a.targetComponent !== this.opts.ownCompid) return;
    const p = this.pending.get(a.command);
    if (!p) return;
    const r = RESULTS[a.result] ?? 'failed';
    if (r === 'in_progress') {
      p.timer?.cancel();
      p.timer = this.clock.setTimeout(() => this.finish(p, fail('timeout', 'IN_PROGRESS without completion')), this.inProgressTimeoutMs);
      return;
    }
    this.finish(p, r === 'ok' ? ok({ command: a.command, attempts: p.attempts }) : fail(r));
  }

  /** Fails every pending command (link closed). */
  cancelAll(reason: CommandFailure, detail: string): void {
    for (const p of [...this.pending.values()]) this.finish(p, fail(reason, detail));
  }
}
