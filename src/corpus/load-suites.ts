import type { Behavior } from '../spec/behavior.js';
import type { SuiteLoadOptions, SuiteLoadResult } from '../spec/suite.js';
import { ConfigError } from '../spec/errors.js';
import { suiteRegistry } from './registry.js';

/** Behaviors from one or more suite specs, with what was skipped or left unmapped. */
export interface LoadedSuites {
  behaviors: Behavior[];
  /**
   * Per spec: rows skipped (lenient), unmapped categories, and behaviors dropped because an earlier spec already has
   * the same behavior (same id and content), with the first such spec.
   */
  notes: { spec: string; skipped: number; unmapped: Record<string, number>; duplicates: number; duplicateOf?: string }[];
}

/** Where a behavior came from, for messages: `spec (file:line)` when the loader knows the line. */
function origin(spec: string, result: SuiteLoadResult, id: string): string {
  const place = result.origins?.[id];
  return place === undefined ? `suite '${spec}'` : `suite '${spec}' (${place.file}:${place.line})`;
}

/** Whether two behaviors with one id are the same request (then the second is a harmless repeat). */
function sameBehavior(first: Behavior, second: Behavior): boolean {
  return first.text === second.text && (first.context ?? '') === (second.context ?? '') && first.category === second.category && first.benign === second.benign;
}

/**
 * Load behaviors from suite specs `ID` or `ID:ARGUMENT` (`core`, `core:benign`, `harmbench:FILE`, `jsonl:FILE`).
 * Behavior ids must be unique across the specs: a behavior repeated with the same id and content (e.g. `core` and
 * `core:vcr`) is kept once and counted in its spec's note; the same id with different content is a ConfigError naming
 * both suites and their file:line, since results are keyed by id and one of the two would silently vanish.
 *
 * @example
 * await loadSuites(['core:vcr'], {})
 */
export async function loadSuites(specs: string[], options: SuiteLoadOptions = {}): Promise<LoadedSuites> {
  const behaviors: Behavior[] = [];
  const notes: LoadedSuites['notes'] = [];
  const seen = new Map<string, { behavior: Behavior; where: string; spec: string }>();
  for (const spec of specs) {
    const colon = spec.indexOf(':');
    const id = colon === -1 ? spec : spec.slice(0, colon);
    const argument = colon === -1 ? undefined : spec.slice(colon + 1);
    if (!suiteRegistry.has(id)) {
      throw new ConfigError(`unknown suite '${id}'; known: ${suiteRegistry.keys().join(', ')}`, { field: 'suite' });
    }
    const source = suiteRegistry.get(id);
    if (source.needsFile && !argument) {
      throw new ConfigError(`suite '${id}' reads a file: '${id}:PATH'`, { field: 'suite' });
    }
    const result = await source.load(argument, options);
    let duplicates = 0;
    let duplicateOf: string | undefined;
    for (const behavior of result.behaviors) {
      const earlier = seen.get(behavior.id);
      if (earlier !== undefined) {
        if (!sameBehavior(earlier.behavior, behavior)) {
          throw new ConfigError(
            `behavior id '${behavior.id}' in ${origin(spec, result, behavior.id)} is also in ${earlier.where} with different content; ids must be unique across suites (rename one, or load only one of them)`,
            { field: 'suite' },
          );
        }
        duplicates += 1;
        duplicateOf ??= earlier.spec;
        continue;
      }
      seen.set(behavior.id, { behavior, where: origin(spec, result, behavior.id), spec });
      behaviors.push(behavior);
    }
    notes.push({ spec, skipped: result.skipped.length, unmapped: result.unmapped, duplicates, ...(duplicateOf ? { duplicateOf } : {}) });
  }
  return { behaviors, notes };
}
