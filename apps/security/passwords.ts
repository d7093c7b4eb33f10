/**
 * Password hashes in Mosquitto 2's `password_file` format, so one file serves Mosquitto and the
 * embedded broker's hooks: `user:$7$<iterations>$<salt b64>$<PBKDF2-SHA512 b64>` (12-byte salt,
 * 64-byte hash, 101 iterations — what `mosquitto_passwd` 2.0 writes; checked against it in the
 * tests). Salts and generated passwords come from node:crypto's CSPRNG, deliberately not the
 * project's seeded Rng: credentials must never be reproducible from a seed.
 */
import { pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

export const MOSQUITTO_PBKDF2_ITERATIONS = 101;

export function hashPassword(password: string, salt: Buffer = randomBytes(12), iterations = MOSQUITTO_PBKDF2_ITERATIONS): string {
  const hash = pbkdf2Sync(password, salt, iterations, 64, 'sha512');
  return `$7$${iterations}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** Checks a password against a `$7$` entry; false for any other or malformed format. */
export function verifyPassword(password: string, encoded: string): boolean {
  const m = /^\$7\$([0-9]{1,7})\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(encoded);
  if (!m) return false;
  const iterations = Number(m[1]);
  const want = Buffer.from(m[3]!, 'base64');
  if (iterations < 1 || want.length !== 64) return false;
  const got = pbkdf2Sync(password, Buffer.from(m[2]!, 'base64'), iterations, 64, 'sha512');
  return timingSafeEqual(got, want);
}

/** A random password: 24 bytes, base64url (32 characters). */
export function generatePassword(): string {
  return randomBytes(24).toString('base64url');
}

/** Renders a password file from username → hash. */
export function passwordFile(hashes: ReadonlyMap<string, string>): string {
  return [...hashes].map(([u, h]) => `${u}:${h}`).join('\n') + '\n';
}

/** Parses a password file (ignores blank lines and `#` comments). */
export function parsePasswordFile(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const l = line.trim();
    if (l === '' || l.startsWith('#')) continue;
    const i = l.indexOf(':');
    if (i > 0) out.set(l.slice(0, i), l.slice(i + 1));
  }
  return out;
}
