import type { Store } from '../../store/store-api.js';
import { summarizeCaiCost, type CaiCost } from '../cai-cost.js';
import type { CaiItem, CaiPair, CaiRunRecord } from '../cai-records.js';
import { writeCaiExports, type CaiExportOptions } from './write-cai-exports.js';
import type { ExportedFile } from './dataset-card.js';

/** The units of a CAI run, streamed from the store. */
export function caiUnits(store: Store, run: CaiRunRecord): Iterable<CaiItem | CaiPair> {
  return run.kind === 'revise' ? store.cai.iterateItems(run.id) : store.cai.iteratePairs(run.id);
}

/**
 * A CAI run's cost from its recorded calls: every step, plus the judge calls its units accounted.
 *
 * @example
 * caiRunCost(store, store.cai.getRun(runId)).total.completionTokens
 */
export function caiRunCost(store: Store, run: CaiRunRecord): CaiCost {
  const judgeAccounting = (function* () {
    for (const unit of caiUnits(store, run)) yield unit.accounting;
  })();
  const judgeLabel = typeof run.settings.judge === 'string' ? run.settings.judge : 'judge';
  return summarizeCaiCost(store.cai.iterateSteps(run.id), { wallTimeMs: run.wallTimeMs, units: store.cai.countUnits(run.id).total, judgeAccounting, judgeLabel });
}

/**
 * Write a stored CAI run's training files, trace and dataset card into `directory` (see writeCaiExports).
 *
 * @example
 * exportCaiRun(store, 'cai-20261201-120000-abcdef', 'out/cai', { parquet: true });
 */
export function exportCaiRun(store: Store, runId: string, directory: string, options: CaiExportOptions = {}): ExportedFile[] {
  const run = store.cai.getRun(runId);
  return writeCaiExports({ run, units: () => caiUnits(store, run), steps: (key) => store.cai.getSteps(run.id, key), cost: caiRunCost(store, run) }, directory, options);
}
