/** Global DAG of the computing power pool with identical subtasks merged (SPEC §5.3, S1 Fig. 2). */
export type { MergedDag, MergedNode, MergedMember, MergeOptions } from './merge.ts';
export { mergeTasks, projectUserTasks, repetitionFactor, averageRepetitions } from './merge.ts';
