/**
 * MAVLink 2 signing in the SITL (MAVLINK.md §7): the vehicle signs what it sends and accepts only
 * correctly signed, fresh packets (plus the unsigned messages the policy allows) once a key is set.
 * The key is provisioned by SETUP_SIGNING (256), which is honoured only
 * - over a direct link: by default a peer on a loopback address (the companion computer on the
 *   vehicle itself, or a cable); configurable with `allowSetup`;
 * - addressed to this system (target component 0 or 1);
 * - once signing is on, only if the SETUP_SIGNING itself carries a valid signature with the
 *   current key (the decoder drops unsigned ones), so a peer cannot re-key or disable signing.
 * An all-zero key with timestamp 0 disables signing (MAVLINK.md §7). Pure decision logic; the
 * server applies the verdict to its encoder and decoder.
 */
import type { Clock } from '../../../core/clock.ts';
import { MavlinkDecoder, ReplayTable, type DecodedPacket, type MavlinkEncoder, type UnsignedPolicy } from '../../../firmware-bridge/mavlink/index.ts';
import type { Peer } from '../../../firmware-bridge/transport/index.ts';

export interface SitlSigningOptions {
  /** Start with signing on with this 32-byte key; otherwise unsigned until a SETUP_SIGNING. */
  key?: Buffer;
  /** Unsigned packets accepted while signing is on (default: RADIO_STATUS, 109, only). */
  unsigned?: UnsignedPolicy;
  /** Whether a peer counts as a direct link that may send SETUP_SIGNING (default: loopback). */
  allowSetup?: (peer: Peer) => boolean;
}

export interface SetupSigningFields {
  targetSystem: number;
  targetComponent: number;
  secretKey: readonly number[];
  initialTimestamp: bigint | number;
}

export type SetupVerdict =
  | { action: 'enable'; key: Buffer; initialTimestamp: number }
  | { action: 'disable' }
  | { action: 'refuse'; why: string }
  | { action: 'ignore' };

export function isLoopback(address: string): boolean {
  return /^127\./.test(address) || address === '::1' || /^::ffff:127\./.test(address);
}

export function decideSetupSigning(m: SetupSigningFields, ctx: { sysid: number; peer: Peer | undefined; signedWithCurrentKey: boolean; signingOn: boolean; allowSetup?: (p: Peer) => boolean }): SetupVerdict {
  if (m.targetSystem !== ctx.sysid || (m.targetComponent !== 0 && m.targetComponent !== 1)) return { action: 'ignore' };
  const direct = ctx.peer !== undefined && (ctx.allowSetup ?? ((p: Peer) => isLoopback(p.address)))(ctx.peer);
  // STATUSTEXT holds 50 characters: keep these short.
  if (!direct) return { action: 'refuse', why: 'SETUP_SIGNING refused: not a direct link' };
  if (ctx.signingOn && !ctx.signedWithCurrentKey) return { action: 'refuse', why: 'SETUP_SIGNING refused: not signed' };
  const key = Buffer.from(m.secretKey.slice(0, 32).map((b) => Number(b) & 0xff));
  const ts = Number(m.initialTimestamp);
  if (key.length !== 32) return { action: 'refuse', why: 'SETUP_SIGNING refused: bad key' };
  if (key.every((b) => b === 0)) return ts === 0 ? { action: 'disable' } : { action: 'refuse', why: 'SETUP_SIGNING refused: zero key' };
  return { action: 'enable', key, initialTimestamp: Number.isFinite(ts) && ts > 0 ? ts : 0 };
}

/**
 * The vehicle's signing state: owns the decoder (rebuilt when the key changes, keeping one replay
 * table) and switches the encoder's signing. `onSetupSigning` reports the outcome by STATUSTEXT.
 */
export class SitlSigning {
  private key: Buffer | undefined;
  private dec: MavlinkDecoder;
  private readonly replay = new ReplayTable();
  readonly stats = { setups: 0, refused: 0 };

  constructor(
    private readonly sysid: number,
    private readonly encoder: MavlinkEncoder,
    private readonly clock: Pick<Clock, 'nowUs'>,
    private readonly opts: SitlSigningOptions = {},
    /** Sends a STATUSTEXT (severity, text) saying what happened to a SETUP_SIGNING. */
    private readonly say: (severity: number, text: string) => void = () => undefined,
  ) {
    this.dec = new MavlinkDecoder();
    if (opts.key) this.apply(opts.key, 0);
  }

  get decoder(): MavlinkDecoder {
    return this.dec;
  }
  get enabled(): boolean {
    return this.key !== undefined;
  }

  onSetupSigning(p: DecodedPacket, peer: Peer | undefined): SetupVerdict['action'] {
    const v = decideSetupSigning(p.message as unknown as SetupSigningFields, {
      sysid: this.sysid, peer, signedWithCurrentKey: p.signatureVerified, signingOn: this.enabled,
      ...(this.opts.allowSetup ? { allowSetup: this.opts.allowSetup } : {}),
    });
    if (v.action === 'refuse') {
      this.stats.refused++;
      this.say(4, v.why); // WARNING
    } else if (v.action !== 'ignore') {
      this.stats.setups++;
      this.apply(v.action === 'enable' ? v.key : undefined, v.action === 'enable' ? v.initialTimestamp : 0);
      this.say(6, v.action === 'enable' ? 'Signing enabled' : 'Signing disabled'); // INFO
    }
    return v.action;
  }

  private apply(key: Buffer | undefined, initialTimestamp: number): void {
    this.key = key;
    this.encoder.setSigning(key ? { key, linkId: 0, clock: this.clock, initialTimestamp } : undefined);
    this.dec = new MavlinkDecoder({ replayTable: this.replay, ...(key ? { signing: { key, unsigned: this.opts.unsigned ?? { acceptMsgids: [109] } } } : {}) });
  }
}
