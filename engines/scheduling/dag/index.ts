/** Dependent-task model: types, validation, seeded layered DAG generator (SPEC §5.3, S1 §3.3, §5.1). */
export type { Subtask, TaskEdge, UserTask, User, DagError } from './types.ts';
export { validateTask, validateTasks, topologicalOrder } from './validate.ts';
export type { DagGenOptions, ScenarioOptions } from './generate.ts';
export {
  DEFAULT_DAG_GEN,
  DEFAULT_SCENARIO,
  generateSharedLibrary,
  generateUserTask,
  generateUsers,
} from './generate.ts';
