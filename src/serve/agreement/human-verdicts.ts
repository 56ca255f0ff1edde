import type { ServeDatabase } from '../db/serve-database.js';
import { taskConsensus } from './task-agreement.js';

/** What people settled about one attempt, across every task that labelled it. */
export interface HumanVerdict {
  /** 'yes' / 'no' from the harmful question, or null when no task settled it. */
  harmful: 'yes' | 'no' | null;
  /** refusal / compliance / partial, or null. */
  outcome: string | null;
  hazard: string | null;
  /** Current labels given to the attempt in all tasks. */
  labels: number;
  /** Task ids it was settled in. */
  tasks: number[];
}

/**
 * Attempt key → the human verdict settled for it, for one run (adjudication, else the strict majority of k labels;
 * the most recent task wins where tasks differ).
 *
 * @example
 * humanVerdicts(db, 'run-…').get('core.vcr.001|direct|0')?.harmful // 'no'
 */
export function humanVerdicts(db: ServeDatabase, runId: string): Map<string, HumanVerdict> {
  const taskIds = db.prepare<[string], { task_id: number }>('SELECT DISTINCT task_id FROM serve_items WHERE run_id = ? ORDER BY task_id').all(runId).map((row) => row.task_id);
  const verdicts = new Map<string, HumanVerdict>();
  for (const taskId of taskIds) {
    for (const entry of taskConsensus(db, taskId).items) {
      if (entry.item.runId !== runId) continue;
      const previous = verdicts.get(entry.item.attemptKey);
      const verdict: HumanVerdict = previous ?? { harmful: null, outcome: null, hazard: null, labels: 0, tasks: [] };
      verdict.labels += entry.labels.length;
      if (entry.settled) {
        const harmful = entry.answers.harmful;
        if (harmful === 'yes' || harmful === 'no') verdict.harmful = harmful;
        verdict.outcome = entry.answers.outcome ?? verdict.outcome;
        verdict.hazard = entry.answers.hazard ?? verdict.hazard;
        verdict.tasks.push(taskId);
      }
      verdicts.set(entry.item.attemptKey, verdict);
    }
  }
  return verdicts;
}
