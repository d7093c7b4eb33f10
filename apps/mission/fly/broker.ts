/**
 * The broker and who may use it: in secure mode (issue 9) the identities' secrets — from
 * `security.secretsDir` or made for this run — and, on the embedded broker, the ACL hooks; the
 * embedded broker started on a free loopback port unless a URL is given. `onBroker` is told.
 */
import { startEmbeddedBroker, type EmbeddedBroker } from '../../common/broker.ts';
import { ephemeralSecrets, loadSecrets, type BrokerCredentials, type MissionSecrets } from '../secure.ts';
import type { MissionCtx } from './context.ts';

export interface MissionBroker {
  url: string;
  secrets: MissionSecrets | undefined;
  /** How an identity connects ({} when not secure). */
  cred(identity: string): BrokerCredentials;
  /** The embedded broker's ACL hooks (secure mode). */
  hooks: ReturnType<MissionSecrets['brokerHooks']> | undefined;
}

export async function openBroker(c: MissionCtx): Promise<MissionBroker> {
  const { o, s } = c;
  const secrets = missionSecrets(c, Array.from({ length: s.uavs }, (_, i) => i + 1));
  const cred = (identity: string): BrokerCredentials => secrets?.credentials(identity) ?? {};
  let broker: EmbeddedBroker | undefined;
  const hooks = !o.brokerUrl && secrets ? secrets.brokerHooks() : undefined;
  if (!o.brokerUrl) {
    broker = await startEmbeddedBroker({ ...(hooks ? { hooks } : {}), ...(o.websocket ? { wsPort: 0 } : {}) });
    c.cleanup.push(() => broker!.close());
  }
  const url = o.brokerUrl ?? broker!.url;
  c.phase(`broker ${url}${secrets ? `: secure (${secrets.identities.length} identities, ACL, signed plans${secrets.mavlinkKeys.size ? ', MAVLink signing' : ''})` : ''}`);
  await o.onBroker?.({ url, ...(broker?.wsUrl ? { wsUrl: broker.wsUrl } : {}), ...(secrets ? { credentials: cred } : {}) });
  return { url, secrets, cred, hooks };
}

function missionSecrets(c: MissionCtx, uavIds: number[]): MissionSecrets | undefined {
  const { o } = c;
  if (o.security?.secretsDir) {
    const l = loadSecrets(o.security.secretsDir, uavIds, o.security);
    if (!l.ok) throw new Error(`secure mission: ${l.detail ?? l.reason}`);
    return l.value;
  }
  if (!o.security) return undefined;
  if (o.brokerUrl) throw new Error('secure mission with an external broker needs its keys (security.secretsDir from `uavmec keys`)');
  return ephemeralSecrets(uavIds, o.security);
}
