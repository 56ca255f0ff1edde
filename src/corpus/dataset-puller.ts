import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError, NotFoundError, AbortedError } from '../spec/errors.js';
import { downloadFile, hashFile } from '../util/download-file.js';
import { dataPath } from '../util/paths.js';
import { safeJoin } from '../util/safe-path.js';

/** One downloadable file of a dataset. */
export const DatasetFileSchema = z.object({
  /** File name in the cache directory (plain name, no folders, not `.` or `..`). */
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a plain file name (a letter or digit, then letters, digits, ".", "_", "-")'),
  /** Download URL (http or https); a commit-pinned raw URL where one is known. */
  url: z.url({ protocol: /^https?$/ }),
  /** Expected sha256 of the file, lower-case hex. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/, '64 lower-case hex digits'),
});
export type DatasetFile = z.infer<typeof DatasetFileSchema>;

/** A public dataset in the catalog. */
export const DatasetEntrySchema = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/),
  title: z.string().min(1),
  /** Suite loader id that reads it. */
  loader: z.string().min(1),
  /** Suite spec to use once pulled; `{dir}` stands for the dataset's cache directory. */
  suite: z.string().includes('{dir}'),
  licence: z.string().min(1),
  homepage: z.string().min(1),
  /** Upstream commit the pinned copy corresponds to, where known. */
  upstreamCommit: z.string().optional(),
  /** Where the sha256 pins were computed from. */
  pinSource: z.string().min(1),
  files: z.array(DatasetFileSchema).min(1),
});
export type DatasetEntry = z.infer<typeof DatasetEntrySchema>;

export const DatasetCatalogSchema = z.object({
  version: z.literal(1),
  note: z.string().optional(),
  datasets: z.array(DatasetEntrySchema),
});
export type DatasetCatalog = z.infer<typeof DatasetCatalogSchema>;

/**
 * Read a dataset catalog (the shipped `data/datasets.json` by default, or a mirror's). Errors name file and field.
 *
 * @example
 * loadDatasetCatalog().datasets.map((entry) => entry.name)
 */
export function loadDatasetCatalog(path: string = dataPath('datasets.json')): DatasetCatalog {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message;
    throw new ConfigError(`cannot read dataset catalog: ${reason}`, { file: path });
  }
  const parsed = DatasetCatalogSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(issue.message, { file: path, field: issue.path.map(String).join('.') });
  }
  return parsed.data;
}

/**
 * The catalog entry called `name`, or a NotFoundError listing the known names.
 *
 * @example
 * findDataset(loadDatasetCatalog(), 'xstest').loader // 'xstest'
 */
export function findDataset(catalog: DatasetCatalog, name: string): DatasetEntry {
  const entry = catalog.datasets.find((candidate) => candidate.name === name);
  if (entry === undefined) {
    throw new NotFoundError(`unknown dataset '${name}'; known: ${catalog.datasets.map((candidate) => candidate.name).join(', ')}`);
  }
  return entry;
}

/**
 * The cache root: `REDCARD_CACHE` when set, else `~/.cache/redcard/datasets`.
 *
 * @example
 * defaultDatasetCache(process.env)
 */
export function defaultDatasetCache(env: NodeJS.ProcessEnv = process.env): string {
  return env.REDCARD_CACHE ? env.REDCARD_CACHE : join(homedir(), '.cache', 'redcard', 'datasets');
}

/** The suite spec for a pulled dataset, with `{dir}` replaced by its directory. */
export function suiteSpecFor(entry: DatasetEntry, directory: string): string {
  return entry.suite.replaceAll('{dir}', directory);
}

/** What the puller reports while it works; the CLI renders these. */
export type PullEvent =
  | { type: 'cached'; file: string; path: string }
  | { type: 'download'; file: string; url: string }
  | { type: 'progress'; file: string; receivedBytes: number; totalBytes?: number }
  | { type: 'saved'; file: string; path: string; bytes: number };

export interface PullOptions {
  /** Cache root; the dataset goes in `<cacheDir>/<name>/`. */
  cacheDir: string;
  /** Download even when a valid copy is present. */
  force?: boolean;
  /** Per-request inactivity timeout (default 30 s). */
  timeoutMs?: number;
  /** Redirects followed per file (default 5). */
  maxRedirects?: number;
  onEvent?: (event: PullEvent) => void;
  signal?: AbortSignal;
}

export interface PullResult {
  directory: string;
  files: { name: string; path: string; status: 'cached' | 'downloaded'; bytes: number }[];
  /** The `--suite` spec to use. */
  suite: string;
}

/**
 * Download a catalog dataset into `<cacheDir>/<name>/`, verifying every file's sha256. Files already present with
 * the right hash are kept (unless `force`); a bad copy is replaced. Reports progress through `onEvent`.
 *
 * @example
 * const result = await pullDataset(findDataset(loadDatasetCatalog(), 'xstest'), { cacheDir: defaultDatasetCache() });
 * result.suite // 'xstest:/home/me/.cache/redcard/datasets/xstest/xstest_prompts.csv'
 */
export async function pullDataset(entry: DatasetEntry, options: PullOptions): Promise<PullResult> {
  // Names come from the catalog (maybe a mirror's): each must stay one plain name inside the cache.
  const directory = safeJoin(options.cacheDir, entry.name);
  mkdirSync(directory, { recursive: true });
  const files: PullResult['files'] = [];
  for (const file of entry.files) {
    if (options.signal?.aborted) throw new AbortedError();
    const target = safeJoin(directory, file.name);
    if (!options.force && existsSync(target)) {
      const present = await hashFile(target);
      if (present.sha256 === file.sha256) {
        options.onEvent?.({ type: 'cached', file: file.name, path: target });
        files.push({ name: file.name, path: target, status: 'cached', bytes: present.bytes });
        continue;
      }
    }
    options.onEvent?.({ type: 'download', file: file.name, url: file.url });
    const { bytes } = await downloadFile(file.url, target, {
      sha256: file.sha256,
      timeoutMs: options.timeoutMs,
      maxRedirects: options.maxRedirects,
      signal: options.signal,
      userAgent: 'redcard-dataset-puller',
      onProgress: (receivedBytes, totalBytes) => options.onEvent?.({ type: 'progress', file: file.name, receivedBytes, totalBytes }),
    });
    options.onEvent?.({ type: 'saved', file: file.name, path: target, bytes });
    files.push({ name: file.name, path: target, status: 'downloaded', bytes });
  }
  return { directory, files, suite: suiteSpecFor(entry, directory) };
}
