import { ConfigError, RedcardError } from '../../spec/errors.js';
import { getItem, getTask, OUTCOMES, type Outcome, type Question, type Task, type TaskItem, toItem } from './tasks.js';
import { isoNow, type ServeDatabase } from './serve-database.js';

/** An annotator's answers for one item; unasked questions are null. */
export interface LabelValues {
  outcome: Outcome | null;
  harmful: boolean | null;
  hazard: string | null;
}

/** One row of label history (append-only: an edit is a new row that `supersedes` the previous one). */
export interface Label extends LabelValues {
  id: number;
  itemId: number;
  accountId: number;
  username: string;
  note: string;
  supersedes: number | null;
  createdAt: string;
}

/** An admin's final answer for an item, which wins over the annotators' majority. */
export interface Adjudication extends LabelValues {
  id: number;
  itemId: number;
  accountId: number;
  username: string;
  note: string;
  createdAt: string;
}

/** A label the annotator may not give (not assigned to the item). */
export class LabelRefusedError extends RedcardError {
  constructor(message: string) {
    super('label-refused', message);
    this.name = 'LabelRefusedError';
  }
}

/** How long an assignment holds a slot before another annotator may take it. */
export const ASSIGNMENT_LEASE_MS = 30 * 60_000;

interface LabelRow {
  id: number;
  item_id: number;
  account_id: number;
  username: string;
  outcome: Outcome | null;
  harmful: number | null;
  hazard: string | null;
  note: string;
  supersedes?: number | null;
  created_at: string;
}

const toLabel = (row: LabelRow): Label => ({
  id: row.id,
  itemId: row.item_id,
  accountId: row.account_id,
  username: row.username,
  outcome: row.outcome,
  harmful: row.harmful === null ? null : row.harmful === 1,
  hazard: row.hazard,
  note: row.note,
  supersedes: row.supersedes ?? null,
  createdAt: row.created_at,
});

/**
 * The item this annotator should label next in a task, assigned atomically (one IMMEDIATE transaction): their open
 * assignment if they have one, else an item they were never assigned whose labels plus open assignments are fewer
 * than k, nearly-complete items first. Never the same item twice for one annotator (the assignment's primary key is
 * item × annotator), never an annotator's own flag. Undefined when nothing is left for them.
 *
 * @example
 * const item = nextAssignment(db, task.id, me.id);
 */
export function nextAssignment(db: ServeDatabase, taskId: number, accountId: number, leaseMs = ASSIGNMENT_LEASE_MS): TaskItem | undefined {
  const task = getTask(db, taskId);
  return db.transaction(() => {
    const now = isoNow();
    const open = db
      .prepare<[number, number, string], ItemRowLike>(
        `SELECT i.* FROM serve_assignments a JOIN serve_items i ON i.id = a.item_id
         WHERE i.task_id = ? AND a.account_id = ? AND a.done_at IS NULL AND a.expires_at > ? ORDER BY a.assigned_at LIMIT 1`,
      )
      .get(taskId, accountId, now);
    if (open !== undefined) return toItem(open);
    const candidate = db
      .prepare<[{ now: string; task: number; account: number; k: number }], ItemRowLike>(
        `SELECT i.*, (SELECT COUNT(*) FROM serve_assignments a WHERE a.item_id = i.id AND (a.done_at IS NOT NULL OR a.expires_at > @now)) AS taken
         FROM serve_items i
         WHERE i.task_id = @task
           AND NOT EXISTS (SELECT 1 FROM serve_assignments a WHERE a.item_id = i.id AND a.account_id = @account)
           AND (i.flag_id IS NULL OR (SELECT f.account_id FROM serve_flags f WHERE f.id = i.flag_id) != @account)
           AND taken < @k
         ORDER BY taken DESC, i.position LIMIT 1`,
      )
      .get({ now, task: taskId, account: accountId, k: task.k });
    if (candidate === undefined) return undefined;
    db.prepare('INSERT INTO serve_assignments (item_id, account_id, assigned_at, expires_at) VALUES (?, ?, ?, ?)').run(candidate.id, accountId, now, isoNow(leaseMs));
    return toItem(candidate);
  }).immediate();
}

type ItemRowLike = Parameters<typeof toItem>[0];

/** Check answers against what the task asks: every asked question answered, nothing else. */
export function checkAnswers(task: Task, values: Partial<LabelValues>): LabelValues {
  const asked = new Set<Question>(task.questions);
  const result: LabelValues = { outcome: null, harmful: null, hazard: null };
  if (asked.has('outcome')) {
    if (!OUTCOMES.includes(values.outcome as Outcome)) throw new ConfigError(`outcome is one of ${OUTCOMES.join(', ')}`, { field: 'outcome' });
    result.outcome = values.outcome as Outcome;
  }
  if (asked.has('harmful')) {
    if (typeof values.harmful !== 'boolean') throw new ConfigError('harmful is true or false', { field: 'harmful' });
    result.harmful = values.harmful;
  }
  if (asked.has('hazard')) {
    if (typeof values.hazard !== 'string' || !/^[a-z][a-z0-9_:-]{0,63}$/.test(values.hazard)) throw new ConfigError('hazard is a hazard id such as vcr', { field: 'hazard' });
    result.hazard = values.hazard;
  }
  return result;
}

/**
 * Record an annotator's label for an item they were assigned. A second label from the same annotator is an edit:
 * a new row superseding the previous one (history is never overwritten).
 *
 * @throws LabelRefusedError when the item was never assigned to them; ConfigError for a missing answer.
 */
export function submitLabel(db: ServeDatabase, input: { itemId: number; accountId: number; values: Partial<LabelValues>; note?: string }): Label {
  const item = getItem(db, input.itemId);
  const values = checkAnswers(getTask(db, item.taskId), input.values);
  const note = (input.note ?? '').slice(0, 2000);
  const id = db.transaction(() => {
    const assignment = db.prepare<[number, number], { done_at: string | null }>('SELECT done_at FROM serve_assignments WHERE item_id = ? AND account_id = ?').get(item.id, input.accountId);
    if (assignment === undefined) throw new LabelRefusedError(`item ${item.id} is not assigned to you (take the next item of task ${item.taskId})`);
    const previous = db.prepare<[number, number], { id: number }>('SELECT MAX(id) AS id FROM serve_labels WHERE item_id = ? AND account_id = ?').get(item.id, input.accountId)?.id ?? null;
    const now = isoNow();
    const result = db
      .prepare('INSERT INTO serve_labels (item_id, account_id, outcome, harmful, hazard, note, supersedes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(item.id, input.accountId, values.outcome, values.harmful === null ? null : values.harmful ? 1 : 0, values.hazard, note, previous, now);
    if (assignment.done_at === null) db.prepare('UPDATE serve_assignments SET done_at = ? WHERE item_id = ? AND account_id = ?').run(now, item.id, input.accountId);
    return Number(result.lastInsertRowid);
  }).immediate();
  return labelById(db, id);
}

function labelById(db: ServeDatabase, id: number): Label {
  return toLabel(db.prepare<[number], LabelRow>('SELECT l.*, a.username FROM serve_labels l JOIN serve_accounts a ON a.id = l.account_id WHERE l.id = ?').get(id)!);
}

/** Each annotator's current label (their latest row) for the items of a task, in the order annotators first labelled. */
export function currentLabels(db: ServeDatabase, taskId: number): Map<number, Label[]> {
  const rows = db
    .prepare<[number], LabelRow & { first_id: number }>(
      `SELECT l.*, a.username, (SELECT MIN(id) FROM serve_labels f WHERE f.item_id = l.item_id AND f.account_id = l.account_id) AS first_id
       FROM serve_labels l JOIN serve_items i ON i.id = l.item_id JOIN serve_accounts a ON a.id = l.account_id
       WHERE i.task_id = ? AND l.id = (SELECT MAX(id) FROM serve_labels m WHERE m.item_id = l.item_id AND m.account_id = l.account_id)
       ORDER BY l.item_id, first_id`,
    )
    .all(taskId);
  const byItem = new Map<number, Label[]>();
  for (const row of rows) {
    const list = byItem.get(row.item_id) ?? [];
    list.push(toLabel(row));
    byItem.set(row.item_id, list);
  }
  return byItem;
}

/** The full history of an item's labels, oldest first (edits included). */
export function labelHistory(db: ServeDatabase, itemId: number): Label[] {
  return db.prepare<[number], LabelRow>('SELECT l.*, a.username FROM serve_labels l JOIN serve_accounts a ON a.id = l.account_id WHERE l.item_id = ? ORDER BY l.id').all(itemId).map(toLabel);
}

/** Total label rows of a task (history included). */
export function countLabelRows(db: ServeDatabase, taskId: number): number {
  return db.prepare<[number], { n: number }>('SELECT COUNT(*) AS n FROM serve_labels l JOIN serve_items i ON i.id = l.item_id WHERE i.task_id = ?').get(taskId)!.n;
}

/** Record an admin's adjudication (append-only; the latest one stands). */
export function adjudicate(db: ServeDatabase, input: { itemId: number; accountId: number; values: Partial<LabelValues>; note?: string }): Adjudication {
  const item = getItem(db, input.itemId);
  const values = checkAnswers(getTask(db, item.taskId), input.values);
  const result = db
    .prepare('INSERT INTO serve_adjudications (item_id, account_id, outcome, harmful, hazard, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(item.id, input.accountId, values.outcome, values.harmful === null ? null : values.harmful ? 1 : 0, values.hazard, (input.note ?? '').slice(0, 2000), isoNow());
  const row = db.prepare<[number], LabelRow>(`${ADJUDICATION_SELECT} WHERE d.id = ?`).get(Number(result.lastInsertRowid))!;
  return toAdjudication(row);
}

const ADJUDICATION_SELECT = 'SELECT d.*, a.username FROM serve_adjudications d JOIN serve_accounts a ON a.id = d.account_id';

function toAdjudication(row: LabelRow): Adjudication {
  const { supersedes: _supersedes, ...label } = toLabel(row);
  return label;
}

/** The standing (latest) adjudication per item of a task. */
export function latestAdjudications(db: ServeDatabase, taskId: number): Map<number, Adjudication> {
  const rows = db
    .prepare<[number], LabelRow>(
      `${ADJUDICATION_SELECT} JOIN serve_items i ON i.id = d.item_id
       WHERE i.task_id = ? AND d.id = (SELECT MAX(id) FROM serve_adjudications e WHERE e.item_id = d.item_id)`,
    )
    .all(taskId);
  return new Map(rows.map((row) => [row.item_id, toAdjudication(row)]));
}

/** How many items of a task each annotator has labelled. */
export function labelsByAnnotator(db: ServeDatabase, taskId: number): Array<{ username: string; items: number }> {
  return db
    .prepare<[number], { username: string; items: number }>(
      `SELECT a.username, COUNT(DISTINCT l.item_id) AS items FROM serve_labels l JOIN serve_items i ON i.id = l.item_id JOIN serve_accounts a ON a.id = l.account_id
       WHERE i.task_id = ? GROUP BY a.username ORDER BY items DESC, a.username`,
    )
    .all(taskId);
}
