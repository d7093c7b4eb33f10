/**
 * The same access rules for the embedded broker (apps/common/broker.ts `hooks`): authenticate by
 * username + password (a Mosquitto-format password table), then allow a PUBLISH only on a topic
 * the identity may write and a SUBSCRIBE only to a filter its read grants cover entirely (so an
 * agent cannot subscribe to `uavmec/v1/uav/+/plan`). A refused subscription gets SUBACK 0x80;
 * a refused publish is an error, which makes aedes close that client's connection.
 */
import type { AedesOptions, Client } from 'aedes';
import { aclForIdentity, identityName, mayPublish, maySubscribe, parseIdentity, type AclConfig, type AclRule } from './acl.ts';
import { verifyPassword } from './passwords.ts';

export interface AedesAclConfig extends AclConfig {
  /** username → `$7$…` hash (see passwords.ts). A username not in it cannot connect. */
  passwords: ReadonlyMap<string, string>;
}

export interface AclDenials {
  authenticate: number;
  publish: number;
  subscribe: number;
}

export type AedesHooks = Required<Pick<AedesOptions, 'authenticate' | 'authorizePublish' | 'authorizeSubscribe'>> & {
  /** Refusals so far (for tests and metrics). */
  denials: AclDenials;
};

export function aedesHooks(cfg: AedesAclConfig): AedesHooks {
  const allowed = new Map<string, AclRule[]>();
  const fleet = new Set(cfg.uavIds);
  const rulesOf = new WeakMap<Client, AclRule[]>();
  const denials: AclDenials = { authenticate: 0, publish: 0, subscribe: 0 };
  const rulesFor = (username: string): AclRule[] | undefined => {
    const id = parseIdentity(username);
    if (!id || identityName(id) !== username) return undefined;
    if (id.role === 'agent' && !fleet.has(id.uavId!)) return undefined;
    if (id.role === 'recorder' && !cfg.recorder) return undefined;
    let r = allowed.get(username);
    if (!r) allowed.set(username, (r = aclForIdentity(id)));
    return r;
  };
  return {
    denials,
    authenticate(client, username, password, done) {
      const hash = username === undefined ? undefined : cfg.passwords.get(username);
      const rules = username === undefined ? undefined : rulesFor(username);
      if (!hash || !rules || !password || !verifyPassword(password.toString('utf8'), hash)) {
        denials.authenticate++;
        const err = Object.assign(new Error('bad user name or password'), { returnCode: 4 as const });
        done(err, false);
        return;
      }
      rulesOf.set(client, rules);
      done(null, true);
    },
    authorizePublish(client, packet, done) {
      // client null = the broker itself (e.g. $SYS): allowed.
      if (client === null) return done(null);
      const rules = rulesOf.get(client);
      if (rules && mayPublish(rules, packet.topic)) return done(null);
      denials.publish++;
      done(new Error(`not authorized to publish on ${packet.topic}`));
    },
    authorizeSubscribe(client, sub, done) {
      const rules = rulesOf.get(client);
      if (rules && maySubscribe(rules, sub.topic)) return done(null, sub);
      denials.subscribe++;
      done(null, null);
    },
  };
}
