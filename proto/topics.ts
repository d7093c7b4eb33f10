/**
 * The topic map, as data: every MQTT topic of the system with its direction, message type, QoS
 * and expected rate. The apps publish and subscribe through it, the broker ACLs are generated from
 * it, and `docs/topics.md` is rendered from it — there is no other list.
 *
 * Patterns use `{uav}` and `{user}` placeholders (decimal ids ≥ 1).
 */
import type { MessageName } from './codec.ts';

/** Who speaks on the bus. `world` is the simulated (or gateway-relayed) user devices. */
export type Role = 'controller' | 'agent' | 'world';

export interface TopicSpec {
  /** Stable key used in code. */
  key: string;
  pattern: string;
  type: MessageName;
  /** The only role allowed to publish. An agent may publish only with its own `{uav}`. */
  publisher: Role;
  /** Roles that read it; an agent reads only topics with its own `{uav}`, or none. */
  subscribers: Role[];
  qos: 0 | 1;
  retain: boolean;
  /** Expected rate, for the docs and for rate monitoring. */
  rate: string;
  description: string;
}

export const TOPICS = [
  { key: 'twin', pattern: 'uavmec/v1/uav/{uav}/twin', type: 'TwinState', publisher: 'agent', subscribers: ['controller'], qos: 1, retain: false, rate: '5 Hz + on change', description: 'Digital-twin state of one UAV (SPEC §2).' },
  { key: 'plan', pattern: 'uavmec/v1/uav/{uav}/plan', type: 'Plan', publisher: 'controller', subscribers: ['agent', 'world'], qos: 1, retain: false, rate: '1 per slot', description: 'The slot plan for one UAV: flight, compute assignments, subtask schedule. The world (user devices) reads it to learn which tasks a UAV took.' },
  { key: 'ack', pattern: 'uavmec/v1/uav/{uav}/ack', type: 'PlanAck', publisher: 'agent', subscribers: ['controller'], qos: 1, retain: false, rate: '1 per plan', description: 'Plan accepted, or refused with a reason.' },
  { key: 'uavCompletion', pattern: 'uavmec/v1/uav/{uav}/completion', type: 'TaskCompletion', publisher: 'agent', subscribers: ['controller', 'world'], qos: 1, retain: false, rate: 'per task', description: 'A task or subtask finished (or abandoned) on a UAV. In S0 missions one per coalition share; the user device (world) reads them to know when its task is complete.' },
  { key: 'uavEvent', pattern: 'uavmec/v1/uav/{uav}/event', type: 'Event', publisher: 'agent', subscribers: ['controller'], qos: 1, retain: false, rate: 'on event', description: 'Failsafes, link changes, plan refusals, model switches.' },
  { key: 'health', pattern: 'uavmec/v1/uav/{uav}/health', type: 'Health', publisher: 'agent', subscribers: ['controller'], qos: 0, retain: false, rate: '1 Hz', description: 'Agent process health.' },
  { key: 'presence', pattern: 'uavmec/v1/uav/{uav}/presence', type: 'AgentPresence', publisher: 'agent', subscribers: ['agent', 'controller'], qos: 1, retain: true, rate: 'on start, stop and reconnect', description: 'Which agent process holds this UAV: retained, online on start, offline as the last will; a second agent for the UAV reads it and refuses to start.' },
  { key: 'fleet', pattern: 'uavmec/v1/fleet', type: 'FleetState', publisher: 'controller', subscribers: ['agent', 'world', 'controller'], qos: 0, retain: false, rate: '5 Hz + at each slot start', description: 'Fleet positions for separation; the controller heartbeat and slot clock (the world releases tasks on it; standby controllers read it as the leader\'s heartbeat, issue 19).' },
  { key: 'leader', pattern: 'uavmec/v1/controller/leader', type: 'LeaderRecord', publisher: 'controller', subscribers: ['controller'], qos: 1, retain: true, rate: '1 per slot + last will', description: 'Controller leadership lease (retained): holder, epoch, slot and plan sequence; a last will says the holder is gone (issue 19).' },
  { key: 'shard', pattern: 'uavmec/v1/controller/shard', type: 'ShardPicture', publisher: 'controller', subscribers: ['controller'], qos: 0, retain: false, rate: '5 Hz per shard (sharded controllers)', description: 'One shard\'s part of the fleet picture: its region, its UAVs and where they are, its users; the coordinating shard merges them into the FleetState and sets the slot clock (issue 19 §3).' },
  { key: 'handover', pattern: 'uavmec/v1/controller/handover', type: 'Handover', publisher: 'controller', subscribers: ['controller'], qos: 1, retain: false, rate: 'when a UAV crosses a region border', description: 'A UAV passes from one shard to the next, with its last twin state (issue 19 §3).' },
  { key: 'controllerEvent', pattern: 'uavmec/v1/controller/event', type: 'Event', publisher: 'controller', subscribers: [], qos: 1, retain: false, rate: 'on event', description: 'Controller events (rejected messages, slot overruns).' },
  { key: 'coalitionInputs', pattern: 'uavmec/v1/controller/coalition-inputs', type: 'CoalitionSlotInputs', publisher: 'controller', subscribers: [], qos: 1, retain: false, rate: '1 per S0 slot', description: 'What the HAP planned an S0 coalition slot from (twin seqs, compute corrections, task ids, warm starts), before its plans: replay re-makes them from it.' },
  { key: 'task', pattern: 'uavmec/v1/user/{user}/task', type: 'TaskRequest', publisher: 'world', subscribers: ['controller'], qos: 1, retain: false, rate: '1 per user per slot', description: 'A user device task, as relayed by the UAV that hears it.' },
  { key: 'planningInputs', pattern: 'uavmec/v1/controller/inputs', type: 'PlanningInputs', publisher: 'controller', subscribers: [], qos: 1, retain: false, rate: '1 per slot', description: 'What the planning core consumed for a slot, in order (apps/controller/core): replay drives the same core with it.' },
  { key: 'userCompletion', pattern: 'uavmec/v1/user/{user}/completion', type: 'TaskCompletion', publisher: 'world', subscribers: ['controller'], qos: 1, retain: false, rate: 'per local task', description: 'A task the user device computed itself.' },
  { key: 'offer', pattern: 'uavmec/v1/user/{user}/offer', type: 'ComputeOffer', publisher: 'world', subscribers: ['controller'], qos: 1, retain: false, rate: '1 per idle device per slot (S2)', description: 'An idle user device offers its CPU over D2D (SPEC §5.4).' },
  { key: 'devicePlan', pattern: 'uavmec/v1/user/{user}/video-plan', type: 'DevicePlan', publisher: 'controller', subscribers: ['world'], qos: 1, retain: false, rate: '1 per device per slot (S2)', description: 'What a user device does this slot: a busy one its split ε1/ε2/ε3, UAV, idle partner and CPU; an idle one its CPU and price (SPEC §5.4).' },
  { key: 'videoSlot', pattern: 'uavmec/v1/controller/video-slot', type: 'VideoSlot', publisher: 'controller', subscribers: [], qos: 1, retain: false, rate: '2 per slot (S2)', description: 'An S2 slot: the actor\'s observation, action and decision when planned; the revenue Q, U_K, U_J, U_I and energies as flown when closed.' },
] as const satisfies readonly TopicSpec[];

export type TopicKey = (typeof TOPICS)[number]['key'];
export type TopicParams = { uav?: number; user?: number };
type TopicOf<K extends TopicKey> = Extract<(typeof TOPICS)[number], { key: K }>;
export type TopicType<K extends TopicKey> = TopicOf<K>['type'];

const BY_KEY = new Map<string, TopicSpec>(TOPICS.map((t) => [t.key, t]));

export function topicSpec(key: TopicKey): TopicSpec {
  return BY_KEY.get(key)!;
}

/** Fills the placeholders; throws RangeError when one is missing or not a positive integer. */
export function topicName(key: TopicKey, params: TopicParams = {}): string {
  return topicSpec(key).pattern.replace(/\{(uav|user)\}/g, (_, p: 'uav' | 'user') => {
    const v = params[p];
    if (v === undefined || !Number.isInteger(v) || v < 1) throw new RangeError(`topic ${key} needs a ${p} id ≥ 1, got ${String(v)}`);
    return String(v);
  });
}

/** MQTT subscription filter: given ids fill placeholders, the others become `+`. */
export function topicFilter(key: TopicKey, params: TopicParams = {}): string {
  return topicSpec(key).pattern.replace(/\{(uav|user)\}/g, (_, p: 'uav' | 'user') => (params[p] === undefined ? '+' : String(params[p])));
}

const MATCHERS = TOPICS.map((t) => ({
  spec: t as TopicSpec,
  re: new RegExp(`^${t.pattern.replace(/\{(uav|user)\}/g, '(?<$1>[1-9][0-9]{0,8})')}$`),
}));

/** Matches already made, by topic name (a fleet has a few topics per UAV; the regexes run once each). */
const MATCHED = new Map<string, { spec: TopicSpec; params: TopicParams } | undefined>();
const MATCHED_MAX = 100_000;

/**
 * Which topic a concrete name is, with its ids; undefined for topics outside the contract.
 * Results are memoised per name and shared (their params frozen).
 */
export function matchTopic(topic: string): { spec: TopicSpec; params: TopicParams } | undefined {
  const hit = MATCHED.get(topic);
  if (hit !== undefined || MATCHED.has(topic)) return hit;
  const r = matchTopicUncached(topic);
  if (r) Object.freeze(r.params);
  if (MATCHED.size >= MATCHED_MAX) MATCHED.clear();
  MATCHED.set(topic, r);
  return r;
}

function matchTopicUncached(topic: string): { spec: TopicSpec; params: TopicParams } | undefined {
  for (const m of MATCHERS) {
    const r = m.re.exec(topic);
    if (!r) continue;
    const params: TopicParams = {};
    if (r.groups?.uav) params.uav = Number(r.groups.uav);
    if (r.groups?.user) params.user = Number(r.groups.user);
    return { spec: m.spec, params };
  }
  return undefined;
}
