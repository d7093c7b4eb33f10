/**
 * The controller's inputs: twin states, task requests, acks and completions go to the core (with
 * their topic and receive time, through the inbox); S2's driver sees them first and keeps task
 * requests and completions to itself; a shard admits only its region's. Health and events are
 * kept beside planning.
 */
import type { Delivery } from '../../common/bus.ts';
import type { MessageEvent } from '../core/index.ts';
import { nowUs, type ControllerCtx } from './context.ts';
import { apply, receive } from './inbox.ts';

export async function attach(c: ControllerCtx): Promise<void> {
  if (c.attached) return;
  c.attached = true;
  const { bus, cfg } = c;
  await cfg.video?.attach();
  const feed = (kind: MessageEvent['kind']) => (msg: MessageEvent['msg'], d: Delivery): void => {
    // S2: the driver keeps its part of the twin (velocities, segments, part completions) from the same deliveries.
    cfg.video?.receive(kind, msg, d.params.uav);
    if (cfg.video && (kind === 'task' || kind === 'completion')) return;
    const ev = { kind, msg, topic: d.topic, recvUs: Math.round(d.recvUs) } as MessageEvent;
    if (cfg.shard && !cfg.shard.admit(ev)) return;
    receive(c, ev);
  };
  await bus.subscribe('twin', {}, feed('twin'));
  await bus.subscribe('task', {}, feed('task'));
  await bus.subscribe('ack', {}, feed('ack'));
  await bus.subscribe('uavCompletion', {}, feed('completion'));
  await bus.subscribe('userCompletion', {}, feed('completion'));
  await bus.subscribe('health', {}, (m) => c.health.set(m.uav_id, m));
  await bus.subscribe('uavEvent', {}, (m, d) => c.events.push({ uavId: d.params.uav ?? 0, code: m.code, text: m.text, tUs: m.header!.t_us }));
  await cfg.shard?.attach({ release: (uavId) => void apply(c, { kind: 'release', uavId, nowUs: nowUs(c) }), feed: (ev) => receive(c, ev) });
}
