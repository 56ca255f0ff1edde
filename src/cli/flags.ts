import { ConfigError } from '../spec/errors.js';
import type { ParsedArgs } from './command.js';

/**
 * A numeric flag, or undefined when absent. A value that is not a number is a ConfigError naming the flag.
 *
 * @example
 * numberFlag({ samples: '3' }, 'samples', { integer: true }) // 3
 */
export function numberFlag(values: ParsedArgs['values'], name: string, options: { integer?: boolean; maximum?: number; maximumReason?: string } = {}): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const text = String(raw).trim();
  const value = Number(text);
  if (text === '' || !Number.isFinite(value) || (options.integer && !Number.isInteger(value))) {
    throw new ConfigError(`expected ${options.integer ? 'a whole number' : 'a number'}, got '${text}'`, { field: `--${name}` });
  }
  if (options.maximum !== undefined && value > options.maximum) {
    throw new ConfigError(`must be at most ${options.maximum}${options.maximumReason ? ` (${options.maximumReason})` : ''}, got '${text}'`, { field: `--${name}` });
  }
  return value;
}

/** A repeatable, comma-separable flag as a flat list. */
export function stringList(raw: ParsedArgs['values'][string]): string[] {
  const entries = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return entries.flatMap((entry) => String(entry).split(',')).map((entry) => entry.trim()).filter(Boolean);
}
