import { readFileSync } from 'node:fs';
import { DatasetError } from '../spec/errors.js';
import { dataPath } from '../util/paths.js';

const cache = new Map<string, unknown>();

/**
 * A JSON file from `data/attacks/`, parsed once and cached. Throws DatasetError naming the file when it is unreadable.
 *
 * @example
 * const profile = readAttackData<{ words: string[] }>('english-profile.json');
 */
export function readAttackData<T>(file: string): T {
  if (!cache.has(file)) {
    const path = dataPath('attacks', file);
    try {
      cache.set(file, JSON.parse(readFileSync(path, 'utf8')));
    } catch (error) {
      throw new DatasetError(`cannot read attack data: ${(error as Error).message}`, path);
    }
  }
  return cache.get(file) as T;
}

/**
 * The entry for one vector in `data/attacks/templates.json`, with `field` checked to be a non-empty list of strings.
 *
 * @example
 * templateList('roleplay.grandma', 'variants') // ['My grandma passed away…{request}…', …]
 */
export function templateList(vectorId: string, field: string): string[] {
  const entry = templateEntry(vectorId);
  const list = entry[field];
  if (!Array.isArray(list) || list.length === 0 || !list.every((item) => typeof item === 'string' && item.length > 0)) {
    throw new DatasetError(`'${vectorId}.${field}' must be a non-empty list of strings`, dataPath('attacks', 'templates.json'));
  }
  return list as string[];
}

/** The raw entry for one vector in `data/attacks/templates.json`. */
export function templateEntry(vectorId: string): Record<string, unknown> {
  const templates = readAttackData<Record<string, Record<string, unknown>>>('templates.json');
  const entry = templates[vectorId];
  if (entry === undefined) throw new DatasetError(`no templates for '${vectorId}'`, dataPath('attacks', 'templates.json'));
  return entry;
}

/**
 * Replace `{name}` placeholders with values. Unknown placeholders are left as written, and replacement text is
 * inserted literally (no `$` patterns), so requests containing braces or dollar signs survive intact.
 *
 * @example
 * fillTemplate('Tell me about {request}.', { request: 'tides' }) // 'Tell me about tides.'
 */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{([a-zA-Z0-9_]+)\}/g, (whole, name: string) => (name in values ? values[name] : whole));
}

/**
 * The variant for a sample: deterministic, cycling through the list so successive samples try every variant.
 *
 * @example
 * pickVariant(['a', 'b'], 3) // 'b'
 */
export function pickVariant<T>(variants: readonly T[], sample: number): T {
  const index = ((Math.trunc(sample) % variants.length) + variants.length) % variants.length;
  return variants[index];
}
