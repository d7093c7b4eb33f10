/**
 * A synthetic fleet on a real broker for the view benchmark: N UAVs each publishing TwinState at
 * 5 Hz (circling over the area), the controller's FleetState at 5 Hz, a plan per UAV per 2 s slot
 * offloading 2 users each, and one task per user per slot — every message a real encoded contract
 * message on its real topic. Deterministic positions (a function of time and UAV id).
 */
import mqtt from 'mqtt';
import { encode, topicName, type MessageName } from '../proto/index.ts';

export interface Feed {
  sent: number;
  stop(): Promise<void>;
}

export async function startFeed(url: string, uavs: number, areaM: number): Promise<Feed> {
  const client = await mqtt.connectAsync(url, { clientId: `bench-feed-${process.pid}`, reconnectPeriod: 0 });
  const seq = new Map<string, number>();
  const feed = { sent: 0 } as Feed;
  const send = (topic: string, type: MessageName, sender: string, msg: Record<string, unknown>) => {
    const s = (seq.get(topic) ?? 0) + 1;
    seq.set(topic, s);
    client.publish(topic, Buffer.from(encode(type, { header: { version: 1, sender, t_us: Date.now() * 1000, seq: s }, ...msg } as never)), { qos: 0 });
    feed.sent++;
  };
  const users = 2 * uavs;
  const pos = (id: number, tS: number) => {
    const cx = ((id * 0.618) % 1) * areaM, cy = ((id * 0.382) % 1) * areaM, r = 10 + (id % 7) * 3, w = 0.2 + (id % 5) * 0.03;
    return { x_east_m: cx + r * Math.cos(w * tS + id), y_north_m: cy + r * Math.sin(w * tS + id), alt_m: 20 + (id % 10) };
  };
  const userPos = (u: number) => ({ x_east_m: ((u * 0.7548) % 1) * areaM, y_north_m: ((u * 0.5698) % 1) * areaM, alt_m: 0 });
  const t0 = Date.now();
  let slot = -1;
  const tick = () => {
    const tS = (Date.now() - t0) / 1000;
    const k = Math.floor(tS / 2);
    const members = [];
    for (let id = 1; id <= uavs; id++) {
      const p = pos(id, tS), w = 0.2 + (id % 5) * 0.03, r = 10 + (id % 7) * 3;
      const velocity = { vx_east_m_s: -r * w * Math.sin(w * tS + id), vy_north_m_s: r * w * Math.cos(w * tS + id), vz_up_m_s: 0 };
      send(topicName('twin', { uav: id }), 'TwinState', `uav-${id}`, { uav_id: id, position: p, velocity, battery_pct: 90 - tS / 60, flight_state: 3, armed: true, autopilot_link_up: true, autopilot_mode: 'GUIDED', plan_seq: k + 1, compute_energy_used_j: tS, flight_energy_used_j: 200 * tS });
      members.push({ uav_id: id, position: p });
    }
    send(topicName('fleet'), 'FleetState', 'controller', { slot: Math.max(0, k), slot_s: 2, members });
    if (k !== slot) {
      slot = k;
      for (let u = 1; u <= users; u++) send(topicName('task', { user: u }), 'TaskRequest', 'world', { task_id: k * 100_000 + u, user_id: u, user_position: userPos(u), data_bits: 1e5, cycles_per_bit: 500, local_cpu_hz: 1e9, tx_power_w: 1 });
      for (let id = 1; id <= uavs; id++) {
        const assignments = [2 * id - 1, 2 * id].map((u) => ({ task_id: k * 100_000 + u, user_id: u, user_position: userPos(u), data_bits: 1e5, cycles: 5e7, access_uav_id: id, exec_uav_id: id, bandwidth_hz: 1e6, cpu_hz: 1e9, tx_power_w: 1 }));
        send(topicName('plan', { uav: id }), 'Plan', 'controller', { uav_id: id, plan_seq: k + 1, slot: k, valid_from_t_us: Date.now() * 1000, expires_t_us: Date.now() * 1000 + 4e6, flight: { mode: 1, target: pos(id, tS + 2) }, assignments, planner: 'cd-kkt', objective: 0.4 * uavs });
      }
    }
  };
  const timer = setInterval(tick, 200);
  feed.stop = async () => {
    clearInterval(timer);
    await client.endAsync();
  };
  return feed;
}
