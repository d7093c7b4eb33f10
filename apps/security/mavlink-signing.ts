/**
 * Provisioning MAVLink 2 signing keys (MAVLINK.md §7) from the companion computer: SETUP_SIGNING
 * sent once over a direct link (the agent's own link to its autopilot — never broadcast, never
 * forwarded through a router or the MQTT bus), then confirmed by a HEARTBEAT from the autopilot
 * that verifies with the new key. The agent then opens its MavlinkVehicle with `signing: { key }`.
 */
import { randomBytes } from 'node:crypto';
import { common } from 'node-mavlink';
import type { Clock } from '../../core/clock.ts';
import { fail, ok, type Result } from '../../core/result.ts';
import { MavlinkDecoder, MavlinkEncoder, signingTimestampFromUnixUs } from '../../firmware-bridge/mavlink/index.ts';
import { openTransport } from '../../firmware-bridge/transport/index.ts';

/** A new random 32-byte key (node:crypto CSPRNG, never the seeded Rng). */
export function generateMavlinkKey(): Buffer {
  return randomBytes(32);
}

/** Parses a key file: 64 hex characters (what `uavmec keys` writes). */
export function parseMavlinkKey(text: string): Result<Buffer, 'bad_key'> {
  const t = text.trim();
  return /^[0-9a-fA-F]{64}$/.test(t) ? ok(Buffer.from(t, 'hex')) : fail('bad_key', 'a MAVLink signing key file holds 64 hex characters (32 bytes)');
}

/** SETUP_SIGNING for `targetSysid` (component 1); `key` undefined = disable (all-zero key and timestamp). */
export function setupSigningMessage(targetSysid: number, key: Buffer | undefined, initialTimestamp: number): common.SetupSigning {
  const m = new common.SetupSigning();
  m.targetSystem = targetSysid;
  m.targetComponent = 1;
  m.secretKey = key ? [...key] : new Array<number>(32).fill(0);
  m.initialTimestamp = BigInt(key ? Math.max(0, Math.floor(initialTimestamp)) : 0);
  return m;
}

export interface ProvisionOptions {
  /** The autopilot link, e.g. `udpout://127.0.0.1:14540` or `serial:///dev/ttyACM0:115200`. Must be a direct link. */
  url: string;
  targetSysid: number;
  /** New key; undefined disables signing. */
  key: Buffer | undefined;
  clock: Clock;
  /** The key signing is on with now, if any (a vehicle refuses an unsigned re-key). */
  currentKey?: Buffer;
  /** Our ids on the link (default 1/191, the companion computer). */
  sysid?: number;
  compid?: number;
  /** How long to wait for the confirming heartbeat, clock ms (default 5000). */
  timeoutMs?: number;
}

export type ProvisionFailure = 'open_failed' | 'not_confirmed';

/** Sends SETUP_SIGNING (repeated each second until confirmed) and waits for the confirmation. */
export async function provisionMavlinkSigning(o: ProvisionOptions): Promise<Result<void, ProvisionFailure>> {
  // On a lockstep clock the link is tracked (its datagrams hold the clock) and opening it holds it too.
  const opening = openTransport(o.url, { clock: o.clock });
  const t = await (o.clock.activity ? o.clock.activity.during(opening, 'mavlink-signing-open') : opening);
  if (!t.ok) return fail('open_failed', t.detail ?? t.reason);
  const transport = t.value;
  const enc = new MavlinkEncoder({ sysid: o.sysid ?? 1, compid: o.compid ?? 191, ...(o.currentKey ? { signing: { key: o.currentKey, linkId: 0, clock: o.clock } } : {}) });
  // Confirmation: with a key, a heartbeat that verifies with it; when disabling, an unsigned one.
  const dec = new MavlinkDecoder(o.key ? { signing: { key: o.key, unsigned: 'reject' } } : {});
  const msg = () => setupSigningMessage(o.targetSysid, o.key, signingTimestampFromUnixUs(o.clock.nowUs()));
  try {
    const confirmed = await new Promise<boolean>((resolve) => {
      const send = () => transport.send(enc.encode(msg()));
      const off = transport.onData((buf) => {
        const pkts = transport.datagram ? dec.pushDatagram(buf) : dec.push(buf);
        if (pkts.some((p) => p.msgid === 0 && p.sysid === o.targetSysid && p.compid === 1 && (o.key ? p.signatureVerified : !p.signed))) finish(true);
      });
      const resend = o.clock.setInterval(send, 1000);
      const timer = o.clock.setTimeout(() => finish(false), o.timeoutMs ?? 5000);
      const finish = (v: boolean) => {
        off();
        resend.cancel();
        timer.cancel();
        resolve(v);
      };
      send();
    });
    return confirmed ? ok(undefined) : fail('not_confirmed', `no ${o.key ? 'heartbeat signed with the new key' : 'unsigned heartbeat'} from system ${o.targetSysid}`);
  } finally {
    await transport.close();
  }
}
