import { buildHumanVerification, type HumanVerification } from '../../report/human-verification.js';
import type { RunStore } from '../../store/store-api.js';
import { humanVerdicts } from '../agreement/human-verdicts.js';
import { openServeTablesReadonly, type ServeDatabase } from '../db/serve-database.js';

/**
 * The human-verification section for a run from the app's labels, or undefined when no attempt of the run has a
 * settled human label. Pass an open connection, or a store path to open one read-only.
 *
 * @example
 * scorecard.humanVerification = runHumanVerification(store.path, store, run.id, hazardNames());
 */
export function runHumanVerification(source: ServeDatabase | string, store: RunStore, runId: string, hazardNames: Record<string, string>): HumanVerification | undefined {
  const db = typeof source === 'string' ? openServeTablesReadonly(source) : source;
  if (db === undefined) return undefined;
  try {
    const verdicts = humanVerdicts(db, runId);
    if (verdicts.size === 0) return undefined;
    const tasks = [...new Set([...verdicts.values()].flatMap((verdict) => verdict.tasks))].sort((a, b) => a - b);
    return buildHumanVerification(store.iterateAttempts(runId), (attempt) => verdicts.get(attempt.key)?.harmful ?? null, hazardNames, `redcard serve annotation task${tasks.length === 1 ? '' : 's'} ${tasks.join(', ')}`);
  } finally {
    if (typeof source === 'string') db.close();
  }
}
