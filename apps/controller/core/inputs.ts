/**
 * The core's inputs and outputs. Message inputs are the decoded contract messages as the
 * controller received them (topic, receive time on its clock, rounded to whole µs so the
 * PlanningInputs record reproduces them exactly); clock inputs are the controller's timers.
 */
import type { MessageInput, Plan, PlanAck, PlanningInputs, TaskCompletion, TaskRequest, TwinState } from '../../../proto/index.ts';
import type { PoolRoundMetrics } from '../slot/index.ts';
import type { S0Step } from '../s0/index.ts';

interface Received {
  /** The MQTT topic it arrived on. */
  topic: string;
  /** Receive time on the controller's clock, whole µs. */
  recvUs: number;
}

export type MessageEvent =
  | (Received & { kind: 'twin'; msg: TwinState })
  | (Received & { kind: 'task'; msg: TaskRequest })
  | (Received & { kind: 'ack'; msg: PlanAck })
  | (Received & { kind: 'completion'; msg: TaskCompletion });

export type ClockEvent =
  /** Before slot 0: send each UAV to its launch position. */
  | { kind: 'launch'; nowUs: number }
  /** Slot `slot` begins (its task requests count from now). */
  | { kind: 'slotStart'; slot: number; nowUs: number }
  /** Slot `slot`'s collection window closed: plan it (S0: with the warm start's proposal, if any). */
  | { kind: 'plan'; slot: number; nowUs: number; s0Warm?: ReadonlyMap<number, number[][]> }
  /**
   * A standby controller (leader election, ../leader) mirrors the leader: slot `slot` runs, planned
   * or not; it began at `slotStartUs` by the leader's record (absent or 0: unknown).
   */
  | { kind: 'follow'; slot: number; planned: boolean; nowUs: number; slotStartUs?: number }
  /** Sharded controllers (../shard): the UAV left this shard (handed over, or flying to another region); plan without it. */
  | { kind: 'release'; uavId: number; nowUs: number }
  /** After the last slot: send every UAV home. */
  | { kind: 'finish'; nowUs: number }
  /** The drain after the last slot ended: final energies, a running pool round closed. */
  | { kind: 'close'; nowUs: number };

export type CoreEvent = MessageEvent | ClockEvent;

export interface OutPlan {
  uavId: number;
  plan: MessageInput<Omit<Plan, 'header'>>;
  /** For logs: "plan for UAV 2", "launch plan for UAV 1", … */
  what: string;
}

export interface CoreOutput {
  /** A planning step: what it consumed (publish before `plans`). */
  inputs?: MessageInput<Omit<PlanningInputs, 'header'>>;
  plans: OutPlan[];
  /** S0 slot: its coalition planning inputs (publish before `plans`). */
  coalitionInputs?: S0Step['inputs'];
  /** Set when slot k's plan (or pool step) was made and its metrics row is filled (the shell's onSlot). */
  slotPlanned?: number;
  /** A pool round started: the DAG task ids it was planned from, in the order given to the planner. */
  roundTasks?: number[];
  /** Pool rounds closed by this event. */
  roundsClosed: PoolRoundMetrics[];
  warnings: { text: string; data: Record<string, unknown> }[];
}

export const emptyOutput = (): CoreOutput => ({ plans: [], roundsClosed: [], warnings: [] });
