import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * scrypt parameters for account passwords: N = 2^17, r = 8, p = 1 (128 MiB, the OWASP Password Storage Cheat Sheet's
 * recommended minimum for scrypt), a 16-byte random salt and a 32-byte key. The parameters are stored in each hash,
 * so they can be raised later without invalidating existing accounts.
 */
export const SCRYPT_PARAMETERS = { N: 2 ** 17, r: 8, p: 1, keyLength: 32, saltLength: 16 } as const;

/** Passwords shorter than this are refused; longer than the maximum too (hashing cost is bounded). */
export const PASSWORD_LENGTH = { min: 10, max: 256 } as const;

/** At most this many hashes run at once (each holds 128 MiB), so a burst of logins cannot exhaust memory. */
const MAX_CONCURRENT_HASHES = 2;
let running = 0;
const waiting: Array<() => void> = [];

async function withHashSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_CONCURRENT_HASHES) await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
  try {
    return await work();
  } finally {
    running -= 1;
    waiting.shift()?.();
  }
}

function derive(password: string, salt: Buffer, N: number, r: number, p: number, keyLength: number): Promise<Buffer> {
  const options: ScryptOptions = { N, r, p, maxmem: 128 * N * r * 2 };
  return withHashSlot(
    () => new Promise<Buffer>((resolve, reject) => scrypt(password.normalize('NFKC'), salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key)))),
  );
}

/**
 * Hash a password with scrypt: `scrypt$N$r$p$SALT$KEY` (base64url salt and key). `N` may be lowered (to 2^14 at the
 * least) for small machines and tests; verification reads the parameters from the stored hash.
 *
 * @example
 * const stored = await hashPassword('correct horse battery');
 * await verifyPassword('correct horse battery', stored) // true
 */
export async function hashPassword(password: string, N: number = SCRYPT_PARAMETERS.N): Promise<string> {
  const { r, p, keyLength, saltLength } = SCRYPT_PARAMETERS;
  if (!Number.isInteger(Math.log2(N)) || N < 2 ** 14) throw new RangeError(`scrypt N must be a power of two of at least 2^14, got ${N}`);
  const salt = randomBytes(saltLength);
  const key = await derive(password, salt, N, r, p, keyLength);
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/**
 * Whether a password matches a stored hash (constant-time comparison). A malformed hash never matches.
 *
 * @example
 * await verifyPassword('guess', stored) // false
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (![N, r, p].every((value) => Number.isInteger(value) && value > 0)) return false;
  const salt = Buffer.from(parts[4], 'base64url');
  const expected = Buffer.from(parts[5], 'base64url');
  if (password.length > PASSWORD_LENGTH.max) return false;
  const key = await derive(password, salt, N, r, p, expected.length);
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** Why a new password is refused, or undefined when it is acceptable. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < PASSWORD_LENGTH.min) return `the password needs at least ${PASSWORD_LENGTH.min} characters`;
  if (password.length > PASSWORD_LENGTH.max) return `the password may have at most ${PASSWORD_LENGTH.max} characters`;
  return undefined;
}
