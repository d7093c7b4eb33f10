/**
 * `uavmec mission --secure` (issue 9) options, shared by the S3, S0 and S2 missions: every process
 * with its own identity under the ACL generated from the topic table, signed plans, MAVLink 2
 * signing between each agent and its autopilot.
 */
import type { MissionSecurityOptions } from '../mission/secure.ts';
import { oneOf } from './args.ts';
import { UsageError } from './command.ts';

/** The parsed security options, or undefined for an open (loopback) mission. */
export function missionSecurityFrom(v: Record<string, string | boolean | undefined>): MissionSecurityOptions | undefined {
  const secure = v.secure === true || v.secrets !== undefined;
  if (!secure && (v.auth !== undefined || v['mavlink-signing'] !== undefined)) throw new UsageError('--auth and --mavlink-signing need --secure');
  if (!secure) return undefined;
  if (v.broker && !v.secrets) throw new UsageError('--secure with --broker needs the broker\'s keys: --secrets DIR (from `uavmec keys --recorder`)');
  const auth = oneOf(v.auth as string | undefined, 'auth', ['password', 'certificate'] as const, 'password');
  if (auth === 'certificate' && !v.broker) throw new UsageError('--auth certificate needs an external broker (--broker mqtts://…); the embedded one takes passwords');
  const mavlinkSigning = oneOf(v['mavlink-signing'] as string | undefined, 'mavlink-signing', ['on', 'off'] as const, 'on') === 'on';
  return { auth, mavlinkSigning, ...(typeof v.secrets === 'string' ? { secretsDir: v.secrets } : {}) };
}
