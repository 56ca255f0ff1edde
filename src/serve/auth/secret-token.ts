import { createHash, randomBytes } from 'node:crypto';

/**
 * A new random secret (32 bytes, base64url) with an optional prefix, for session cookies, invite links, CSRF tokens
 * and API tokens.
 *
 * @example
 * newSecret('rc_') // 'rc_3q2+7w…'
 */
export function newSecret(prefix = ''): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/**
 * How a secret is kept in the database: its SHA-256 (hex). The secrets are 256-bit random values, so a fast hash is
 * enough (no dictionary to guess from); a stolen database yields no usable session, invite or API token.
 *
 * @example
 * secretHash(newSecret()) // 64 hex digits
 */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
