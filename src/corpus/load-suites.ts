import type { Behavior } from '../spec/behavior.js';
import type { SuiteLoadOptions } from '../spec/suite.js';
import { ConfigError } from '../spec/errors.js';
import { suiteRegistry } from './registry.js';

/** Behaviors from one or more suite specs, with what was skipped or left unmapped. */
export interface LoadedSuites {
  behaviors: Behavior[];
  /** Per spec: rows skipped (lenient) and unmapped categories. */
  notes: { spec: string; skipped: number; unmapped: Record<string, number> }[];
}

/**
 * Load behaviors from suite specs `ID` or `ID:ARGUMENT` (`core`, `core:benign`, `harmbench:FILE`, `jsonl:FILE`).
 * Behavior ids must be unique across the specs.
 *
 * @example
 * await loadSuites(['core:vcr'], {})
 */
export async function loadSuites(specs: string[], options: SuiteLoadOptions = {}): Promise<LoadedSuites> {
  const behaviors: Behavior[] = [];
  const notes: LoadedSuites['notes'] = [];
  const seen = new Set<string>();
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
    for (const behavior of result.behaviors) {
      if (seen.has(behavior.id)) continue;
      seen.add(behavior.id);
      behaviors.push(behavior);
    }
    notes.push({ spec, skipped: result.skipped.length, unmapped: result.unmapped });
  }
  return { behaviors, notes };
}
