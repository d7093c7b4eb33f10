/**
 * Broker authentication and key-file options shared by the commands that connect to a broker
 * (controller, agent, world, mission): user name + password and/or TLS material (README,
 * "Deploying securely"). Files are read here, at the shell; the apps get bytes.
 */
import fs from 'node:fs';
import type { KeyObject } from 'node:crypto';
import { parseBrokerUrls, type BrokerCredentials } from '../common/bus.ts';
import { loadPlanSigningKey, loadPlanVerifyKey } from '../security/plan-signing.ts';
import { parseMavlinkKey } from '../security/mavlink-signing.ts';
import type { OptionSpec } from './args.ts';
import { UsageError } from './command.ts';

export const BROKER_AUTH_OPTIONS = {
  username: { type: 'string' },
  password: { type: 'string' },
  'password-file': { type: 'string' },
  ca: { type: 'string' },
  cert: { type: 'string' },
  key: { type: 'string' },
} as const satisfies OptionSpec;

export const BROKER_AUTH_HELP = `Broker authentication (default: none, anonymous; see README "Deploying securely"):
  --username U        MQTT user name = this process's identity (controller, world, uav-<id>)
  --password P        MQTT password (visible in the process list: prefer --password-file)
  --password-file F   read the MQTT password from file F (first line)
  --ca FILE           CA certificate (PEM) the broker's certificate is checked against (mqtts://;
                      default: the system's trusted CAs)
  --cert FILE --key FILE   client certificate and its private key (PEM), for a broker that
                      requires them (its CN is the identity)`;

export type BrokerAuth = Omit<BrokerCredentials, 'connectTimeoutMs'>;

export function readFileOption(file: string, name: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw new UsageError(`--${name}: cannot read '${file}': ${(e as Error).message}`);
  }
}

/** Credentials and TLS material from the parsed options; checks they fit the broker URL. */
export function brokerAuthFrom(v: Record<string, string | boolean | undefined>, url: string | undefined): BrokerAuth {
  if (url !== undefined) brokerUrlsFrom(url);
  const str = (k: string) => (typeof v[k] === 'string' ? (v[k] as string) : undefined);
  if (str('password') !== undefined && str('password-file') !== undefined) throw new UsageError('give --password or --password-file, not both');
  if ((str('cert') === undefined) !== (str('key') === undefined)) throw new UsageError('--cert and --key go together');
  const tls = str('ca') !== undefined || str('cert') !== undefined;
  if (tls && url !== undefined && !url.startsWith('mqtts://')) throw new UsageError(`--ca/--cert/--key need an mqtts:// broker URL, got '${url}'`);
  const pwFile = str('password-file');
  const password = pwFile !== undefined ? readFileOption(pwFile, 'password-file').toString('utf8').split(/\r?\n/)[0]! : str('password');
  if (password !== undefined && str('username') === undefined) throw new UsageError('a password needs --username');
  return {
    ...(str('username') !== undefined ? { username: str('username')! } : {}),
    ...(password !== undefined ? { password } : {}),
    ...(str('ca') !== undefined ? { ca: readFileOption(str('ca')!, 'ca') } : {}),
    ...(str('cert') !== undefined ? { cert: readFileOption(str('cert')!, 'cert'), key: readFileOption(str('key')!, 'key') } : {}),
  };
}

/** `--plan-key FILE`: the controller's Ed25519 private key (PKCS#8 PEM, `uavmec keys` → plan-signing.key). */
export function planSigningKeyFrom(file: string): KeyObject {
  const k = loadPlanSigningKey(readFileOption(file, 'plan-key'));
  if (!k.ok) throw new UsageError(`--plan-key '${file}' is not an Ed25519 private key: ${k.detail ?? k.reason}`);
  return k.value;
}

/** `--plan-pubkey FILE`: the pinned controller public key (SPKI PEM, plan-signing.pub). */
export function planVerifyKeyFrom(file: string): KeyObject {
  const k = loadPlanVerifyKey(readFileOption(file, 'plan-pubkey'));
  if (!k.ok) throw new UsageError(`--plan-pubkey '${file}' is not an Ed25519 public key: ${k.detail ?? k.reason}`);
  return k.value;
}

/** `--mavlink-key FILE` / `--signing-key FILE`: 64 hex characters (mavlink-uav-<i>.key). */
export function mavlinkKeyFrom(file: string, name: string): Buffer {
  const k = parseMavlinkKey(readFileOption(file, name).toString('utf8'));
  if (!k.ok) throw new UsageError(`--${name} '${file}': ${k.detail ?? k.reason}`);
  return k.value;
}

/** `--broker`: one URL or a comma-separated list (a clustered broker's nodes); a usage error says what is wrong. */
export function brokerUrlsFrom(spec: string): string[] {
  try {
    return parseBrokerUrls(spec);
  } catch (e) {
    throw new UsageError(`--broker: ${(e as Error).message}`);
  }
}
