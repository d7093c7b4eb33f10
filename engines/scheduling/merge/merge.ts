import type { Result } from '../../../core/result.ts';
import { ok } from '../../../core/result.ts';
import type { DagError, UserTask } from '../dag/types.ts';
import { topologicalOrder, validateTasks } from '../dag/validate.ts';

/**
 * The global DAG of the computing power pool (SPEC §5.3, S1 §3.3 and Fig. 2): all users' DAGs
 * joined under a virtual entry and exit (weight 0), identical subtasks merged into one node that
 * is computed once and whose result is shared.
 *
 * **Identity rule.** Two subtasks are identical iff they have the same `contentId` AND their
 * predecessor sets are identical *recursively* (same contentIds all the way up). A subtask's
 * result depends on its own function/data (contentId) and on its inputs, i.e. its predecessors'
 * results; equal contentIds with different upstream computations generally give different
 * results, so merging them would be wrong. Requiring only the predecessors' contentIds (one
 * level) is not enough for the same reason one level higher. Recursive identity also makes the
 * merged graph acyclic by construction: a node's key contains its predecessors' keys, so a
 * merged node is strictly deeper than each of its predecessors.
 */
export interface MergedMember {
  readonly userId: string;
  readonly subtaskId: string;
}

export interface MergedNode {
  readonly index: number;
  readonly kind: 'entry' | 'exit' | 'task';
  /** Canonical identity: contentId plus the predecessors' keys (virtual nodes: '⊤' / '⊥'). */
  readonly key: string;
  readonly contentId: string;
  /** Sizes (0 for the virtual entry/exit). */
  readonly inputBits: number;
  readonly cycles: number;
  readonly outputBits: number;
  /** The original subtasks this node stands for. */
  readonly members: readonly MergedMember[];
  /** Distinct users served, in input order. */
  readonly users: readonly string[];
  /** The user whose upload carries this node's input data (the first user served). */
  readonly uploader: string;
  readonly preds: readonly number[];
  readonly succs: readonly number[];
}

export interface MergedDag {
  readonly nodes: readonly MergedNode[];
  /** Indices of the virtual entry (always 0) and exit (always nodes.length − 1). */
  readonly entry: number;
  readonly exit: number;
  /** A topological order of all nodes, entry first, exit last. */
  readonly topoOrder: readonly number[];
  /** For each user: the merged node of each of its subtasks. */
  readonly mapping: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** For each user: distinct merged nodes it needs; its task completes when the last one does. */
  readonly userNodes: ReadonlyMap<string, readonly number[]>;
  /** Number of real (non-virtual) nodes. */
  readonly taskCount: number;
}

export interface MergeOptions {
  /** false: no merging (the "without merging" arm of S1 Figs. 6–9); identity then includes the user. */
  readonly merge: boolean;
}

/** Builds the global DAG. Fails with the validation reason when a task is malformed. */
export function mergeTasks(tasks: readonly UserTask[], options: MergeOptions = { merge: true }): Result<MergedDag, DagError> {
  const v = validateTasks(tasks);
  if (!v.ok) return v;
  interface Draft {
    key: string;
    contentId: string;
    inputBits: number;
    cycles: number;
    outputBits: number;
    members: MergedMember[];
    users: string[];
    preds: number[];
  }
  const drafts: Draft[] = [];
  const byKey = new Map<string, number>();
  const mapping = new Map<string, Map<string, number>>();
  for (const t of tasks) {
    const local = new Map<string, number>();
    const predsOf = new Map<string, string[]>(t.subtasks.map((s) => [s.id, []]));
    for (const e of t.edges) predsOf.get(e.to)!.push(e.from);
    const byId = new Map(t.subtasks.map((s) => [s.id, s]));
    const { order } = topologicalOrder(
      t.subtasks.map((s) => s.id),
      t.edges,
    );
    for (const id of order) {
      const s = byId.get(id)!;
      const preds = [...new Set(predsOf.get(id)!.map((p) => local.get(p)!))].sort((a, b) => a - b);
      const own = options.merge ? s.contentId : `${t.userId}\u0000${s.contentId}`;
      const key = `${own}(${preds.map((p) => drafts[p]!.key).join(',')})`;
      let idx = byKey.get(key);
      if (idx === undefined) {
        idx = drafts.length;
        byKey.set(key, idx);
        drafts.push({
          key,
          contentId: s.contentId,
          inputBits: s.inputBits,
          cycles: s.cycles,
          outputBits: s.outputBits,
          members: [],
          users: [],
          preds,
        });
      }
      const d = drafts[idx]!;
      d.members.push({ userId: t.userId, subtaskId: s.id });
      if (d.users[d.users.length - 1] !== t.userId) d.users.push(t.userId);
      local.set(id, idx);
    }
    mapping.set(t.userId, local);
  }
  // Shift real nodes by one to make room for the entry at index 0.
  const n = drafts.length + 2;
  const exit = n - 1;
  const preds: number[][] = Array.from({ length: n }, () => []);
  const succs: number[][] = Array.from({ length: n }, () => []);
  drafts.forEach((d, i) => {
    const me = i + 1;
    preds[me] = d.preds.length === 0 ? [0] : d.preds.map((p) => p + 1);
  });
  for (let i = 1; i < exit; i++) for (const p of preds[i]!) succs[p]!.push(i);
  for (let i = 1; i < exit; i++) {
    if (succs[i]!.length === 0) {
      succs[i]!.push(exit);
      preds[exit]!.push(i);
    }
  }
  const nodes: MergedNode[] = [
    virtual(0, 'entry', succs[0]!, []),
    ...drafts.map(
      (d, i): MergedNode => ({
        index: i + 1,
        kind: 'task',
        key: d.key,
        contentId: d.contentId,
        inputBits: d.inputBits,
        cycles: d.cycles,
        outputBits: d.outputBits,
        members: d.members,
        users: d.users,
        uploader: d.users[0]!,
        preds: preds[i + 1]!,
        succs: succs[i + 1]!,
      }),
    ),
    virtual(exit, 'exit', [], preds[exit]!),
  ];
  // Drafts were created in an order where predecessors precede successors.
  const topoOrder = nodes.map((nd) => nd.index);
  const shifted = new Map<string, Map<string, number>>();
  const userNodes = new Map<string, number[]>();
  for (const [u, m] of mapping) {
    const sm = new Map<string, number>();
    for (const [sid, idx] of m) sm.set(sid, idx + 1);
    shifted.set(u, sm);
    userNodes.set(
      u,
      [...new Set(sm.values())].sort((a, b) => a - b),
    );
  }
  return ok({ nodes, entry: 0, exit, topoOrder, mapping: shifted, userNodes, taskCount: drafts.length });
}

function virtual(index: number, kind: 'entry' | 'exit', succs: number[], preds: number[]): MergedNode {
  const key = kind === 'entry' ? '⊤' : '⊥';
  return {
    index,
    kind,
    key,
    contentId: key,
    inputBits: 0,
    cycles: 0,
    outputBits: 0,
    members: [],
    users: [],
    uploader: '',
    preds,
    succs,
  };
}

/**
 * Each user's task rewritten over merged nodes (subtask id `n<index>`, contentId = node key).
 * Merging this again yields an isomorphic DAG (idempotence).
 */
export function projectUserTasks(dag: MergedDag): UserTask[] {
  const out: UserTask[] = [];
  for (const [userId, idxs] of dag.userNodes) {
    const mine = new Set(idxs);
    const subtasks = idxs.map((i) => {
      const nd = dag.nodes[i]!;
      return { id: `n${i}`, contentId: nd.key, inputBits: nd.inputBits, cycles: nd.cycles, outputBits: nd.outputBits };
    });
    const edges = idxs.flatMap((i) =>
      dag.nodes[i]!.preds.filter((p) => mine.has(p)).map((p) => ({ from: `n${p}`, to: `n${i}` })),
    );
    out.push({ userId, subtasks, edges });
  }
  return out;
}

/** Number of original subtasks over number of merged nodes (≥ 1; S1's "average repetitions"). */
export function repetitionFactor(dag: MergedDag): number {
  let members = 0;
  for (const nd of dag.nodes) members += nd.members.length;
  return dag.taskCount === 0 ? 1 : members / dag.taskCount;
}

/** S1 §5.2.2 "average number of repetitions": mean users per node over nodes used by ≥ 2 members. */
export function averageRepetitions(dag: MergedDag): number {
  let sum = 0;
  let count = 0;
  for (const nd of dag.nodes) {
    if (nd.members.length >= 2) {
      sum += nd.members.length;
      count++;
    }
  }
  return count === 0 ? 1 : sum / count;
}
