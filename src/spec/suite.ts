import type { Behavior } from './behavior.js';

/** Options every suite source receives. */
export interface SuiteLoadOptions {
  /** Skip malformed rows (counting them) instead of failing with file:line. */
  lenient?: boolean;
  /** The SQLite store a suite that reads the store (`readsStore`) reads; default `.redcard/redcard.db` in the working directory. */
  dbPath?: string;
  /**
   * The caller can take a suite read again row by row (`SuiteLoadResult.streamed`), as a scan's plan does: a loader of
   * large files (JSONL) then keeps no behavior in memory. Loaders that cannot stream ignore it.
   */
  stream?: boolean;
}

/** A suite kept in its file: how many behaviors it holds, and a way to read them again in file order. */
export interface StreamedBehaviors {
  /** The file read. */
  file: string;
  /** Behaviors the first pass accepted (malformed rows skipped or refused there, as `lenient` says). */
  count: number;
  /**
   * Read the file again: the same behaviors, in the same order, with their lines. A file changed since the first pass
   * is a DatasetError (the plan would no longer be the run's).
   */
  read(): Iterable<{ behavior: Behavior; line: number }>;
}

/** What loading a suite yields. */
export interface SuiteLoadResult {
  /** The behaviors, in file order. */
  behaviors: Behavior[];
  /** Rows skipped as malformed (only with `lenient`), with where and why. */
  skipped: { line: number; reason: string }[];
  /** Source categories that could not be mapped to the taxonomy: name → count (kept, not dropped). */
  unmapped: Record<string, number>;
  /** Where each behavior was read (behavior id → file and line), when the loader knows; used in messages. */
  origins?: Record<string, { file: string; line: number }>;
  /** Set when the suite was opened with `stream` by a loader that streams: `behaviors` is then empty. */
  streamed?: StreamedBehaviors;
}

/**
 * A source of behaviors, written as `ID` or `ID:ARGUMENT` in `--suite`: built-in suites (`core`, `core:benign`,
 * `core:vcr`) and loaders of public formats (`harmbench:FILE`, `jsonl:FILE`).
 */
export interface SuiteSource {
  /** Id: the part of the spec before the first colon. */
  readonly id: string;
  /** One sentence for `redcard list suites`. */
  readonly description: string;
  /** Where the data or format comes from. */
  readonly reference: string;
  /** True when the argument is a file path (a loader); false for a built-in suite. */
  readonly needsFile: boolean;
  /** True when the suite reads the store (the `community` suite of `redcard serve` findings) rather than shipped data. */
  readonly readsStore?: boolean;
  /** Load behaviors. Throws DatasetError naming file:line for a malformed row unless `lenient`. */
  load(argument: string | undefined, options: SuiteLoadOptions): Promise<SuiteLoadResult>;
}

/** Identity helper that gives a suite source its type. */
export function defineSuite(source: SuiteSource): SuiteSource {
  return source;
}
