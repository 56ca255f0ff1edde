import type { RunRecord } from '../spec/run-record.js';
import type { Store } from '../store/store-api.js';
import { redcardCommand } from './commands/scan-resume-notes.js';

/**
 * What a run waiting for Batch answers needs next, in lines for stderr: how many calls wait (not yet exported, in
 * files without answers), and the command to run.
 *
 * @example
 * for (const line of describeWaitingCalls(store, run, databasePath, io.cwd)) writeLine(io.stderr, line);
 */
export function describeWaitingCalls(store: Store, run: RunRecord, databasePath: string, cwd: string): string[] {
  const counts = store.countBatchCalls(run.id);
  const recorded = store.countAttempts(run.id).total;
  const notExported = counts.pending + counts['failed-seen'];
  const lines = [`run ${run.id}: ${recorded} of ${run.planned} attempts recorded; ${notExported + counts.exported} model calls wait for Batch answers`];
  if (notExported > 0) {
    lines.push(`next: ${redcardCommand(['batch', 'export', run.id, '--out', 'requests.jsonl'], databasePath, cwd)}  (${notExported} calls; then run the file, e.g. with vllm run-batch, see docs/scale.md)`);
  }
  if (counts.exported > 0) {
    lines.push(`${counts.exported} exported calls have no answer yet; import their results with: ${redcardCommand(['batch', 'import', run.id, 'RESULTS.jsonl'], databasePath, cwd)}`);
  }
  return lines;
}
