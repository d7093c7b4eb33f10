/**
 * Never two agents flying one vehicle (issue 14 §4): the agent that holds a UAV keeps a retained
 * `AgentPresence { online: true }` on `uavmec/v1/uav/{uav}/presence` (topic table), with
 * `online: false` as its MQTT last will, on a connection of its own with a per-process client id
 * (so a second agent never kicks the first off the broker, as a shared client id would).
 *
 * Claiming: subscribe, then publish a non-retained "starting" record and wait for its echo. The
 * broker sends a topic's retained record when the subscription is made, before anything published
 * later, so a holder's record — if any — arrives before the echo: no timing involved. A live
 * holder refuses the claim. A record left by this host before a reboot (other boot id) or by a
 * process of this boot that is gone is stale and taken over. After the claim, a second claimant
 * that slipped in at the same instant is settled by age: the earlier `since_t_us` (then the smaller
 * instance id) keeps the UAV and re-asserts its record; the other is told to stop.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { fail, ok, type Result } from '../../../core/result.ts';
import { CONTRACT_VERSION, decodeRaw, encode, topicName, type AgentPresence, type MessageInput } from '../../../proto/index.ts';
import { credentialOptions, type BrokerCredentials } from '../../common/bus.ts';

export interface PresenceOptions extends BrokerCredentials {
  url: string;
  uavId: number;
  /** MQTT keepalive, s: how soon the broker notices a dead agent and publishes its will (default 10). */
  keepaliveS?: number;
}

export interface PresenceClaim {
  readonly record: AgentPresence;
  /** Called once if another agent takes the UAV after all (simultaneous start, lost the tie-break). */
  onLost(fn: (by: AgentPresence) => void): void;
  /** Publishes `online: false` and disconnects (the will is not sent on a clean close). */
  release(): Promise<void>;
}

export type PresenceFailure = 'broker_unreachable' | 'duplicate_agent';

function bootId(): string {
  try {
    return fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return '';
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether `held` (an online record from another instance) still stands, seen from this process. */
export function holderIsLive(held: AgentPresence, me: Pick<AgentPresence, 'host' | 'boot_id'>, alive: (pid: number) => boolean = processAlive): boolean {
  if (!held.online) return false;
  if (held.host !== me.host || held.host === '') return true;
  if (held.boot_id !== '' && me.boot_id !== '' && held.boot_id !== me.boot_id) return false;
  return held.pid === 0 || alive(held.pid);
}

/** True when `a` keeps the UAV against `b` (both online): the older claim, then the smaller instance. */
export function olderClaim(a: AgentPresence, b: AgentPresence): boolean {
  return a.since_t_us !== b.since_t_us ? a.since_t_us < b.since_t_us : a.instance < b.instance;
}

export function describeHolder(h: AgentPresence): string {
  const since = h.since_t_us > 0 ? new Date(h.since_t_us / 1000).toISOString() : 'an unknown time';
  return `host ${h.host || '?'}, pid ${h.pid || '?'}, since ${since}`;
}

export async function claimPresence(o: PresenceOptions): Promise<Result<PresenceClaim, PresenceFailure>> {
  const topic = topicName('presence', { uav: o.uavId });
  const instance = randomBytes(8).toString('hex');
  const nowUs = () => Date.now() * 1000;
  const me: MessageInput<AgentPresence> = { uav_id: o.uavId, online: true, instance, host: os.hostname(), pid: process.pid, since_t_us: nowUs(), boot_id: bootId() };
  const header = () => ({ version: CONTRACT_VERSION, sender: `uav-${o.uavId}`, t_us: nowUs() });
  const payload = (online: boolean) => Buffer.from(encode('AgentPresence', { ...me, online, header: header() }));
  const options: IClientOptions = {
    clientId: `uavmec-presence-uav-${o.uavId}-${instance}`, clean: true, keepalive: o.keepaliveS ?? 10, reconnectPeriod: 1000,
    protocolVersion: 4, will: { topic, payload: payload(false), qos: 1, retain: true }, ...credentialOptions(o),
  };
  let client: MqttClient;
  try {
    client = await mqtt.connectAsync(o.url, { ...options, reconnectPeriod: 0 }, false);
  } catch (e) {
    return fail('broker_unreachable', `cannot connect to the MQTT broker at ${o.url}: ${(e as Error).message}`);
  }
  client.options.reconnectPeriod = options.reconnectPeriod!;
  const self = { host: me.host!, boot_id: me.boot_id! };
  let holder: AgentPresence | undefined;
  let echoed!: () => void;
  const echo = new Promise<void>((r) => (echoed = r));
  let claimed = false;
  let lost: ((by: AgentPresence) => void) | undefined;
  let lostBy: AgentPresence | undefined;
  client.on('message', (_t, buf, packet) => {
    const r = decodeRaw('AgentPresence', buf);
    if (!r.ok || r.value.uav_id !== o.uavId) return;
    const p = r.value;
    if (p.instance === instance) {
      if (!packet.retain) echoed();
      return;
    }
    if (!claimed) {
      if (packet.retain) holder = p.online ? p : undefined;
      else if (p.online && olderClaim(p, me as AgentPresence)) holder = p; // another agent starting just before this one
      return;
    }
    if (!p.online) return;
    if (olderClaim(p, me as AgentPresence)) {
      lostBy = p;
      lost?.(p);
    } else {
      client.publish(topic, payload(true), { qos: 1, retain: true });
    }
  });
  const timeoutMs = o.connectTimeoutMs ?? 10_000;
  let timer: NodeJS.Timeout | undefined;
  const heard = await Promise.race([
    (async () => {
      await client.subscribeAsync(topic, { qos: 1 });
      await client.publishAsync(topic, payload(true), { qos: 1, retain: false });
      await echo;
      return true;
    })(),
    new Promise<false>((r) => (timer = setTimeout(() => r(false), timeoutMs))),
  ]).finally(() => clearTimeout(timer));
  if (!heard) {
    await client.endAsync(true);
    return fail('broker_unreachable', `the broker at ${o.url} did not echo this agent's presence on ${topic} within ${timeoutMs / 1000} s: check the ACL lets uav-${o.uavId} publish and subscribe there`);
  }
  if (holder && holderIsLive(holder, self)) {
    await client.endAsync();
    return fail('duplicate_agent', describeHolder(holder));
  }
  claimed = true;
  await client.publishAsync(topic, payload(true), { qos: 1, retain: true });
  client.on('connect', () => void client.publishAsync(topic, payload(true), { qos: 1, retain: true }).catch(() => undefined));
  const record = decodeRaw('AgentPresence', payload(true));
  return ok({
    record: (record as { value: AgentPresence }).value,
    onLost(fn) {
      lost = fn;
      if (lostBy) fn(lostBy);
    },
    async release() {
      if (lostBy) {
        await client.endAsync();
        return;
      }
      await client.publishAsync(topic, payload(false), { qos: 1, retain: true }).catch(() => undefined);
      await client.endAsync();
    },
  });
}
