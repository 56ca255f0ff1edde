import { basename, extname } from 'node:path';
import { ConfigError } from '../../spec/errors.js';

/** Behavior fields a generic file can provide, and the column/key read for each by default. */
export const DEFAULT_COLUMNS = {
  id: 'id',
  prompt: 'prompt',
  category: 'category',
  benign: 'benign',
  twin: 'twin',
  context: 'context',
  persona: 'persona',
} as const;
export type MappedField = keyof typeof DEFAULT_COLUMNS;

/** A parsed `FILE#field=column,…` spec for the generic `csv:` and `jsonl:` loaders. */
export interface GenericSpec {
  file: string;
  /** Behavior field → column (CSV) or key (JSONL). */
  columns: Record<MappedField, string>;
  /** Taxonomy scheme to map category labels through (e.g. `harmbench`); without it only hazard ids map. */
  scheme?: string;
  /** Name used for `source`, unmapped-category prefixes and generated ids; defaults to the file's base name. */
  source: string;
}

/**
 * Split `data.csv#prompt=goal,category=topic,scheme=harmbench` into the file and its mapping. Only a suffix made
 * of `key=value` pairs is read as a mapping, so a `#` elsewhere in a path is left alone.
 *
 * @example
 * parseGenericSpec('csv', 'data.csv#prompt=goal').columns.prompt // 'goal'
 */
export function parseGenericSpec(loaderId: string, argument: string): GenericSpec {
  const hash = argument.lastIndexOf('#');
  const suffix = hash === -1 ? '' : argument.slice(hash + 1);
  const isMapping = hash !== -1 && /^\s*[a-z]+\s*=[^,]*(,\s*[a-z]+\s*=[^,]*)*$/i.test(suffix);
  const file = isMapping ? argument.slice(0, hash) : argument;
  const columns: Record<MappedField, string> = { ...DEFAULT_COLUMNS };
  let scheme: string | undefined;
  let source = basename(file, extname(file));
  if (isMapping) {
    for (const pair of suffix.split(',')) {
      const [rawKey, ...rest] = pair.split('=');
      const key = rawKey!.trim();
      const value = rest.join('=').trim();
      if (value === '') throw new ConfigError(`empty value for '${key}' in '${loaderId}:${argument}'`, { field: 'suite' });
      if (key === 'scheme') scheme = value;
      else if (key === 'source') source = value;
      else if (key in DEFAULT_COLUMNS) columns[key as MappedField] = value;
      else {
        const known = [...Object.keys(DEFAULT_COLUMNS), 'scheme', 'source'].join(', ');
        throw new ConfigError(`unknown mapping key '${key}' in '${loaderId}:${argument}'; known: ${known}`, { field: 'suite' });
      }
    }
  }
  return { file, columns, scheme, source };
}

/** Read a benign flag: true/false, 1/0, yes/no, benign/harmful, safe/unsafe; blank is false; anything else undefined. */
export function parseBenign(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === undefined || value === null) return false;
  const text = String(value).trim().toLowerCase();
  if (['true', '1', 'yes', 'benign', 'safe'].includes(text)) return true;
  if (['', 'false', '0', 'no', 'harmful', 'unsafe'].includes(text)) return false;
  return undefined;
}
