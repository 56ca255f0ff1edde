import type { Store } from '../../store/store-api.js';
import { projectCaiCost, referenceRuns } from '../cai-cost.js';
import type { CaiItem, CaiPair } from '../cai-records.js';
import { summarizePrefs, summarizeRevise } from '../cai-summary.js';
import { caiRunCost, caiUnits } from '../export/export-cai-run.js';
import type { CaiReportInput } from './render-cai-report.js';

/**
 * Everything a CAI report shows, read from the store: the run, its summary, its cost (with a projection when a target
 * size and throughput are given) and up to `examples` units, those the guard left out first.
 *
 * @example
 * renderCaiHtml(caiReportInput(store, 'cai-20261201-120000-abcdef', { projectSamples: 45000, tokensPerSecondPerGpu: 2500 }))
 */
export function caiReportInput(store: Store, runId: string, options: { projectSamples?: number; tokensPerSecondPerGpu?: number; examples?: number } = {}): CaiReportInput {
  const run = store.cai.getRun(runId);
  const units = (): Iterable<CaiItem | CaiPair> => caiUnits(store, run);
  const summary = run.kind === 'revise' ? summarizeRevise(units() as Iterable<CaiItem>) : summarizePrefs(units() as Iterable<CaiPair>);
  const cost = caiRunCost(store, run);
  const limit = options.examples ?? 20;
  const leftOut: Array<CaiItem | CaiPair> = [];
  const used: Array<CaiItem | CaiPair> = [];
  for (const unit of units()) {
    if (!unit.guard.usable && leftOut.length < limit) leftOut.push(unit);
    else if (unit.guard.usable && used.length < limit) used.push(unit);
  }
  const projection =
    options.projectSamples !== undefined || options.tokensPerSecondPerGpu !== undefined
      ? projectCaiCost(cost.perUnit.completionTokens, { samples: options.projectSamples ?? Number.NaN, tokensPerSecondPerGpu: options.tokensPerSecondPerGpu ?? Number.NaN })
      : undefined;
  return { run, summary, cost, projection, references: referenceRuns(), examples: [...leftOut, ...used].slice(0, limit) };
}
