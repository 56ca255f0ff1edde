import { readFileSync } from 'node:fs';
import { isNode } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../spec/errors.js';
import { parseYaml } from './parse-yaml.js';

/** A YAML file read as a mapping: its values plus a way to find the line of a field. */
export interface LoadedYamlFile {
  file: string;
  values: Record<string, unknown>;
  lineOf(path: (string | number)[]): number | undefined;
}

/**
 * Read a YAML file whose top level is a mapping (a config, a constitution). An unreadable file, a syntax error, an
 * alias bomb or a top level that is not a mapping is a ConfigError naming the file (and line). `what` names the file
 * in messages (`config`, `constitution`).
 *
 * @example
 * const loaded = readYamlMapping('constitution.yaml', { what: 'constitution', mappingHint: 'name, principles, preferences' });
 * loaded.lineOf(['principles', 3, 'critique']) // the line of that field
 */
export function readYamlMapping(file: string, options: { what: string; mappingHint: string }): LoadedYamlFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read ${options.what}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`, { file });
  }
  const { values, document, lineCounter } = parseYaml(text, file);
  if (values !== null && values !== undefined && (typeof values !== 'object' || Array.isArray(values))) {
    throw new ConfigError(`the ${options.what} must be a mapping of ${options.mappingHint}`, { file, line: 1 });
  }
  return {
    file,
    values: (values ?? {}) as Record<string, unknown>,
    lineOf(path) {
      for (let length = path.length; length > 0; length -= 1) {
        const node = document.getIn(path.slice(0, length), true);
        if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
      }
      return undefined;
    },
  };
}

/**
 * The ConfigError for the first issue of a failed zod parse of a YAML file's values: the issue's message, at the file
 * and line of the field (an unknown key is named and located itself).
 *
 * @example
 * const parsed = ConstitutionSchema.safeParse(loaded.values);
 * if (!parsed.success) throw yamlIssueError(parsed.error.issues[0], loaded);
 */
export function yamlIssueError(issue: z.core.$ZodIssue, loaded: Pick<LoadedYamlFile, 'file' | 'lineOf'>): ConfigError {
  const path = issue.path.filter((part): part is string | number => typeof part !== 'symbol');
  const unknownKeys = issue.code === 'unrecognized_keys' ? issue.keys : [];
  const keyPath = unknownKeys.length > 0 ? [...path, unknownKeys[0]!] : path;
  const field = [...path, ...unknownKeys].join('.');
  return new ConfigError(issue.message, { file: loaded.file, line: loaded.lineOf(keyPath), field: field || undefined });
}
