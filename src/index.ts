/**
 * redcard as a library: the contracts, the plugin registries, the engine and the store. The CLI (src/cli) is built on
 * exactly this surface.
 *
 * @example
 * import { openStore, resolveScanSettings, scan, summarizeAttempts } from 'redcard';
 * const store = openStore('.redcard/redcard.db');
 * const settings = resolveScanSettings({ target: 'sim', suites: ['core'], attacks: ['direct', 'roleplay.grandma'] });
 * const outcome = await scan(settings, { store, events: (event) => { if (event.type === 'progress') console.log(event.done, event.total); } });
 * console.log(summarizeAttempts(outcome.run, store.iterateAttempts(outcome.run.id)).overall);
 * store.close();
 */
export * from './spec/index.js';
export * from './targets/index.js';
export * from './stats/index.js';
export * from './report/index.js';
export { attackRegistry } from './attacks/registry.js';
export { resolveAttackChains, applyChain, decodeChain, type AttackChain, type SkippedChain, type ResolvedStrategy, type StrategyResolver } from './attacks/chain.js';
export { strategyRegistry } from './attacks/strategies/registry.js';
export { parseStrategySpec, isStrategySpec, splitAttackList, type ParsedStrategySpec } from './attacks/strategies/parse-strategy-spec.js';
export { createStrategyJudge, ratingFromVerdict, type StrategyJudgeFactory } from './attacks/strategies/strategy-judge.js';
export { strategyAttemptFields } from './attacks/strategies/strategy-attempt.js';
export { suiteRegistry } from './corpus/registry.js';
export { loadSuites, type LoadedSuites } from './corpus/load-suites.js';
export { judgeRegistry } from './judges/registry.js';
export { createJudge } from './judges/create-judge.js';
export { createJudgeContext, judgeCacheIdentity, judgeIdentity } from './judges/judge-context.js';
export { defaultTaxonomy, loadTaxonomy, mapCategory, hazardIds } from './taxonomy/taxonomy.js';
export { runScan, scanConfigHash, type ScanInput, type ScanResult } from './engine/scan.js';
export { scan, type ScanOptions, type ScanOutcome } from './engine/scan-library.js';
export { ModelCallLayer, requestKey, type ModelClient, type ModelCallResponse, type CallSource } from './models/model-call-layer.js';
export { AttemptScope, RunBudget } from './models/call-scope.js';
export { addCall, mergeAccounting, emptyUsage, totalTokens } from './models/role-usage.js';
export type { ScanEvent, ScanProgress } from './engine/scan-events.js';
export { planAttempts, planSize } from './engine/plan.js';
export { summarizeAttempts, type RunSummary } from './engine/summarize.js';
export { writeRunOutputs } from './engine/write-run-outputs.js';
export { loadConfigFile, resolveScanSettings, ScanSettingsSchema, compareResumedSettings, ResumePlanChangedError, type ScanSettings, type SettingChange } from './engine/scan-settings.js';
export { openStore, DEFAULT_DB_PATH } from './store/sqlite-store.js';
export type { Store, RunStore, CacheStore, CalibrationStore } from './store/store-api.js';
export * from './serve/index.js';
