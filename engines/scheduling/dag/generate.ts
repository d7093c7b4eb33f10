import type { Rng } from '../../../core/rng.ts';
import type { Subtask, TaskEdge, User, UserTask } from './types.ts';

/**
 * Seeded layered random DAGs in S1's simulation setting (S1 §5.1, SPEC §5.3): the topology is
 * generated layer by layer with a normally distributed width per layer (after Nguyen et al.
 * 2023), subtask data 1–8 Mb, dependent data 150–300 kb.
 *
 * Repeats across users come from one **shared library** (a layered DAG of `sharedPoolSize`
 * subtasks; S1 §5.2.2 uses 12 repeated subtasks). Each user takes an *ancestor-closed* subset
 * of the library — a library subtask is only taken together with all its library predecessors —
 * so two users that both hold library subtask c compute it on the same inputs and it is mergeable
 * under the identity rule of `../merge/`. The rest of the user's task is private (unique
 * contentIds), layered below the shared part.
 */
export interface DagGenOptions {
  /** Layers per user task, inclusive range. */
  readonly layers: readonly [number, number];
  /** Mean and standard deviation of the number of subtasks per layer (rounded, ≥ 1). */
  readonly widthMean: number;
  readonly widthSd: number;
  /** Subtask input data range (bits); S1: 1–8 Mb. */
  readonly inputBits: readonly [number, number];
  /** Dependent (output) data range (bits); S1: 150–300 kb. */
  readonly outputBits: readonly [number, number];
  /**
   * Computation intensity range (cycles per input bit). [choice]: S1's table is not in the text;
   * default 500–1000, the range SPEC §5.5 gives for S3's UAV offloading setting. The merging
   * gain scales with the compute share of the mission (see docs/planning-engine-2.md).
   */
  readonly cyclesPerBit: readonly [number, number];
  /** Target fraction of each user's subtasks drawn from the shared library, in [0, 1]. */
  readonly repeatRatio: number;
  /** Number of subtasks in the shared library. */
  readonly sharedPoolSize: number;
  /** Max predecessors drawn for a subtask from the previous layer (≥ 1). */
  readonly maxFanIn: number;
}

export const DEFAULT_DAG_GEN: DagGenOptions = {
  layers: [3, 5],
  widthMean: 2,
  widthSd: 0.8,
  inputBits: [1e6, 8e6],
  outputBits: [150e3, 300e3],
  cyclesPerBit: [500, 1000],
  repeatRatio: 0.4,
  sharedPoolSize: 12,
  maxFanIn: 2,
};

interface Node {
  sub: Subtask;
  preds: number[];
}

function drawSubtask(rng: Rng, o: DagGenOptions, id: string, contentId: string): Subtask {
  const inputBits = Math.round(rng.uniform(o.inputBits[0], o.inputBits[1]));
  return {
    id,
    contentId,
    inputBits,
    cycles: Math.round(inputBits * rng.uniform(o.cyclesPerBit[0], o.cyclesPerBit[1])),
    outputBits: Math.round(rng.uniform(o.outputBits[0], o.outputBits[1])),
  };
}

function layerWidths(rng: Rng, o: DagGenOptions): number[] {
  const n = rng.int(o.layers[0], o.layers[1]);
  const widths: number[] = [];
  for (let l = 0; l < n; l++) widths.push(Math.max(1, Math.round(o.widthMean + o.widthSd * rng.normal())));
  return widths;
}

/** Builds a layered DAG; each node past layer 0 gets 1..maxFanIn predecessors from the layer above. */
function layered(rng: Rng, o: DagGenOptions, widths: number[], make: (k: number) => Subtask): Node[] {
  const nodes: Node[] = [];
  let prev: number[] = [];
  for (const w of widths) {
    const cur: number[] = [];
    for (let j = 0; j < w; j++) {
      const preds: number[] = [];
      if (prev.length > 0) {
        const k = rng.int(1, Math.min(o.maxFanIn, prev.length));
        const pool = rng.shuffle([...prev]);
        preds.push(...pool.slice(0, k).sort((a, b) => a - b));
      }
      cur.push(nodes.length);
      nodes.push({ sub: make(nodes.length), preds });
    }
    prev = cur;
  }
  return nodes;
}

/** The shared library: contentIds `c0…c{n-1}`, one fixed size per content. */
export function generateSharedLibrary(rng: Rng, o: DagGenOptions = DEFAULT_DAG_GEN): { subtasks: Subtask[]; preds: number[][] } {
  const widths: number[] = [];
  let left = o.sharedPoolSize;
  while (left > 0) {
    const w = Math.min(left, Math.max(1, Math.round(o.widthMean + o.widthSd * rng.normal())));
    widths.push(w);
    left -= w;
  }
  const nodes = layered(rng, o, widths, (k) => drawSubtask(rng, o, `c${k}`, `c${k}`));
  return { subtasks: nodes.map((n) => n.sub), preds: nodes.map((n) => n.preds) };
}

/**
 * One user's task: an ancestor-closed subset of the library (≈ repeatRatio of its subtasks) plus
 * private layered subtasks; the first private layer hangs below random shared subtasks.
 */
export function generateUserTask(
  rng: Rng,
  userId: string,
  library: { subtasks: readonly Subtask[]; preds: readonly number[][] },
  o: DagGenOptions = DEFAULT_DAG_GEN,
): UserTask {
  const widths = layerWidths(rng, o);
  const total = widths.reduce((a, b) => a + b, 0);
  const wantShared = Math.min(library.subtasks.length, Math.round(o.repeatRatio * total));
  const taken = new Set<number>();
  const order = rng.shuffle(library.subtasks.map((_, i) => i));
  // Add whole ancestor closures that still fit the target, so the ratio is met without overshoot.
  for (const c of order) {
    if (taken.size >= wantShared) break;
    const closure = new Set<number>();
    const stack = [c];
    while (stack.length > 0) {
      const k = stack.pop()!;
      if (taken.has(k) || closure.has(k)) continue;
      closure.add(k);
      stack.push(...library.preds[k]!);
    }
    if (taken.size + closure.size <= wantShared) for (const k of closure) taken.add(k);
  }
  const subtasks: Subtask[] = [];
  const edges: TaskEdge[] = [];
  const sharedIds: string[] = [];
  for (const k of [...taken].sort((a, b) => a - b)) {
    const s = library.subtasks[k]!;
    subtasks.push({ ...s, id: `s-${s.contentId}` });
    sharedIds.push(`s-${s.contentId}`);
    for (const p of library.preds[k]!) edges.push({ from: `s-c${p}`, to: `s-${s.contentId}` });
  }
  const privateWidths = widths.slice();
  let excess = taken.size;
  while (excess > 0 && privateWidths.reduce((a, b) => a + b, 0) > 1) {
    const l = privateWidths.findIndex((w) => w > 1);
    if (l < 0) privateWidths.shift();
    else privateWidths[l]! -= 1;
    excess--;
  }
  const priv = layered(rng, o, privateWidths, (k) => drawSubtask(rng, o, `p${k}`, `${userId}/p${k}`));
  for (const [i, n] of priv.entries()) {
    subtasks.push(n.sub);
    for (const p of n.preds) edges.push({ from: priv[p]!.sub.id, to: n.sub.id });
    if (n.preds.length === 0 && sharedIds.length > 0 && (i > 0 || rng.next() < 0.9)) {
      edges.push({ from: rng.pick(sharedIds), to: n.sub.id });
    }
  }
  return { userId, subtasks, edges };
}

export interface ScenarioOptions {
  readonly users: number;
  /** Side of the square area (m); S1: 1 km. */
  readonly areaM: number;
  /** Request times t_m are uniform in [0, maxRequestS]. */
  readonly maxRequestS: number;
  readonly dag: DagGenOptions;
}

export const DEFAULT_SCENARIO: Omit<ScenarioOptions, 'users'> = { areaM: 1000, maxRequestS: 0, dag: DEFAULT_DAG_GEN };

/** Users uniformly placed in the area, each with a generated task sharing one library. */
export function generateUsers(rng: Rng, options: Partial<ScenarioOptions> & { users: number }): User[] {
  const o: ScenarioOptions = { ...DEFAULT_SCENARIO, ...options };
  const library = generateSharedLibrary(rng.fork(), o.dag);
  const users: User[] = [];
  for (let m = 0; m < o.users; m++) {
    const id = `u${m}`;
    users.push({
      id,
      x: rng.uniform(0, o.areaM),
      y: rng.uniform(0, o.areaM),
      requestS: o.maxRequestS > 0 ? rng.uniform(0, o.maxRequestS) : 0,
      task: generateUserTask(rng, id, library, o.dag),
    });
  }
  return users;
}
