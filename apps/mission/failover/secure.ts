/**
 * A failover mission as a secure deployment (`uavmec mission --cluster N --secure`): the mission's
 * secrets — ephemeral (made in memory for this run, never written, as `mission --secure` makes
 * them: ../secure.ts) or a `uavmec keys --recorder` directory — and the cluster's users and
 * permissions from the same passwords (`natsAuthorization`, as `uavmec cluster --secrets` does).
 * Every process then connects under its own identity: the controllers as `controller`, each agent
 * as `uav-<id>`, the users as `world`, the mission's monitor as the read-only `recorder`; plans
 * are Ed25519-signed by the controllers and verified by the agents (a takeover keeps the one
 * controller key: the lease decides who signs), each agent provisions MAVLink 2 signing with its
 * autopilot. The nodes get the passwords in their processes' environment, never in their config
 * files (ephemeral keys are not written anywhere). Passwords only: nats-server 2.9's MQTT listener has no client-certificate set-up
 * here (and no TLS): loopback or a trusted network.
 */
import { generatePassword } from '../../security/index.ts';
import { natsAuthorization } from '../../cluster/index.ts';
import type { PlanAuthSummary } from '../../agent/plan/intake.ts';
import { ephemeralSecrets, loadSecrets, type BrokerCredentials, type MissionSecrets, type MissionSecurityOptions } from '../secure.ts';

export interface FailoverSecurity {
  secrets: MissionSecrets;
  /** How an identity connects: user name and password. */
  cred(identity: string): BrokerCredentials;
  /** For `startNatsCluster`: every identity with its password and grants, plus a set-up user of this run. */
  clusterAuth: { block: string; systemUser: { user: string; password: string }; env: Record<string, string> };
}

/** The identities' secrets and the cluster's users; throws one clear line for what cannot be. */
export function failoverSecurity(o: MissionSecurityOptions, uavIds: number[]): FailoverSecurity {
  if (o.auth === 'certificate') throw new RangeError('a clustered broker takes passwords only (nats-server\'s MQTT has no client-certificate set-up here): leave out --auth certificate');
  let secrets: MissionSecrets;
  if (o.secretsDir) {
    const l = loadSecrets(o.secretsDir, uavIds, o);
    if (!l.ok) throw new RangeError(`secure mission: ${l.detail ?? l.reason}`);
    secrets = l.value;
  } else secrets = ephemeralSecrets(uavIds, o);
  const cred = (identity: string): BrokerCredentials => {
    const c = secrets.credentials(identity);
    return { username: c.username!, password: c.password! };
  };
  const systemUser = { user: 'uavmec-cluster-admin', password: generatePassword() };
  // The passwords go to the nodes in their environment, not in the config files (auth.ts).
  const env: Record<string, string> = {};
  const block = natsAuthorization({ uavIds, recorder: true }, (n) => cred(n).password!, systemUser, { env });
  return { secrets, cred, clusterAuth: { block, systemUser, env } };
}

/** What the summary says of a secure run: identities, signing, and the agents' verifier counts added up. */
export function securityTotals(sec: FailoverSecurity, planAuth: readonly (PlanAuthSummary | undefined)[]) {
  return {
    identities: sec.secrets.identities.length, signedPlans: true as const, mavlinkSigning: sec.secrets.mavlinkKeys.size > 0,
    plansVerified: planAuth.reduce((n, a) => n + (a?.accepted ?? 0), 0),
    refusedUnauthentic: planAuth.reduce((n, a) => n + (a?.refused ?? 0), 0),
  };
}
