/**
 * Key material for a fleet (`uavmec keys`): an X.509 CA, the broker's server certificate, one
 * client certificate per identity (CN = identity, so Mosquitto's `use_identity_as_username` maps
 * it onto the generated ACL), random MQTT passwords (Mosquitto password file + a plaintext JSON to
 * hand out), the Ed25519 plan-signing key pair, one 32-byte MAVLink signing key per UAV, the ACL
 * and a mosquitto.conf. X.509 creation is not in node:crypto, so certificates are made with the
 * `openssl` command-line tool (≥ 1.1.1); everything else uses node:crypto. Keys are EC P-256.
 * Private files are written with mode 0600.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { fail, ok, type Result } from '../../core/result.ts';
import { fleetIdentities, identityName, mosquittoAcl, type Identity } from './acl.ts';
import { mosquittoConf } from './mosquitto.ts';
import { generatePassword, hashPassword, passwordFile } from './passwords.ts';
import { generatePlanSigningKeys } from './plan-signing.ts';

const run = promisify(execFile);

export interface FleetKeyOptions {
  /** Number of UAVs: identities uav-1 … uav-N. */
  fleet: number;
  out: string;
  /** Certificate lifetime, days (default 825). */
  days?: number;
  /** Names the broker is reached by (SAN entries): IPs or DNS names. Default 127.0.0.1, localhost. */
  brokerHosts?: string[];
  /** Include the read-only `recorder` identity. */
  recorder?: boolean;
  /** mosquitto.conf: client-certificate listener port (default 8883), password listener port (default 8884; 0 = none). */
  certPort?: number;
  passwordPort?: number;
  /** mosquitto.conf: MQTT-over-WebSocket listener (TLS + passwords, for `uavmec view`); 0 / unset = none. */
  wsPort?: number;
  /** mosquitto.conf: bind address (default 0.0.0.0). */
  bindHost?: string;
  /** mosquitto.conf `user` (Mosquitto started as root switches to it; default Mosquitto's own). */
  mosquittoUser?: string;
  /** Overwrite an existing output directory's files. */
  force?: boolean;
  openssl?: string;
}

export interface FleetKeys {
  dir: string;
  identities: string[];
  files: string[];
}

const isIp = (h: string) => /^[0-9.]+$/.test(h) || h.includes(':');

/** Creates everything in `o.out`. Fails (without partial overwrite) if files exist and !force. */
export async function createFleetKeys(o: FleetKeyOptions): Promise<Result<FleetKeys, 'exists' | 'openssl_failed' | 'bad_options'>> {
  if (!Number.isInteger(o.fleet) || o.fleet < 1 || o.fleet > 10_000) return fail('bad_options', `fleet must be 1–10000, got ${o.fleet}`);
  const dir = path.resolve(o.out);
  const days = String(o.days ?? 825);
  const openssl = o.openssl ?? 'openssl';
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!o.force && fs.existsSync(path.join(dir, 'ca.key'))) return fail('exists', `${dir} already holds keys (ca.key); use --force to replace them`);
  const files: string[] = [];
  const write = (name: string, text: string, secret = false) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, text, { mode: secret ? 0o600 : 0o644 });
    fs.chmodSync(p, secret ? 0o600 : 0o644);
    files.push(name);
  };
  const ssl = async (args: string[]) => {
    try {
      await run(openssl, args, { cwd: dir });
    } catch (e) {
      const err = e as Error & { stderr?: string };
      throw new OpensslError(`openssl ${args[0]} failed: ${err.stderr ?? err.message}`);
    }
  };
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  try {
    await ssl(['req', '-x509', '-new', ...ecKey, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', days, '-subj', '/O=uavmec/CN=uavmec fleet CA',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
    fs.chmodSync(path.join(dir, 'ca.key'), 0o600);
    files.push('ca.key', 'ca.crt');
    const hosts = o.brokerHosts && o.brokerHosts.length > 0 ? o.brokerHosts : ['127.0.0.1', 'localhost'];
    const san = hosts.map((h) => (isIp(h) ? `IP:${h}` : `DNS:${h}`)).join(',');
    const leaf = async (name: string, ext: string) => {
      const extFile = `${name}.ext`;
      fs.writeFileSync(path.join(dir, extFile), `[v3]\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyAgreement\n${ext}\n`);
      await ssl(['req', '-new', ...ecKey, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/O=uavmec/CN=${name}`]);
      await ssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-set_serial', `0x${randomBytes(16).toString('hex')}`,
        '-days', days, '-sha256', '-extfile', extFile, '-extensions', 'v3', '-out', `${name}.crt`]);
      fs.rmSync(path.join(dir, `${name}.csr`));
      fs.rmSync(path.join(dir, extFile));
      fs.chmodSync(path.join(dir, `${name}.key`), 0o600);
      files.push(`${name}.key`, `${name}.crt`);
    };
    await leaf('broker', `extendedKeyUsage=serverAuth\nsubjectAltName=${san}`);
    const ids: Identity[] = fleetIdentities({ uavIds: range(o.fleet), ...(o.recorder ? { recorder: true } : {}) });
    const names = ids.map(identityName);
    // A few openssl processes at a time.
    for (let i = 0; i < names.length; i += 4) await Promise.all(names.slice(i, i + 4).map((n) => leaf(n, 'extendedKeyUsage=clientAuth')));

    const passwords = new Map(names.map((n) => [n, generatePassword()]));
    write('passwords.json', JSON.stringify(Object.fromEntries(passwords), null, 2) + '\n', true);
    write('passwd', passwordFile(new Map([...passwords].map(([u, p]) => [u, hashPassword(p)]))), true);
    write('acl', mosquittoAcl({ uavIds: range(o.fleet), ...(o.recorder ? { recorder: true } : {}) }));
    const plan = generatePlanSigningKeys();
    write('plan-signing.key', plan.privatePem, true);
    write('plan-signing.pub', plan.publicPem);
    for (const u of range(o.fleet)) write(`mavlink-uav-${u}.key`, randomBytes(32).toString('hex') + '\n', true);
    const tls = { cafile: path.join(dir, 'ca.crt'), certfile: path.join(dir, 'broker.crt'), keyfile: path.join(dir, 'broker.key') };
    const host = o.bindHost ?? '0.0.0.0';
    write('mosquitto.conf', mosquittoConf({
      aclFile: path.join(dir, 'acl'),
      ...(o.mosquittoUser ? { user: o.mosquittoUser } : {}),
      listeners: [
        { port: o.certPort ?? 8883, host, tls },
        ...((o.passwordPort ?? 8884) > 0 ? [{ port: o.passwordPort ?? 8884, host, tls: { ...tls, requireCertificate: false }, passwordFile: path.join(dir, 'passwd') }] : []),
        ...((o.wsPort ?? 0) > 0 ? [{ port: o.wsPort!, host, tls: { ...tls, requireCertificate: false }, passwordFile: path.join(dir, 'passwd'), websockets: true }] : []),
      ],
    }));
    return ok({ dir, identities: names, files });
  } catch (e) {
    if (e instanceof OpensslError) return fail('openssl_failed', e.message);
    throw e;
  }
}

class OpensslError extends Error {
  override name = 'OpensslError';
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}
