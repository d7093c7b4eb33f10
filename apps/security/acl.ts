/**
 * Least-privilege MQTT access rules, generated from the topic table (proto/topics.ts) and
 * nothing else. Identities (the MQTT username, or the certificate CN with
 * `use_identity_as_username`):
 * - `controller`: publishes what the table gives the controller, reads every UAV's and user's
 *   topics the controller subscribes to;
 * - `uav-<id>` (an agent): publishes only on its own `{uav}` topics, reads only its own `{uav}`
 *   topics and the shared ones (fleet state);
 * - `world`: the user devices (simulated or relayed), every `{user}`;
 * - `recorder` (optional, not in the table): read-only on the whole `uavmec/` tree, for the
 *   mission recorder. Leave it out of a deployment that does not record.
 * Pure: no fs, no sockets.
 */
import { mqttMatch } from '../common/bus.ts';
import { TOPICS, type Role } from '../../proto/topics.ts';

export type Access = 'read' | 'write';

/** One grant: `access` on every topic matching the MQTT filter `filter`. */
export interface AclRule {
  access: Access;
  filter: string;
}

export type Identity = { role: Role; uavId?: number } | { role: 'recorder' };

export interface AclConfig {
  /** UAV ids of the fleet (each gets `uav-<id>`). */
  uavIds: readonly number[];
  /** Include the read-only `recorder` identity (default false). */
  recorder?: boolean;
}

const RECORDER_FILTER = 'uavmec/#';

export function identityName(id: Identity): string {
  if (id.role === 'agent') return `uav-${id.uavId}`;
  return id.role;
}

/** `controller` | `world` | `recorder` | `uav-<id>` → identity; undefined for anything else. */
export function parseIdentity(username: string | undefined): Identity | undefined {
  if (username === 'controller' || username === 'world' || username === 'recorder') return { role: username };
  const m = /^uav-([1-9][0-9]{0,8})$/.exec(username ?? '');
  return m ? { role: 'agent', uavId: Number(m[1]) } : undefined;
}

/**
 * The grants of one role, from the topic table: `write` where the role is the publisher, `read`
 * where it is a subscriber. For an agent, `{uav}` becomes its own id; for the other roles every
 * placeholder becomes `+`. An agent gets no grant on a `{user}` topic (none exists today: the
 * table would have to say which users an agent may speak for).
 */
export function aclForRole(role: Role, uavId?: number): AclRule[] {
  if (role === 'agent' && (uavId === undefined || !Number.isInteger(uavId) || uavId < 1)) {
    throw new RangeError(`an agent's ACL needs its UAV id ≥ 1, got ${String(uavId)}`);
  }
  const rules: AclRule[] = [];
  for (const t of TOPICS) {
    const subs = t.subscribers as readonly Role[];
    const grants: Access[] = [];
    if (t.publisher === role) grants.push('write');
    if (subs.includes(role)) grants.push('read');
    if (grants.length === 0) continue;
    if (role === 'agent' && t.pattern.includes('{user}')) continue;
    const filter = t.pattern.replace(/\{(uav|user)\}/g, (_, p: string) => (role === 'agent' && p === 'uav' ? String(uavId) : '+'));
    for (const access of grants) rules.push({ access, filter });
  }
  return rules;
}

export function aclForIdentity(id: Identity): AclRule[] {
  if (id.role === 'recorder') return [{ access: 'read', filter: RECORDER_FILTER }];
  return aclForRole(id.role, id.role === 'agent' ? id.uavId : undefined);
}

/** Every identity of a fleet, controller first. */
export function fleetIdentities(cfg: AclConfig): Identity[] {
  const ids: Identity[] = [{ role: 'controller' }, { role: 'world' }];
  for (const u of [...cfg.uavIds].sort((a, b) => a - b)) ids.push({ role: 'agent', uavId: u });
  if (cfg.recorder) ids.push({ role: 'recorder' });
  return ids;
}

/** MQTT topic-filter matching: the bus's own matcher (one implementation for the whole system). */
export const filterMatches = mqttMatch;

/**
 * True when every topic matched by subscription filter `sub` is also matched by `grant`
 * (so subscribing to `sub` cannot deliver anything outside the grant).
 */
export function filterCovers(grant: string, sub: string): boolean {
  const g = grant.split('/');
  const s = sub.split('/');
  for (let i = 0; i < g.length; i++) {
    if (g[i] === '#') return true;
    if (i >= s.length) return false;
    if (s[i] === '#') return false;
    if (g[i] === '+') continue;
    if (s[i] === '+' || g[i] !== s[i]) return false;
  }
  return g.length === s.length;
}

/** May `rules` publish on `topic`? (Publish topics contain no wildcards; one that does is refused.) */
export function mayPublish(rules: readonly AclRule[], topic: string): boolean {
  if (topic.includes('+') || topic.includes('#') || topic === '') return false;
  return rules.some((r) => r.access === 'write' && filterMatches(r.filter, topic));
}

/** May `rules` subscribe to `filter`? Only when a read grant covers the whole filter. */
export function maySubscribe(rules: readonly AclRule[], filter: string): boolean {
  return rules.some((r) => r.access === 'read' && filterCovers(r.filter, filter));
}

/**
 * Mosquitto `acl_file` text: one `user` block per identity with `topic read|write` lines.
 * Per-user blocks rather than `pattern … %u` lines, because an agent's topics carry its numeric
 * id while its username is `uav-<id>`, and a `pattern` line would also apply to the controller.
 * Anonymous clients (no `user` block before the first `user` line) get nothing.
 */
export function mosquittoAcl(cfg: AclConfig): string {
  const lines = ['# uavmec MQTT ACL — generated from proto/topics.ts by apps/security/acl.ts; do not edit by hand.', '# Anything not granted here is denied.', ''];
  for (const id of fleetIdentities(cfg)) {
    lines.push(`user ${identityName(id)}`);
    for (const r of aclForIdentity(id)) lines.push(`topic ${r.access} ${r.filter}`);
    lines.push('');
  }
  return lines.join('\n');
}
