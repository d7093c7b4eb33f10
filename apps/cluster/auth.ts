/**
 * NATS users and permissions for the clustered broker, generated from the topic table (issue 19
 * §4) — the same grants as the Mosquitto ACL (apps/security/acl.ts, `aclForIdentity`), written
 * as nats-server `authorization` users: each identity (`controller`, `world`, `uav-<id>`,
 * optionally the read-only `recorder`) logs in with its MQTT username and password and may
 * publish and subscribe only on the NATS subjects of its grants. MQTT topics map to subjects
 * (`/` → `.`, `+` → `*`, `#` → `>`, and `a/#` also `a`); every MQTT subscriber is also allowed its QoS 1 delivery
 * subjects (`$MQTT.sub.>`), which nats-server subscribes for it. Pure: identities and passwords
 * in, config text out.
 */
import { aclForIdentity, fleetIdentities, identityName, parseIdentity, type AclConfig, type Identity } from '../security/acl.ts';

/** The NATS subject (or subject filter) of an MQTT topic (or topic filter). */
export function natsSubject(mqttFilter: string): string {
  return mqttFilter.split('/').map((t) => (t === '+' ? '*' : t === '#' ? '>' : t)).join('.');
}

export interface NatsPermissions {
  publish: string[];
  subscribe: string[];
}

/** One identity's NATS permissions, from its topic-table grants. */
export function natsPermissions(id: Identity): NatsPermissions {
  const rules = aclForIdentity(id);
  const publish = rules.filter((r) => r.access === 'write').map((r) => natsSubject(r.filter));
  // nats-server subscribes an MQTT `a/#` as `a.>` and `a` (MQTT's `#` also matches the parent
  // level): both must be allowed, or the SUBSCRIBE is refused (the recorder's `uavmec/#`).
  const subscribe = rules.filter((r) => r.access === 'read').flatMap((r) => (r.filter.endsWith('/#') ? [natsSubject(r.filter), natsSubject(r.filter.slice(0, -2))] : [natsSubject(r.filter)]));
  return { publish, subscribe: subscribe.length ? [...subscribe, '$MQTT.sub.>'] : [] };
}

const q = (s: string) => JSON.stringify(s);

/**
 * The `authorization { users: [...] }` block for every identity of the fleet. `password(name)`
 * gives each identity's password (plain text here; nats-server also takes bcrypt hashes). With
 * `o.env`, the block names each password by a variable (`password: $UAVMEC_NATS_PW_3`) and `o.env`
 * gets the values: nats-server reads an undefined config variable from its environment, so a run's
 * ephemeral passwords reach the nodes without being written into their config files.
 */
export function natsAuthorization(cfg: AclConfig, password: (identity: string) => string, admin?: { user: string; password: string }, o: { env?: Record<string, string> } = {}): string {
  const env = o.env;
  const pw = (p: string): string => {
    if (!env) return q(p);
    const name = `UAVMEC_NATS_PW_${Object.keys(env).length}`;
    // nats-server parses the variable's value as a config value: quoted, or a password starting
    // with a digit or '-' is read as a number and the node does not start.
    env[name] = q(p);
    return `$${name}`;
  };
  const users = fleetIdentities(cfg).map((id) => {
    const name = identityName(id);
    const p = natsPermissions(id);
    const list = (xs: string[]) => `[${xs.map(q).join(', ')}]`;
    // An empty allow list would allow everything: deny all instead.
    const pub = p.publish.length ? `publish: { allow: ${list(p.publish)} }` : 'publish: { deny: [">"] }';
    const sub = p.subscribe.length ? `subscribe: { allow: ${list(p.subscribe)} }` : 'subscribe: { deny: [">"] }';
    return `    { user: ${q(name)}, password: ${pw(password(name))}, permissions: { ${pub}, ${sub} } }`;
  });
  // The set-up identity (not MQTT): creates the QoS 1 message stream over the JetStream API (jetstream.ts).
  if (admin) users.push(`    { user: ${q(admin.user)}, password: ${pw(admin.password)}, permissions: { publish: { allow: ["$JS.API.>"] }, subscribe: { allow: ["_INBOX.>"] } } }`);
  return ['authorization {', '  users: [', users.join(',\n'), '  ]', '}'].join('\n');
}

/**
 * The `authorization` block for the fleet of a `uavmec keys` directory, from its passwords.json
 * (identity → password): the same identities and passwords the Mosquitto files of that directory
 * hold, so `uavmec mission --broker <the nodes> --secure --secrets DIR` logs every process in as it
 * does on Mosquitto. `admin` is the set-up identity (the QoS 1 stream, jetstream.ts), not MQTT.
 * Refuses a table without the controller and world, with an unknown identity or an empty password.
 */
export function natsAuthorizationFromPasswords(passwords: Record<string, unknown>, admin: { user: string; password: string }): string {
  const uavIds: number[] = [];
  for (const [name, pw] of Object.entries(passwords)) {
    const id = parseIdentity(name);
    if (!id) throw new RangeError(`passwords.json: '${name}' is not a fleet identity (controller, world, recorder, uav-<id>)`);
    if (typeof pw !== 'string' || pw.length === 0) throw new RangeError(`passwords.json: no password for '${name}'`);
    if (id.role === 'agent' && 'uavId' in id && id.uavId !== undefined) uavIds.push(id.uavId);
  }
  for (const need of ['controller', 'world']) if (!(need in passwords)) throw new RangeError(`passwords.json has no password for '${need}'`);
  return natsAuthorization({ uavIds, recorder: 'recorder' in passwords }, (n) => passwords[n] as string, admin);
}
