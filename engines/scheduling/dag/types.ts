/**
 * Dependent-task model (SPEC §5.3, S1 §3.3): user m's task is a DAG D_m = (T_m, E_m, C_m) of
 * subtasks. A subtask's `contentId` is its identity — the same function on the same data
 * (S1's example: the map of the area) — which is what lets identical subtasks of different
 * users be merged (see `../merge/`).
 */

/** One subtask T_{m,i}. Sizes in bits and CPU cycles (SI, SPEC "Units"). */
export interface Subtask {
  /** Unique within its user's task. */
  readonly id: string;
  /** Identity of the computation (function + own input data); equal ids must have equal sizes. */
  readonly contentId: string;
  /** User data this subtask processes, uploaded during collection (S1: 1–8 Mb). */
  readonly inputBits: number;
  /** CPU cycles to compute it (S1's C_m(i,n)·f_n^max). */
  readonly cycles: number;
  /** Result size: the dependent data M_pre sent to every successor (S1: 150–300 kb). */
  readonly outputBits: number;
}

/** `from` must finish (and its output arrive) before `to` starts (S1 e_m(i,j) > 0). */
export interface TaskEdge {
  readonly from: string;
  readonly to: string;
}

export interface UserTask {
  readonly userId: string;
  readonly subtasks: readonly Subtask[];
  readonly edges: readonly TaskEdge[];
}

/** S1's quadruple (w_m, d_m, D_m, t_m); d_m is derived from the task (sum of input bits). */
export interface User {
  readonly id: string;
  /** Horizontal position w_m (m); the user is on the ground. */
  readonly x: number;
  readonly y: number;
  /** t_m: earliest time (s) the user's data can be collected. */
  readonly requestS: number;
  readonly task: UserTask;
}

/** Why a task failed validation (machine-readable reason + human detail). */
export type DagError =
  | 'empty-task'
  | 'duplicate-subtask-id'
  | 'bad-size'
  | 'unknown-edge-endpoint'
  | 'self-loop'
  | 'duplicate-edge'
  | 'cycle'
  | 'inconsistent-content';
