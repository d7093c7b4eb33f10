/**
 * Plan signatures (issue 9 §2): the controller signs each Plan with Ed25519 (node:crypto); agents
 * verify against a pinned public key and refuse replays.
 *
 * What is signed: the *canonical* encoding of the plan with `signature` empty — the plan decoded
 * (proto3 defaults filled in) and re-encoded by protobufjs, which writes every field in field-number
 * order. Canonical rather than "the bytes as sent" because the agent's Bus hands handlers decoded
 * messages, not bytes; both sides canonicalise the same decoded object, so the check does not
 * depend on how the sender's encoder ordered or omitted fields. Unknown fields are not covered —
 * they are also not decoded, so nothing an agent acts on escapes the signature.
 *
 * Replays: a `PlanVerifier` (one per agent) accepts a correctly signed plan only if its plan_seq is
 * above the last accepted one and it has not expired; the signature covers plan_seq, expiry,
 * uav_id and the header, so none can be altered. The signature is checked first, so a forged
 * plan cannot advance the sequence.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { fail, ok, type Result } from '../../core/result.ts';
import { decodeRaw, encode, NackReason, type Plan } from '../../proto/index.ts';

export const ED25519_SIGNATURE_LENGTH = 64;

export type PlanSignatureFailure = 'unsigned' | 'bad_signature';
export type PlanRefusal = PlanSignatureFailure | 'replay' | 'expired';

/** Canonical bytes a signature covers: the plan re-encoded with `signature` empty. */
export function planSigningBytes(plan: Plan): Uint8Array {
  return encode('Plan', { ...plan, signature: new Uint8Array(0) } as never);
}

function decodePlan(bytes: Uint8Array): Plan {
  const r = decodeRaw('Plan', bytes);
  // Our own encoder's output: failing to decode it is a bug, not input.
  if (!r.ok) throw new TypeError(`not a Plan: ${r.detail ?? r.reason}`);
  return r.value;
}

/** Ed25519 signature (64 bytes) over the canonical form of an encoded plan (its signature field ignored). */
export function signPlan(planBytesWithoutSignature: Uint8Array, privateKey: KeyObject): Uint8Array {
  assertEd25519(privateKey, 'private');
  return new Uint8Array(sign(null, planSigningBytes(decodePlan(planBytesWithoutSignature)), privateKey));
}

/** The plan's wire bytes with its signature attached (what the controller publishes). */
export function signedPlanBytes(planBytes: Uint8Array, privateKey: KeyObject): Uint8Array {
  const plan = decodePlan(planBytes);
  const signature = new Uint8Array(sign(null, planSigningBytes(plan), privateKey));
  return encode('Plan', { ...plan, signature } as never);
}

/** Checks a decoded plan's signature against the pinned public key. Stateless. */
export function verifyPlan(plan: Plan, publicKey: KeyObject): Result<Plan, PlanSignatureFailure> {
  assertEd25519(publicKey, 'public');
  const sig = plan.signature;
  if (sig.length === 0) return fail('unsigned', 'plan carries no signature');
  if (sig.length !== ED25519_SIGNATURE_LENGTH) return fail('bad_signature', `signature is ${sig.length} bytes, Ed25519 needs 64`);
  let good = false;
  try {
    good = verify(null, planSigningBytes(plan), publicKey, sig);
  } catch (e) {
    return fail('bad_signature', (e as Error).message);
  }
  return good ? ok(plan) : fail('bad_signature', 'signature does not match the pinned controller key');
}

export interface PlanVerifierStats {
  accepted: number;
  unsigned: number;
  bad_signature: number;
  replay: number;
  expired: number;
}

/** The NackReason an agent sends for each refusal. */
export function nackReasonFor(r: PlanRefusal): NackReason {
  if (r === 'replay') return NackReason.NACK_REASON_STALE_SEQ;
  if (r === 'expired') return NackReason.NACK_REASON_EXPIRED;
  return NackReason.NACK_REASON_BAD_SIGNATURE;
}

/**
 * One agent's plan intake check: signature (pinned key) → newer plan_seq → not expired. Counts
 * every refusal. Pure apart from its own state; time comes in as `nowUs`.
 */
export class PlanVerifier {
  readonly stats: PlanVerifierStats = { accepted: 0, unsigned: 0, bad_signature: 0, replay: 0, expired: 0 };
  private last: number;
  /** Highest leader epoch of a plan it passed (issue 19; in memory, like the agent's). */
  private epoch = 0;

  constructor(
    private readonly publicKey: KeyObject,
    /** plan_seq of the last plan accepted before (e.g. restored after a restart); default 0. */
    lastSeq = 0,
  ) {
    assertEd25519(publicKey, 'public');
    this.last = lastSeq;
  }

  get lastSeq(): number {
    return this.last;
  }

  check(plan: Plan, nowUs: number): Result<Plan, PlanRefusal> {
    const sig = verifyPlan(plan, this.publicKey);
    if (!sig.ok) return this.refuse(sig.reason, sig.detail);
    // Ordered by (leader_epoch, plan_seq) once an epoch is known, as the gate does (apps/agent/plan/gate.ts, newerLeader).
    const newerLeader = this.epoch > 0 && plan.leader_epoch > this.epoch;
    if (!(plan.plan_seq > this.last) && !newerLeader) return this.refuse('replay', `plan_seq ${plan.plan_seq} not newer than ${this.last}`);
    if (nowUs > plan.expires_t_us) return this.refuse('expired', `expired ${((nowUs - plan.expires_t_us) / 1e6).toFixed(3)} s ago`);
    this.last = plan.plan_seq;
    this.epoch = Math.max(this.epoch, plan.leader_epoch);
    this.stats.accepted++;
    return ok(plan);
  }

  private refuse(reason: PlanRefusal, detail?: string): Result<never, PlanRefusal> {
    this.stats[reason]++;
    return fail(reason, detail);
  }
}

// ---- keys ------------------------------------------------------------------------------------

export interface PlanSigningKeyPair {
  /** PKCS#8 PEM: stays on the controller. */
  privatePem: string;
  /** SPKI PEM: pinned on every agent. */
  publicPem: string;
}

export function generatePlanSigningKeys(): PlanSigningKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

export function loadPlanSigningKey(pem: string | Buffer): Result<KeyObject, 'bad_key'> {
  try {
    const k = createPrivateKey(pem);
    return k.asymmetricKeyType === 'ed25519' ? ok(k) : fail('bad_key', `expected an Ed25519 private key, got ${k.asymmetricKeyType}`);
  } catch (e) {
    return fail('bad_key', (e as Error).message);
  }
}

/** Loads the pinned public key (SPKI PEM; a private key PEM also works — its public half is used). */
export function loadPlanVerifyKey(pem: string | Buffer): Result<KeyObject, 'bad_key'> {
  try {
    const k = createPublicKey(pem);
    return k.asymmetricKeyType === 'ed25519' ? ok(k) : fail('bad_key', `expected an Ed25519 public key, got ${k.asymmetricKeyType}`);
  } catch (e) {
    return fail('bad_key', (e as Error).message);
  }
}

/** SHA-256 of the SPKI DER, hex: print it on both sides to confirm the pin. */
export function publicKeyFingerprint(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256').update(pub.export({ type: 'spki', format: 'der' })).digest('hex');
}

function assertEd25519(key: KeyObject, type: 'public' | 'private'): void {
  if (key.asymmetricKeyType !== 'ed25519' || key.type !== type) {
    throw new TypeError(`an Ed25519 ${type} key is required, got ${key.asymmetricKeyType ?? key.type} ${key.type}`);
  }
}
