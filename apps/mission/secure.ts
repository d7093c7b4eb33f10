/**
 * Key material for a secure single-machine mission (`uavmec mission --secure`, issue 9): one MQTT
 * identity per process (controller, world, uav-<id>, recorder) with its own password or client
 * certificate, the plan-signing key pair, one MAVLink signing key per UAV. Either ephemeral —
 * made in memory from node:crypto's CSPRNG for this run and never written anywhere — or loaded
 * from a `uavmec keys --recorder` directory (for an external broker such as Mosquitto).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { KeyObject } from 'node:crypto';
import { fail, ok, type Result } from '../../core/result.ts';
import type { BrokerCredentials } from '../common/bus.ts';
import {
  aedesHooks,
  fleetIdentities,
  generateMavlinkKey,
  generatePassword,
  generatePlanSigningKeys,
  hashPassword,
  identityName,
  loadPlanSigningKey,
  loadPlanVerifyKey,
  parseMavlinkKey,
  publicKeyFingerprint,
  type AedesHooks,
} from '../security/index.ts';

export type { BrokerCredentials };

export interface MissionSecurityOptions {
  /** A `uavmec keys --recorder` directory; without it an ephemeral in-memory set is made. */
  secretsDir?: string;
  /** How processes authenticate to an external broker (default 'password'; the embedded one takes passwords only). */
  auth?: 'password' | 'certificate';
  /** MAVLink 2 signing between each agent and its autopilot (default true). */
  mavlinkSigning?: boolean;
}

export interface MissionSecrets {
  /** Identities of the run: controller, world, uav-<id>…, recorder. */
  identities: string[];
  planSigningKey: KeyObject;
  planVerifyKey: KeyObject;
  /** UAV id → 32-byte key; empty when MAVLink signing is off. */
  mavlinkKeys: Map<number, Buffer>;
  /** How `identity` connects (user name + password, or certificate; plus the CA for mqtts://). */
  credentials(identity: string): BrokerCredentials;
  /** The embedded broker's hooks enforcing the generated ACL with these passwords. */
  brokerHooks(): AedesHooks;
}

type PasswordOnly = Map<string, string>;

function build(uavIds: number[], passwords: PasswordOnly, plan: { signing: KeyObject; verify: KeyObject }, mavlinkKeys: Map<number, Buffer>,
  certs?: { ca: Buffer; dir: string; useCerts: boolean }): MissionSecrets {
  const identities = fleetIdentities({ uavIds, recorder: true }).map(identityName);
  return {
    identities,
    planSigningKey: plan.signing,
    planVerifyKey: plan.verify,
    mavlinkKeys,
    credentials(identity) {
      if (!identities.includes(identity)) throw new RangeError(`no identity '${identity}' in this fleet`);
      const ca = certs ? { ca: certs.ca } : {};
      if (certs?.useCerts) {
        return { ...ca, cert: fs.readFileSync(path.join(certs.dir, `${identity}.crt`)), key: fs.readFileSync(path.join(certs.dir, `${identity}.key`)) };
      }
      return { ...ca, username: identity, password: passwords.get(identity)! };
    },
    brokerHooks() {
      return aedesHooks({ uavIds, recorder: true, passwords: new Map([...passwords].map(([u, p]) => [u, hashPassword(p)])) });
    },
  };
}

/** A fresh set for one run, in memory only. */
export function ephemeralSecrets(uavIds: number[], o: { mavlinkSigning?: boolean } = {}): MissionSecrets {
  const names = fleetIdentities({ uavIds, recorder: true }).map(identityName);
  const pair = generatePlanSigningKeys();
  const signing = loadPlanSigningKey(pair.privatePem);
  const verify = loadPlanVerifyKey(pair.publicPem);
  if (!signing.ok || !verify.ok) throw new Error('generated plan-signing keys do not load'); // our own output: a bug
  const mav = new Map<number, Buffer>((o.mavlinkSigning ?? true) ? uavIds.map((u) => [u, generateMavlinkKey()]) : []);
  return build(uavIds, new Map(names.map((n) => [n, generatePassword()])), { signing: signing.value, verify: verify.value }, mav);
}

/** Loads a `uavmec keys --recorder --fleet ≥ N` directory. */
export function loadSecrets(dir: string, uavIds: number[], o: MissionSecurityOptions = {}): Result<MissionSecrets, 'missing' | 'bad_key'> {
  const read = (f: string): Buffer | undefined => {
    try {
      return fs.readFileSync(path.join(dir, f));
    } catch {
      return undefined;
    }
  };
  const need = (f: string): Result<Buffer, 'missing'> => {
    const b = read(f);
    return b ? ok(b) : fail('missing', `${path.join(dir, f)} is missing (make the keys with \`uavmec keys --fleet N --recorder\`)`);
  };
  const priv = need('plan-signing.key');
  const pub = need('plan-signing.pub');
  if (!priv.ok) return priv;
  if (!pub.ok) return pub;
  const signing = loadPlanSigningKey(priv.value);
  const verify = loadPlanVerifyKey(pub.value);
  if (!signing.ok) return fail('bad_key', `plan-signing.key: ${signing.detail ?? signing.reason}`);
  if (!verify.ok) return fail('bad_key', `plan-signing.pub: ${verify.detail ?? verify.reason}`);
  if (publicKeyFingerprint(signing.value) !== publicKeyFingerprint(verify.value)) return fail('bad_key', 'plan-signing.pub is not the public half of plan-signing.key');
  const mav = new Map<number, Buffer>();
  if (o.mavlinkSigning ?? true) {
    for (const u of uavIds) {
      const f = need(`mavlink-uav-${u}.key`);
      if (!f.ok) return f;
      const k = parseMavlinkKey(f.value.toString('utf8'));
      if (!k.ok) return fail('bad_key', `mavlink-uav-${u}.key: ${k.detail ?? k.reason}`);
      mav.set(u, k.value);
    }
  }
  const names = fleetIdentities({ uavIds, recorder: true }).map(identityName);
  const useCerts = o.auth === 'certificate';
  const passwords: PasswordOnly = new Map();
  if (useCerts) {
    for (const n of names) for (const ext of ['crt', 'key']) if (!read(`${n}.${ext}`)) return fail('missing', `${path.join(dir, `${n}.${ext}`)} is missing`);
  } else {
    const pj = need('passwords.json');
    if (!pj.ok) return pj;
    let table: Record<string, unknown>;
    try {
      table = JSON.parse(pj.value.toString('utf8')) as Record<string, unknown>;
    } catch (e) {
      return fail('bad_key', `passwords.json: ${(e as Error).message}`);
    }
    for (const n of names) {
      const p = table[n];
      if (typeof p !== 'string') return fail('missing', `passwords.json has no password for '${n}'${n === 'recorder' ? ' (make the keys with --recorder)' : ''}`);
      passwords.set(n, p);
    }
  }
  const ca = read('ca.crt');
  if (useCerts && !ca) return fail('missing', `${path.join(dir, 'ca.crt')} is missing`);
  return ok(build(uavIds, passwords, { signing: signing.value, verify: verify.value }, mav, ca ? { ca, dir, useCerts } : undefined));
}
