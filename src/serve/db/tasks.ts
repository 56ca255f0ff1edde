import type { Attempt } from '../../spec/attempt.js';
import { ConfigError, NotFoundError } from '../../spec/errors.js';
import type { Store } from '../../store/store-api.js';
import { sha256 } from '../../util/hash.js';
import { listFlags } from './flags.js';
import { isoNow, type ServeDatabase } from './serve-database.js';

/** What a task asks of each item: the kind of answer, whether it is harmful, and which hazard it falls under. */
export const QUESTIONS = ['outcome', 'harmful', 'hazard'] as const;
export type Question = (typeof QUESTIONS)[number];
export const OUTCOMES = ['refusal', 'compliance', 'partial'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** An annotation task: items (attempts) each to be labelled by `k` different annotators. */
export interface Task {
  id: number;
  name: string;
  /** `run:RUN_ID` or `community`. */
  source: string;
  questions: Question[];
  k: number;
  createdBy: number;
  createdAt: string;
}

/** One item of a task: an attempt of a run (for community tasks, the attempt a flag made). */
export interface TaskItem {
  id: number;
  taskId: number;
  position: number;
  runId: string;
  attemptKey: string;
  hazard: string;
  flagId: number | null;
}

interface TaskRow {
  id: number;
  name: string;
  source: string;
  questions: string;
  k: number;
  created_by: number;
  created_at: string;
}

interface ItemRow {
  id: number;
  task_id: number;
  position: number;
  run_id: string;
  attempt_key: string;
  hazard: string;
  flag_id: number | null;
}

const toTask = (row: TaskRow): Task => ({
  id: row.id,
  name: row.name,
  source: row.source,
  questions: JSON.parse(row.questions) as Question[],
  k: row.k,
  createdBy: row.created_by,
  createdAt: row.created_at,
});

export const toItem = (row: ItemRow): TaskItem => ({
  id: row.id,
  taskId: row.task_id,
  position: row.position,
  runId: row.run_id,
  attemptKey: row.attempt_key,
  hazard: row.hazard,
  flagId: row.flag_id,
});

/** Largest k a task may ask for, and largest number of items. */
export const TASK_LIMITS = { maxK: 25, maxItems: 5000 } as const;

/** Settings shared by both kinds of task. */
export interface TaskSettings {
  name: string;
  questions: Question[];
  k: number;
  createdBy: number;
}

function checkSettings(settings: TaskSettings): void {
  if (settings.name.trim() === '' || settings.name.length > 200) throw new ConfigError('a task needs a name (at most 200 characters)', { field: 'name' });
  if (settings.questions.length === 0 || settings.questions.some((question) => !(QUESTIONS as readonly string[]).includes(question))) {
    throw new ConfigError(`a task asks one or more of ${QUESTIONS.join(', ')}`, { field: 'questions' });
  }
  if (!Number.isInteger(settings.k) || settings.k < 1 || settings.k > TASK_LIMITS.maxK) {
    throw new ConfigError(`k (annotators per item) is a whole number from 1 to ${TASK_LIMITS.maxK}`, { field: 'k' });
  }
}

function insertTask(db: ServeDatabase, settings: TaskSettings, source: string, items: Array<Omit<TaskItem, 'id' | 'taskId' | 'position'>>): Task {
  if (items.length === 0) throw new ConfigError('no items match: the task would be empty', { field: 'items' });
  return db.transaction(() => {
    const result = db
      .prepare('INSERT INTO serve_tasks (name, source, questions, k, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(settings.name.trim(), source, JSON.stringify([...new Set(settings.questions)]), settings.k, settings.createdBy, isoNow());
    const taskId = Number(result.lastInsertRowid);
    const insert = db.prepare('INSERT INTO serve_items (task_id, position, run_id, attempt_key, hazard, flag_id) VALUES (?, ?, ?, ?, ?, ?)');
    items.forEach((item, position) => insert.run(taskId, position, item.runId, item.attemptKey, item.hazard, item.flagId));
    return getTask(db, taskId);
  }).immediate();
}

/** Which attempts of a run a task takes. */
export interface RunItemFilter {
  hazard?: string;
  attack?: string;
  /** `refusal`, `compliance`, `partial`, `error`, `attack-success` (judged harmful), `harmful-behaviors` (any verdict on a harmful request). */
  verdict?: string;
  /** At most this many items, a deterministic sample (by a hash of the attempt key) when there are more. */
  limit?: number;
}

/**
 * Create a task over a run's answered attempts (errors have no response to label).
 *
 * @example
 * createTaskFromRun({ db, store }, { name: 'vcr check', questions: ['harmful'], k: 3, createdBy: admin.id }, 'run-…', { hazard: 'vcr', limit: 100 });
 */
export function createTaskFromRun(stores: { db: ServeDatabase; store: Store }, settings: TaskSettings, runId: string, filter: RunItemFilter = {}): Task {
  checkSettings(settings);
  stores.store.getRun(runId);
  const limit = Math.min(filter.limit ?? TASK_LIMITS.maxItems, TASK_LIMITS.maxItems);
  const picked: Array<{ attempt: Attempt; rank: string }> = [];
  for (const attempt of stores.store.iterateAttempts(runId)) {
    if (attempt.response === null || !matchesFilter(attempt, filter)) continue;
    picked.push({ attempt, rank: sha256(`${settings.name}|${attempt.key}`) });
  }
  const sample = picked.length > limit ? [...picked].sort((a, b) => (a.rank < b.rank ? -1 : 1)).slice(0, limit) : picked;
  sample.sort((a, b) => a.attempt.index - b.attempt.index);
  return insertTask(stores.db, settings, `run:${runId}`, sample.map(({ attempt }) => ({ runId, attemptKey: attempt.key, hazard: attempt.category, flagId: null })));
}

/** Whether an attempt passes the run browser's and the task form's filters. */
export function matchesFilter(attempt: Attempt, filter: Pick<RunItemFilter, 'hazard' | 'attack' | 'verdict'>): boolean {
  if (filter.hazard && attempt.category !== filter.hazard) return false;
  if (filter.attack && attempt.attack !== filter.attack) return false;
  if (filter.verdict) {
    const label = attempt.error !== null ? 'error' : attempt.verdict?.label;
    if (filter.verdict === 'attack-success') return !attempt.benign && attempt.verdict?.harmful === true;
    if (filter.verdict === 'harmful-behaviors') return !attempt.benign;
    if (filter.verdict === 'undetermined') return attempt.verdict?.undetermined !== undefined;
    if (label !== filter.verdict) return false;
  }
  return true;
}

/**
 * Create a task over community flags: the findings (and, when asked, the failures) not yet in another community
 * task, so each flag is confirmed once.
 */
export function createTaskFromFlags(db: ServeDatabase, settings: TaskSettings, options: { includeFailures?: boolean; includeQueued?: boolean } = {}): Task {
  checkSettings(settings);
  const queued = new Set(
    db.prepare<[], { flag_id: number }>("SELECT i.flag_id FROM serve_items i JOIN serve_tasks t ON t.id = i.task_id WHERE i.flag_id IS NOT NULL AND t.source = 'community'").all().map((row) => row.flag_id),
  );
  const flags = listFlags(db).filter((flag) => (options.includeFailures || flag.kind === 'harmful') && (options.includeQueued || !queued.has(flag.id)));
  return insertTask(db, settings, 'community', flags.map((flag) => ({ runId: flag.runId, attemptKey: flag.attemptKey, hazard: flag.hazard, flagId: flag.id })));
}

/** @throws NotFoundError for an unknown id. */
export function getTask(db: ServeDatabase, id: number): Task {
  const row = db.prepare<[number], TaskRow>('SELECT * FROM serve_tasks WHERE id = ?').get(id);
  if (row === undefined) throw new NotFoundError(`no task ${id}`);
  return toTask(row);
}

export function listTasks(db: ServeDatabase): Task[] {
  return db.prepare<[], TaskRow>('SELECT * FROM serve_tasks ORDER BY id DESC').all().map(toTask);
}

/** @throws NotFoundError for an unknown id. */
export function getItem(db: ServeDatabase, id: number): TaskItem {
  const row = db.prepare<[number], ItemRow>('SELECT * FROM serve_items WHERE id = ?').get(id);
  if (row === undefined) throw new NotFoundError(`no item ${id}`);
  return toItem(row);
}

export function listItems(db: ServeDatabase, taskId: number): TaskItem[] {
  return db.prepare<[number], ItemRow>('SELECT * FROM serve_items WHERE task_id = ? ORDER BY position').all(taskId).map(toItem);
}

/**
 * The recorded attempt an item points at. Read straight from the store's `attempts` table by its primary key (the
 * store API streams whole runs only); undefined when the attempt is gone.
 */
export function readAttempt(db: ServeDatabase, runId: string, key: string): Attempt | undefined {
  const row = db.prepare<[string, string], { record: string }>('SELECT record FROM attempts WHERE run_id = ? AND key = ?').get(runId, key);
  return row === undefined ? undefined : (JSON.parse(row.record) as Attempt);
}
