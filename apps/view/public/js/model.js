// The fleet as the bus tells it: apply(key, params, msg, recvUs) folds one decoded contract message
// into the state the view draws. The same code serves live MQTT and replay (where it is rebuilt
// from the recording's start on every seek).
import { SlotLedger } from './slots.js';

const TRAIL = 150;
export const NACK = ['accepted', 'malformed', 'wrong UAV', 'stale seq', 'expired', 'bad signature', 'unsafe', 'model unavailable'];
export const FLIGHT = ['unknown', 'on ground', 'taking off', 'flying', 'holding', 'returning', 'landing'];

export class Model {
  constructor() {
    this.uavs = new Map();
    this.users = new Map();
    this.slot = -1;
    this.slotS = 0;
    this.launching = false;
    this.lastUs = 0;
    this.slots = new SlotLedger();
    this.events = [];
    this.eventSeq = 0;
    this.alerts = 0;
    this.onAlert = null;
  }

  uav(id) {
    let u = this.uavs.get(id);
    if (!u) {
      u = { id, pos: null, heading: 0, trail: [], mode: '', flight: 0, armed: false, batteryPct: null, linkUp: false, failsafe: 'nominal',
        planSeq: 0, plan: null, ack: null, lastTwinUs: 0, energyJ: 0, modes: [], link: { received: 0, lost: 0, lastSeq: 0, times: [] }, health: null };
      this.uavs.set(id, u);
    }
    return u;
  }

  event(tUs, uavId, severity, code, text, kind = 'event') {
    const e = { seq: ++this.eventSeq, tUs, uavId, severity, code, text, kind };
    this.events.push(e);
    if (this.events.length > 500) this.events.splice(0, this.events.length - 500);
    if (kind === 'failsafe' || kind === 'outage' || kind === 'stale') {
      this.alerts++;
      this.onAlert?.(e);
    }
    return e;
  }

  /** `tUs`: the message's time — live, its header's (the sender's mission clock); replay, the recorder's receive time. */
  apply(key, params, msg, tUs) {
    if (tUs > this.lastUs) this.lastUs = tUs;
    switch (key) {
      case 'twin': return this.twin(params.uav, msg, tUs);
      case 'plan': return this.plan(params.uav, msg);
      case 'ack': return this.ack(params.uav, msg, tUs);
      case 'uavCompletion': case 'userCompletion': return this.slots.completion(msg);
      case 'uavEvent': case 'controllerEvent': return this.busEvent(params.uav ?? 0, msg, tUs);
      case 'health': this.uav(params.uav).health = msg; return undefined;
      case 'fleet': return this.fleet(msg);
      case 'task': return this.task(msg);
      default: return undefined;
    }
  }

  twin(id, m, tUs) {
    if (m.uav_id !== id) return;
    const u = this.uav(id);
    const seq = Number(m.header?.seq ?? 0);
    if (u.link.lastSeq && seq > u.link.lastSeq + 1) u.link.lost += seq - u.link.lastSeq - 1;
    if (seq) u.link.lastSeq = seq;
    u.link.received++;
    u.link.times.push(tUs);
    if (u.link.times.length > 64) u.link.times.shift();
    if (m.position) {
      const p = { x: m.position.x_east_m, y: m.position.y_north_m, alt: m.position.alt_m };
      const v = m.velocity;
      if (v && Math.hypot(v.vx_east_m_s, v.vy_north_m_s) > 0.3) u.heading = Math.atan2(v.vx_east_m_s, v.vy_north_m_s);
      const last = u.trail[u.trail.length - 1];
      if (!last || Math.hypot(p.x - last.x, p.y - last.y) > 0.4) {
        u.trail.push({ x: p.x, y: p.y });
        if (u.trail.length > TRAIL) u.trail.shift();
      }
      u.pos = p;
    }
    const mode = m.autopilot_mode || FLIGHT[m.flight_state] || '?';
    if (mode !== u.mode || m.flight_state !== u.flight) u.modes.push({ tUs, mode, flight: m.flight_state });
    Object.assign(u, { mode, flight: m.flight_state, armed: m.armed, linkUp: m.autopilot_link_up, planSeq: Number(m.plan_seq), lastTwinUs: tUs, lastTwinWall: performance.now() });
    if (m.battery_pct != null) u.batteryPct = m.battery_pct;
    u.energyJ = (m.flight_energy_used_j ?? 0) + m.compute_energy_used_j;
    if (this.slot >= 0 && !this.launching) this.slots.energy(this.slot, [...this.uavs.values()].reduce((a, x) => a + x.energyJ, 0));
  }

  plan(id, m) {
    const u = this.uav(id);
    u.plan = m;
    this.slots.plan(m);
    if (m.planner === 'launch' || m.planner === 'mission-end') return;
    u.assigned = m.assignments.map((a) => a.user_id);
    for (const a of m.assignments) {
      const user = this.users.get(a.user_id) ?? { id: a.user_id, x: a.user_position?.x_east_m ?? 0, y: a.user_position?.y_north_m ?? 0 };
      Object.assign(user, { decision: a.exec_uav_id, access: a.access_uav_id, decisionSlot: m.slot });
      this.users.set(a.user_id, user);
    }
  }

  ack(id, m, tUs) {
    const u = this.uav(id);
    u.ack = { seq: Number(m.plan_seq), accepted: m.accepted, reason: m.reason };
    if (!m.accepted) this.event(tUs, id, 3, 'plan.nack', `plan ${m.plan_seq} refused: ${NACK[m.reason] ?? m.reason}${m.detail ? ` (${m.detail})` : ''}`, 'nack');
  }

  busEvent(id, m, tUs) {
    if (m.code === 'plan.inputs') return; // the controller's planning-inputs record, not an operator event
    const uavId = id || m.uav_id;
    let kind = 'event';
    if (m.code.startsWith('failsafe.')) {
      const mode = m.code.slice('failsafe.'.length);
      if (uavId) this.uav(uavId).failsafe = mode;
      kind = mode === 'nominal' ? 'event' : 'failsafe';
    } else if (m.code.startsWith('envelope.')) kind = 'envelope';
    else if (m.code === 'plan.nack' || m.code.startsWith('plan.')) kind = 'nack';
    this.event(tUs, uavId, m.severity, m.code, m.text, kind);
  }

  fleet(m) {
    this.slot = m.slot;
    this.launching = m.launching;
    if (m.slot_s) this.slotS = m.slot_s;
  }

  task(m) {
    const p = m.user_position;
    const user = this.users.get(m.user_id) ?? { id: m.user_id, decision: 0 };
    if (p) Object.assign(user, { x: p.x_east_m, y: p.y_north_m });
    this.users.set(m.user_id, user);
    if (this.slot >= 0) this.slots.task(m, this.launching ? 0 : this.slot);
  }
}
