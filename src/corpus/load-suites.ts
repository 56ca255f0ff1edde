import type { Behavior } from '../spec/behavior.js';
import type { SuiteLoadOptions } from '../spec/suite.js';
import { ConfigError } from '../spec/errors.js';
import { sha256 } from '../util/hash.js';
import { BehaviorsDigest, type BehaviorList } from './behavior-list.js';
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

/** Behaviors of suite specs as a scan's plan reads them, with the notes of `loadSuites`. */
export interface OpenedSuites {
  behaviors: BehaviorList;
  notes: LoadedSuites['notes'];
}

/** Where a behavior came from, for messages: `spec (file:line)` when the loader knows the line. */
function origin(spec: string, place: { file: string; line: number } | undefined): string {
  return place === undefined ? `suite '${spec}'` : `suite '${spec}' (${place.file}:${place.line})`;
}

/** What two behaviors with one id must share to be the same request (then the second is a harmless repeat). */
function contentKey(behavior: Behavior): string {
  return sha256(`${behavior.text}\u0000${behavior.context ?? ''}\u0000${behavior.category}\u0000${behavior.benign}`, 16);
}

/** One loaded spec: its rows (read again on each pass when streamed) and the positions dropped as repeats. */
interface OpenedSource {
  rows: () => Iterable<{ behavior: Behavior; line?: number }>;
  file?: string;
  dropped: Set<number>;
}

/**
 * Open suite specs `ID` or `ID:ARGUMENT` (`core`, `core:benign`, `harmbench:FILE`, `jsonl:FILE`) as one list of
 * behaviors. Behavior ids must be unique across the specs: a behavior repeated with the same id and content (e.g.
 * `core` and `core:vcr`) is kept once and counted in its spec's note; the same id with different content is a
 * ConfigError naming both suites and their file:line, since results are keyed by id and one of the two would silently
 * vanish. With `stream`, a large file (JSONL) stays in its file and is read again as the list is iterated: memory holds
 * one pass's id set while the specs are opened, not the behaviors.
 *
 * @example
 * const { behaviors } = await openSuites(['jsonl:big.jsonl'], { stream: true }); // behaviors.count, then for…of
 */
export async function openSuites(specs: string[], options: SuiteLoadOptions = {}): Promise<OpenedSuites> {
  const sources: OpenedSource[] = [];
  const notes: LoadedSuites['notes'] = [];
  // id → content key, spec index and line: enough to tell a repeat from a clash and to name the first place.
  const seen = new Map<string, { key: string; source: number; line?: number }>();
  const digest = new BehaviorsDigest();
  let count = 0;
  let harmful = 0;
  for (const spec of specs) {
    const colon = spec.indexOf(':');
    const id = colon === -1 ? spec : spec.slice(0, colon);
    const argument = colon === -1 ? undefined : spec.slice(colon + 1);
    if (!suiteRegistry.has(id)) {
      throw new ConfigError(`unknown suite '${id}'; known: ${suiteRegistry.keys().join(', ')}`, { field: 'suite' });
    }
    const suite = suiteRegistry.get(id);
    if (suite.needsFile && !argument) {
      throw new ConfigError(`suite '${id}' reads a file: '${id}:PATH'`, { field: 'suite' });
    }
    const result = await suite.load(argument, options);
    const streamed = result.streamed;
    const source: OpenedSource = streamed
      ? { rows: () => streamed.read(), file: streamed.file, dropped: new Set() }
      : { rows: () => result.behaviors.map((behavior) => ({ behavior, line: result.origins?.[behavior.id]?.line })), file: undefined, dropped: new Set() };
    const placeOf = (behavior: Behavior, line: number | undefined): { file: string; line: number } | undefined =>
      streamed && line !== undefined ? { file: streamed.file, line } : result.origins?.[behavior.id];
    const index = sources.push(source) - 1;
    let duplicates = 0;
    let duplicateOf: string | undefined;
    let position = 0;
    for (const { behavior, line } of source.rows()) {
      const key = contentKey(behavior);
      const earlier = seen.get(behavior.id);
      if (earlier !== undefined) {
        if (earlier.key !== key) {
          const first = specs[earlier.source];
          const firstPlace = earlier.line === undefined ? undefined : { file: sources[earlier.source].file ?? '', line: earlier.line };
          throw new ConfigError(
            `behavior id '${behavior.id}' in ${origin(spec, placeOf(behavior, line))} is also in ${origin(first, firstPlace)} with different content; ids must be unique across suites (rename one, or load only one of them)`,
            { field: 'suite' },
          );
        }
        duplicates += 1;
        duplicateOf ??= specs[earlier.source];
        source.dropped.add(position);
      } else {
        const place = placeOf(behavior, line);
        seen.set(behavior.id, { key, source: index, ...(place === undefined ? {} : { line: place.line }) });
        if (place !== undefined) source.file ??= place.file;
        digest.add(behavior);
        count += 1;
        if (!behavior.benign) harmful += 1;
      }
      position += 1;
    }
    notes.push({ spec, skipped: result.skipped.length, unmapped: result.unmapped, duplicates, ...(duplicateOf ? { duplicateOf } : {}) });
  }
  const hash = digest.digest();
  const behaviors: BehaviorList = {
    count,
    harmful,
    hash,
    *[Symbol.iterator]() {
      for (const source of sources) {
        let position = 0;
        for (const { behavior } of source.rows()) {
          if (!source.dropped.has(position)) yield behavior;
          position += 1;
        }
      }
    },
  };
  return { behaviors, notes };
}

/**
 * Load behaviors from suite specs as an array (see `openSuites` for the rules: ids unique across specs, repeats kept
 * once, clashes a ConfigError naming both places).
 *
 * @example
 * await loadSuites(['core:vcr'], {})
 */
export async function loadSuites(specs: string[], options: SuiteLoadOptions = {}): Promise<LoadedSuites> {
  const opened = await openSuites(specs, { ...options, stream: false });
  return { behaviors: [...opened.behaviors], notes: opened.notes };
}
