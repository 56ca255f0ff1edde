import { createHash } from 'node:crypto';

/**
 * Hex SHA-256 of a string (truncated to `length` hex digits when given).
 *
 * @example
 * sha256('abc', 12) // 'ba7816bf8f01'
 */
export function sha256(text: string, length?: number): string {
  const digest = createHash('sha256').update(text).digest('hex');
  return length === undefined ? digest : digest.slice(0, length);
}
