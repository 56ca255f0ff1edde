import { resolveAttackChains } from '../../attacks/chain.js';
import { createJudge } from '../../judges/create-judge.js';
import { createJudgeContext, judgeCacheIdentity } from '../../judges/judge-context.js';
import { ModelCallLayer } from '../../models/model-call-layer.js';
import type { BudgetLimits } from '../../spec/strategy.js';
import type { Store } from '../../store/store-api.js';
import { createTarget } from '../../targets/create-target.js';
import { parseTargetSpec } from '../../targets/parse-target-spec.js';
import { fakeBehaviors } from '../../testing/fakes.js';
import type { ScanInput } from '../scan.js';
import { resolveScriptedStrategy } from './scripted-strategy.js';

/** Where the scripted servers of a strategy scan listen. */
export interface ScriptedUrls {
  target: string;
  attacker: string;
  judge: string;
}

/**
 * The input of a strategy scan against scripted target, attacker and judge servers over HTTP: three fake behaviors,
 * `strategy.test-scripted:turns=N`, an `llm` judge, concurrency 1 (a deterministic order).
 *
 * @example
 * await runScan(strategyScanInput(store, urls, { turns: 3 }));
 */
export function strategyScanInput(
  store: Store,
  urls: ScriptedUrls,
  options: { turns?: number; attempt?: BudgetLimits; run?: BudgetLimits; useCache?: boolean; signal?: AbortSignal } = {},
): ScanInput {
  const layer = new ModelCallLayer({ cache: store, useCache: options.useCache ?? false });
  const model = (url: string, name: string) => createTarget({ kind: 'openai', baseUrl: url, model: name, maxRetries: 0 });
  const context = createJudgeContext((spec) => layer.client(createTarget(parseTargetSpec(spec)), 'judge'));
  const judgeSpec = `llm:openai:base-url=${urls.judge},model=judge,max-retries=0`;
  const judge = createJudge(judgeSpec, context);
  const { chains } = resolveAttackChains([`strategy.test-scripted:turns=${options.turns ?? 3}`], {
    helperAvailable: false,
    attackerAvailable: true,
    resolveStrategy: resolveScriptedStrategy,
  });
  return {
    store,
    layer,
    target: model(urls.target, 'target'),
    attacker: model(urls.attacker, 'attacker'),
    judge,
    judgeModels: context.targets,
    behaviors: fakeBehaviors(3),
    chains,
    samples: 1,
    concurrency: 1,
    budgets: { attempt: options.attempt, run: options.run },
    verdictCacheIdentity: judgeCacheIdentity(judgeSpec, context),
    describe: { suites: ['test'], attacks: chains.map((chain) => chain.id), judge: judgeSpec, params: {}, settings: {} },
    batchSize: 1,
    progressIntervalMs: 5,
    signal: options.signal,
  };
}
