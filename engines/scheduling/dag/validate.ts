import type { Result } from '../../../core/result.ts';
import { fail, ok } from '../../../core/result.ts';
import type { DagError, Subtask, TaskEdge, UserTask } from './types.ts';

/**
 * Kahn's algorithm over ids; returns a topological order (ties broken by declaration order) or
 * the ids left on a cycle.
 */
export function topologicalOrder(
  ids: readonly string[],
  edges: readonly TaskEdge[],
): { order: string[]; cyclic: string[] } {
  const indeg = new Map<string, number>();
  const succ = new Map<string, string[]>();
  for (const id of ids) {
    indeg.set(id, 0);
    succ.set(id, []);
  }
  for (const e of edges) {
    indeg.set(e.to, (indeg.get(e.to) ?? 0) + 1);
    succ.get(e.from)?.push(e.to);
  }
  const position = new Map(ids.map((id, i) => [id, i]));
  const ready = ids.filter((id) => indeg.get(id) === 0);
  const order: string[] = [];
  while (ready.length > 0) {
    const id = ready.shift()!;
    order.push(id);
    const next: string[] = [];
    for (const s of succ.get(id) ?? []) {
      const d = indeg.get(s)! - 1;
      indeg.set(s, d);
      if (d === 0) next.push(s);
    }
    next.sort((a, b) => position.get(a)! - position.get(b)!);
    ready.push(...next);
  }
  const done = new Set(order);
  const cyclic = ids.filter((id) => !done.has(id));
  return { order, cyclic };
}

function badSize(s: Subtask): string | undefined {
  for (const k of ['inputBits', 'cycles', 'outputBits'] as const) {
    const v = s[k];
    if (!Number.isFinite(v) || v <= 0) return `subtask ${s.id}: ${k} must be a positive finite number, got ${v}`;
  }
  return undefined;
}

/**
 * Checks one user's task: non-empty, unique subtask ids, positive finite sizes, edges between
 * declared subtasks, no self-loops or duplicate edges, acyclic.
 */
export function validateTask(task: UserTask): Result<UserTask, DagError> {
  const where = `user ${task.userId}`;
  if (task.subtasks.length === 0) return fail('empty-task', `${where}: task has no subtasks`);
  const ids = new Set<string>();
  for (const s of task.subtasks) {
    if (ids.has(s.id)) return fail('duplicate-subtask-id', `${where}: subtask id ${s.id} appears twice`);
    ids.add(s.id);
    const bad = badSize(s);
    if (bad !== undefined) return fail('bad-size', `${where}: ${bad}`);
  }
  const seen = new Set<string>();
  for (const e of task.edges) {
    if (!ids.has(e.from) || !ids.has(e.to)) {
      return fail('unknown-edge-endpoint', `${where}: edge ${e.from}→${e.to} references an undeclared subtask`);
    }
    if (e.from === e.to) return fail('self-loop', `${where}: edge ${e.from}→${e.to} is a self-loop`);
    const key = `${e.from}\u0000${e.to}`;
    if (seen.has(key)) return fail('duplicate-edge', `${where}: edge ${e.from}→${e.to} appears twice`);
    seen.add(key);
  }
  const { cyclic } = topologicalOrder(
    task.subtasks.map((s) => s.id),
    task.edges,
  );
  if (cyclic.length > 0) return fail('cycle', `${where}: subtasks ${cyclic.join(', ')} lie on or after a cycle`);
  return ok(task);
}

/**
 * Validates every task and checks that a `contentId` means the same sizes everywhere (identity
 * would be meaningless otherwise).
 */
export function validateTasks(tasks: readonly UserTask[]): Result<readonly UserTask[], DagError> {
  const users = new Set<string>();
  const sizes = new Map<string, Subtask>();
  for (const t of tasks) {
    if (users.has(t.userId)) return fail('duplicate-subtask-id', `user id ${t.userId} appears twice`);
    users.add(t.userId);
    const r = validateTask(t);
    if (!r.ok) return r;
    for (const s of t.subtasks) {
      const prev = sizes.get(s.contentId);
      if (prev === undefined) sizes.set(s.contentId, s);
      else if (prev.inputBits !== s.inputBits || prev.cycles !== s.cycles || prev.outputBits !== s.outputBits) {
        return fail(
          'inconsistent-content',
          `contentId ${s.contentId}: user ${t.userId} subtask ${s.id} has sizes different from an earlier one`,
        );
      }
    }
  }
  return ok(tasks);
}
