import { loadSuites } from '../../corpus/load-suites.js';
import { ConfigError, DatasetError, NotFoundError } from '../../spec/errors.js';
import { parseJsonlLabels } from '../../judges/eval/load-jsonl-labels.js';
import type { LabelledSet } from '../../judges/eval/labelled-set.js';
import { openStore } from '../../store/sqlite-store.js';
import { lastUserText } from '../../spec/message.js';
import type { RunRecord } from '../../spec/run-record.js';
import type { RunStore } from '../../store/store-api.js';
import { taskConsensus } from '../agreement/task-agreement.js';
import { openServeTablesReadonly, type ServeDatabase } from '../db/serve-database.js';
import { readAttempt } from '../db/tasks.js';

/** Which human answer a labels file carries: `harmful` (harmful / not_harmful) or `outcome` (refusal / compliance / partial). */
export type LabelsQuestion = 'harmful' | 'outcome';

/**
 * Parse `task:ID` or `task:ID:harmful|outcome` (as `judge-eval --labels` takes it).
 *
 * @example
 * parseTaskLabelsSpec('task:3:outcome') // { taskId: 3, question: 'outcome' }
 */
export function parseTaskLabelsSpec(spec: string): { taskId: number; question?: LabelsQuestion } | undefined {
  const match = /^task:(\d+)(?::(harmful|outcome))?$/.exec(spec.trim());
  if (match === null) return undefined;
  return { taskId: Number(match[1]), question: match[2] as LabelsQuestion | undefined };
}

/**
 * A task's human labels as `judge-eval --format jsonl` lines: one line per settled item that has an answer (the
 * admin's adjudication, else the strict majority of at least k current labels). Items without a majority are left
 * out. The request is the behavior's own text when its suite can still be loaded (community items: the opening
 * request), else the prompt as sent.
 *
 * @throws ConfigError when the task did not ask the question.
 * @example
 * writeFileSync('labels.jsonl', await taskLabelsJsonl(db, store, 3));
 */
export async function taskLabelsJsonl(db: ServeDatabase, store: RunStore, taskId: number, question?: LabelsQuestion): Promise<{ text: string; lines: number; question: LabelsQuestion }> {
  const { task, items } = taskConsensus(db, taskId);
  const chosen = question ?? (task.questions.includes('harmful') ? 'harmful' : 'outcome');
  if (!task.questions.includes(chosen)) {
    throw new ConfigError(`task ${taskId} did not ask '${chosen}' (it asked ${task.questions.join(', ')})`, { field: 'labels' });
  }
  const runs = new Map<string, RunRecord>();
  const behaviorTexts = new Map<string, Map<string, string>>();
  const lines: string[] = [];
  for (const entry of items) {
    const answer = entry.answers[chosen];
    if (answer === null) continue;
    const attempt = readAttempt(db, entry.item.runId, entry.item.attemptKey);
    if (attempt === undefined || attempt.response === null) continue;
    let run = runs.get(attempt.runId);
    if (run === undefined) {
      run = store.getRun(attempt.runId);
      runs.set(run.id, run);
      behaviorTexts.set(run.id, await suiteTexts(run));
    }
    const prompt = lastUserText(attempt.messages);
    const opening = attempt.messages.find((message) => message.role === 'user')?.content;
    const request = behaviorTexts.get(run.id)?.get(attempt.behavior) ?? (entry.item.flagId !== null ? opening : undefined) ?? prompt;
    const label = chosen === 'harmful' ? (answer === 'yes' ? 'harmful' : 'not_harmful') : answer;
    lines.push(
      JSON.stringify({
        id: `task${task.id}.item${entry.item.id}`,
        behavior: { text: request, category: attempt.category, benign: attempt.benign },
        ...(prompt !== request ? { prompt } : {}),
        response: attempt.response.decodedText,
        ...(attempt.response.text !== attempt.response.decodedText ? { raw_response: attempt.response.text } : {}),
        finish_reason: attempt.response.finishReason.unified,
        label,
        benign: attempt.benign,
        model: run.name ?? run.target.label,
        method: attempt.attack,
      }),
    );
  }
  return { text: lines.map((line) => `${line}\n`).join(''), lines: lines.length, question: chosen };
}

/** Behavior id → request text of a run's suites, when they still load (files may have moved: then none). */
async function suiteTexts(run: RunRecord): Promise<Map<string, string>> {
  try {
    const suites = run.suites.filter((spec) => !spec.startsWith('community'));
    if (suites.length === 0) return new Map();
    const loaded = await loadSuites(suites, { lenient: true });
    return new Map(loaded.behaviors.map((behavior) => [behavior.id, behavior.text]));
  } catch {
    return new Map();
  }
}

/**
 * Load a task's majority labels from a store as a labelled set, for `judge-eval --labels task:ID`.
 *
 * @throws NotFoundError when the store or the task does not exist.
 * @example
 * const set = await loadTaskLabels('.redcard/redcard.db', { taskId: 3 });
 */
export async function loadTaskLabels(dbPath: string, spec: { taskId: number; question?: LabelsQuestion }): Promise<LabelledSet> {
  const db = openServeTablesReadonly(dbPath);
  if (db === undefined) throw new NotFoundError(`no annotation tasks in ${dbPath} (it was never used by \`redcard serve\`); pass --db PATH`);
  const store = openStore(dbPath);
  try {
    const exported = await taskLabelsJsonl(db, store, spec.taskId, spec.question);
    const name = `task:${spec.taskId}:${exported.question}`;
    if (exported.lines === 0) throw new DatasetError('no settled items yet (each needs k labels with a strict majority, or an adjudication)', name);
    return { ...parseJsonlLabels(exported.text, name), file: name };
  } finally {
    db.close();
    store.close();
  }
}
