/**
 * NATS users and permissions for the clustered broker, generated from the topic table (issue 19
 * §4) — the same grants as the Mosquitto ACL (apps/security/acl.ts, `aclForIdentity`), written
 * as nats-server `authorization` users: each identity (`controller`, `world`, `uav-<id>`,
 * optionally the read-only `recorder`) logs in with its MQTT username and password and may
 * publish and subscribe only on the NATS subjects of its grants. MQTT topics map to subjects
 * (`/` → `.`, `+` → `*`, `#` → `>`); every MQTT subscriber is also allowed its QoS 1 delivery
 * subjects (`$MQTT.sub.>`), which nats-server subscribes for it. Pure: identities and passwords
 * in, config text out.
 */
import { aclForIdentity, fleetIdentities, identityName, type AclConfig, type Identity } from '../security/acl.ts';

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
  const subscribe = rules.filter((r) => r.access === 'read').map((r) => natsSubject(r.filter));
  return { publish, subscribe: subscribe.length ? [...subscribe, '$MQTT.sub.>'] : [] };
}

const q = (s: string) => JSON.stringify(s);

/**
 * The `authorization { users: [...] }` block for every identity of the fleet. `password(name)`
 * gives each identity's password (plain text here; nats-server also takes bcrypt hashes).
 */
export function natsAuthorization(cfg: AclConfig, password: (identity: string) => string, admin?: { user: string; password: string }): string {
  const users = fleetIdentities(cfg).map((id) => {
    const name = identityName(id);
    const p = natsPermissions(id);
    const list = (xs: string[]) => `[${xs.map(q).join(', ')}]`;
    // An empty allow list would allow everything: deny all instead.
    const pub = p.publish.length ? `publish: { allow: ${list(p.publish)} }` : 'publish: { deny: [">"] }';
    const sub = p.subscribe.length ? `subscribe: { allow: ${list(p.subscribe)} }` : 'subscribe: { deny: [">"] }';
    return `    { user: ${q(name)}, password: ${q(password(name))}, permissions: { ${pub}, ${sub} } }`;
  });
  // The set-up identity (not MQTT): creates the QoS 1 message stream over the JetStream API (jetstream.ts).
  if (admin) users.push(`    { user: ${q(admin.user)}, password: ${q(admin.password)}, permissions: { publish: { allow: ["$JS.API.>"] }, subscribe: { allow: ["_INBOX.>"] } } }`);
  return ['authorization {', '  users: [', users.join(',\n'), '  ]', '}'].join('\n');
}
