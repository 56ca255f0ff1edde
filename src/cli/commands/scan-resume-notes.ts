import { isAbsolute, relative, resolve } from 'node:path';
import type { SettingChange } from '../../engine/scan-settings.js';
import { ConfigError } from '../../spec/errors.js';
import { DEFAULT_DB_PATH } from '../../store/sqlite-store.js';

/** How each setting is named on the command line. */
const FLAG_NAMES: Record<string, string> = {
  concurrency: 'concurrency',
  cache: 'cache',
  out: 'out',
  failOn: 'fail-on',
  name: 'name',
  suites: 'suite',
  attacks: 'attacks',
  judge: 'judge',
  helper: 'helper',
  samples: 'samples',
  limit: 'limit',
  params: 'sampling parameters',
  lenient: 'lenient',
  targets: 'targets',
  'target.kind': 'target',
  'target.baseUrl': 'base-url',
  'target.model': 'model',
  'target.systemPrompt': 'system-prompt',
  'target.timeoutMs': 'timeout-ms',
  'target.maxRetries': 'retries',
  'target.rpm': 'rpm',
  'target.maxResponseBytes': 'max-response-bytes',
  'target.concurrency': "target's concurrency",
  'target.latencyMs': 'latency-ms',
};

function settingName(path: string): string {
  return FLAG_NAMES[path] ?? path;
}

function show(value: unknown): string {
  if (value === undefined || value === null) return 'none';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  return JSON.stringify(value);
}

/**
 * The lines that say what a resumed session changes (`resuming with concurrency 32 (was 16)`), or a ConfigError (exit
 * 2) naming every plan-defining setting that differs from the run's, since a resumed run keeps its plan.
 *
 * @example
 * describeResumeChanges('run-1', [{ path: 'concurrency', was: 16, now: 32, kind: 'operational' }]) // ['resuming with concurrency 32 (was 16)']
 */
export function describeResumeChanges(runId: string, changes: SettingChange[]): string[] {
  const conflicts = changes.filter((change) => change.kind === 'plan');
  if (conflicts.length > 0) {
    const named = conflicts.map((change) => `${settingName(change.path)} ${show(change.was)} (this scan: ${show(change.now)})`).join(', ');
    const flags = [...new Set(conflicts.map((change) => settingName(change.path)))];
    throw new ConfigError(
      `run ${runId} was planned with ${named}; a resumed run keeps its plan: resume it without changing ${flags.join(', ')}, or start a new run with --fresh`,
      { field: `--${flags[0]}` },
    );
  }
  return changes.map((change) => `resuming with ${settingName(change.path)} ${show(change.now)} (was ${show(change.was)})`);
}

/** A word of a shell command, quoted when it needs to be. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command that resumes a run: every other setting is recorded in the run, except the store's place (`--db` when not
 * the default; relative to `cwd` when inside it) and secret header values, which are never stored.
 *
 * @example
 * resumeCommand('run-1', '/work/r.db', '/work', ['Authorization']) // "redcard scan --resume run-1 --db r.db --header 'Authorization: …'"
 */
export function resumeCommand(runId: string, databasePath: string, cwd: string, secretHeaders: string[] = []): string {
  return redcardCommand(['scan', '--resume', runId], databasePath, cwd, secretHeaders.flatMap((header) => ['--header', `${header}: …`]));
}

/**
 * A redcard command line to show: `redcard WORDS…`, with `--db PATH` when the store is not the default one (relative
 * to `cwd` when inside it), each word quoted for the shell where needed.
 *
 * @example
 * redcardCommand(['batch', 'export', 'run-1', '--out', 'requests.jsonl'], '/work/other.db', '/work') // 'redcard batch export run-1 --out requests.jsonl --db other.db'
 */
export function redcardCommand(words: string[], databasePath: string, cwd: string, after: string[] = []): string {
  const all = ['redcard', ...words];
  if (resolve(databasePath) !== resolve(cwd, DEFAULT_DB_PATH)) {
    const shown = relative(cwd, databasePath);
    all.push('--db', shown !== '' && !shown.startsWith('..') && !isAbsolute(shown) ? shown : databasePath);
  }
  return [...all, ...after].map(shellWord).join(' ');
}
