/**
 * The agent's persisted state (issue 6 §4: "a restarted agent resumes from its persisted state"):
 * the last accepted plan (its seq refuses replays; the plan itself is flown on if still valid),
 * the active policy model's hash, the tasks accepted but not yet reported (reported as failed on
 * restart: their progress died with the process), the pool schedule's finished subtasks and the
 * S0 shares already reported (the rest run again). One JSON file, replaced atomically
 * (write tmp, fsync, rename, fsync dir) so a crash leaves the old or the new state, never a mix.
 */
import { mkdirSync, openSync, fsyncSync, writeSync, closeSync, renameSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fail, ok, type Result } from '../../../core/result.ts';

export interface PersistedTask {
  task_id: number;
  user_id: number;
  release_t_us: number;
  local_s: number;
}

export interface AgentState {
  version: 1;
  uavId: number;
  lastSeq: number;
  /** The last accepted plan, protobuf bytes in base64. */
  planB64?: string;
  modelSha256?: string;
  /** Tasks accepted whose completion has not been made yet. */
  openTasks: PersistedTask[];
  /** Subtask-schedule progress of the plan `planSeq` (SPEC §5.3): node key → completion µs. */
  schedule?: { planSeq: number; done: [string, number][] };
  /** S0 shares of the plan `planSeq` already reported (task ids); the others run again on restart. */
  shares?: { planSeq: number; reported: number[] };
  savedUs: number;
}

const FILE = 'agent-state.json';

export function emptyState(uavId: number): AgentState {
  return { version: 1, uavId, lastSeq: 0, openTasks: [], savedUs: 0 };
}

/** Parses and checks a state file's text. Pure. */
export function parseState(text: string, uavId: number): Result<AgentState, 'invalid' | 'other_uav'> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return fail('invalid', (e as Error).message);
  }
  const s = v as Partial<AgentState>;
  if (typeof s !== 'object' || s === null || s.version !== 1 || typeof s.lastSeq !== 'number' || !(s.lastSeq >= 0) || !Array.isArray(s.openTasks)) {
    return fail('invalid', 'not a version-1 agent state');
  }
  if (s.uavId !== uavId) return fail('other_uav', `state of UAV ${String(s.uavId)}, this is UAV ${uavId}`);
  return ok(s as AgentState);
}

export class StateStore {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  get path(): string {
    return join(this.dir, FILE);
  }

  /** The saved state, or an empty one when there is none; a damaged or foreign file is an error. */
  load(uavId: number): Result<AgentState, 'invalid' | 'other_uav'> {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch {
      return ok(emptyState(uavId));
    }
    return parseState(text, uavId);
  }

  /** Durable when it returns (synchronous: a few hundred bytes, once per accepted plan or task). */
  save(s: AgentState): void {
    const tmp = `${this.path}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, JSON.stringify(s));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.path);
    const dfd = openSync(this.dir, 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  }
}
