import { setMaxListeners } from 'node:events';
import type { SkippedChain } from '../attacks/chain.js';
import type { Attempt, RoleAccounting } from '../spec/attempt.js';
import { TargetError } from '../spec/errors.js';
import type { Judge } from '../spec/judge.js';
import type { RunRecord } from '../spec/run-record.js';
import type { BudgetLimits, ModelRole } from '../spec/strategy.js';
import type { GenerateRequest, Target } from '../spec/target.js';
import { RunBudget } from '../models/call-scope.js';
import { ModelCallLayer, requestKey, type ModelClient } from '../models/model-call-layer.js';
import { mergeAccounting } from '../models/role-usage.js';
import type { CallDeferral } from '../models/call-deferral.js';
import { mergeEndpointCounts } from './endpoint-counts.js';
import { runStaticAttempt, type AttemptSession } from './attempt-runner.js';
import { createJudgeStep } from './judge-step.js';
import { openScanRun, type OpenRunInput } from './open-run.js';
import { currentClaimant, holdRunLease, RunLockedError } from './run-lease.js';
import { summarizeErrors, type ErrorSummary } from './error-summary.js';
import { planAttempts, planSize, type PlannedAttempt } from './plan.js';
import type { ScanEvent, ScanProgress } from './scan-events.js';
import { runStrategyAttempt, runStrategyJudges, type StrategyJudgeFactory } from './strategy-attempt.js';

export { scanConfigHash } from './open-run.js';

/**
 * Everything a scan needs; `scan()` (src/engine/scan-library.ts) builds it from settings, the CLI from flags. The fields
 * that find or make the run (store, plan, description, resume, fresh, lease) are OpenRunInput's.
 */
export interface ScanInput extends Omit<OpenRunInput, 'onWaiting' | 'roles' | 'budgets'> {
  judge: Judge;
  /** Chains left out (e.g. need a helper), reported in the start event. */
  skippedChains?: SkippedChain[];
  /** Attempts in flight at most (also bounded by the target's own limit). */
  concurrency: number;
  /** Use the response cache (default true); ignored when `layer` is given (the layer decides). */
  useCache?: boolean;
  /** The model-call layer every call goes through; made here (over the store's cache) when absent. */
  layer?: ModelCallLayer;
  /** Helper model for vectors that need one. */
  helper?: Target;
  /** Attacker model for strategies (`--attacker`). */
  attacker?: Target;
  /** Model for evaluator prompts (`--evaluator`; else the attacker). */
  evaluator?: Target;
  /** Models the judge calls (recorded as the run's `judge` role). */
  judgeModels?: Target[];
  /** Budgets per attempt and for the whole run (unset: unlimited; a strategy's own maximum bounds its attempts). */
  budgets?: { attempt?: BudgetLimits; run?: BudgetLimits };
  /** Rater model for the strategies' 1–10 rating (`--rater`); else the rating is derived from the verdict. */
  rater?: Target;
  /** The strategies' judge for the run (`createStrategyJudge`); default: from the run judge. */
  strategyJudge?: StrategyJudgeFactory;
  onEvent?: (event: ScanEvent) => void;
  /** Commit after this many finished attempts (default 256) … */
  batchSize?: number;
  /** … or after this many milliseconds (default 200). */
  batchIntervalMs?: number;
  /** Progress event period (default 250 ms). */
  progressIntervalMs?: number;
  /** Stop the scan (saving finished work) after this many target failures in a row (default 20). */
  maxConsecutiveTargetErrors?: number;
  /**
   * Cache verdicts under this judge identity (see judgeCacheIdentity): set it for model-backed judges so that a
   * re-judged response costs no judge call. The key is the one `redcard judge` uses, so both share verdicts.
   */
  verdictCacheIdentity?: string;
  /**
   * Calls that wait for Batch files (`scan --defer`, `batch import`): made for the run once it is opened, set on the
   * layer; its writes are committed with the attempts. Attempts whose calls are deferred are not recorded.
   */
  deferral?: (runId: string) => CallDeferral;
}

/** The outcome of a scan session. */
export interface ScanResult {
  run: RunRecord;
  interrupted: boolean;
  /** Set when the run's budget ran out (`run-queries`, `run-tokens`): the run is resumable with a larger one. */
  stoppedBy?: string;
  progress: ScanProgress;
  /** The run's errored attempts (all sessions), grouped by stage and message. */
  errors: ErrorSummary;
}

/** The target kept failing and the scan stopped; finished work is saved and the run is resumable. */
export class ScanStoppedError extends TargetError {
  constructor(
    message: string,
    readonly run: RunRecord,
    readonly errors: ErrorSummary,
  ) {
    super(message, { retryable: false });
    this.name = 'ScanStoppedError';
  }
}

/** Cache key of a request: target identity and the full request. */
export function responseCacheKey(target: Target, request: GenerateRequest): string {
  return requestKey(target.identity, request);
}

function asClient(layer: ModelCallLayer, target: Target, role: ModelRole): ModelClient {
  const existing = target as Partial<ModelClient>;
  return existing.bind !== undefined && existing.role === role ? (target as ModelClient) : layer.client(target, role);
}

function baseOf(target: Target): Target {
  return (target as Partial<ModelClient>).model ?? target;
}

/**
 * Plan → schedule → execute → judge → record. Static chains are one-turn attempts; strategies run their loop with
 * every turn committed as it happens. Attempts are committed in batches; one counts only once committed. On abort
 * (Ctrl-C) in-flight attempts are dropped (a strategy's committed turns and journaled calls are kept for resume),
 * finished ones committed, and the run marked interrupted. When the run's budget runs out no attempt starts, those in
 * flight stop at their next query, and the run is left resumable.
 *
 * @example
 * const result = await runScan({ store, target, judge, behaviors, chains, samples: 1, concurrency: 16, describe });
 */
export async function runScan(input: ScanInput): Promise<ScanResult> {
  const planned = planSize(input);
  const claimant = input.claimant ?? currentClaimant();
  const budgets = { attempt: input.budgets?.attempt ?? {}, run: input.budgets?.run ?? {} };
  const roles: Partial<Record<ModelRole, Target[]>> = {};
  if (input.judgeModels && input.judgeModels.length > 0) roles.judge = input.judgeModels.map(baseOf);
  if (input.helper) roles.helper = [baseOf(input.helper)];
  if (input.attacker) roles.attacker = [baseOf(input.attacker)];
  if (input.evaluator) roles.evaluator = [baseOf(input.evaluator)];
  if (input.rater) roles.judge = [...(roles.judge ?? []), baseOf(input.rater)];
  const opened = await openScanRun(
    {
      ...input,
      target: baseOf(input.target),
      roles,
      budgets,
      claimant,
      onWaiting: (error) => input.onEvent?.({ type: 'waiting', runId: error.runId, holder: error.holder }),
    },
    planned,
  );
  // Another process that took the lease over (this one looked dead) now works the run: stop sending.
  const controller = new AbortController();
  let leaseLost = false;
  const held = holdRunLease(input.store, opened.lease, claimant, () => {
    leaseLost = true;
    controller.abort();
  });
  try {
    const result = await workRun(input, opened.run, opened.resumed, planned, controller, budgets);
    if (leaseLost) throw new RunLockedError(opened.run.id, input.store.getRunLease(opened.run.id) ?? opened.lease, claimant.now());
    return result;
  } finally {
    held.release();
  }
}

async function workRun(
  input: ScanInput,
  run: RunRecord,
  resumed: boolean,
  planned: number,
  controller: AbortController,
  budgets: { attempt: BudgetLimits; run: BudgetLimits },
): Promise<ScanResult> {
  const store = input.store;
  const layer = input.layer ?? new ModelCallLayer({ cache: store, useCache: input.useCache ?? true });
  const runBudget = new RunBudget(budgets.run, run.spent.queries, run.spent.tokens);
  Object.assign(layer.runBudget, { limits: runBudget.limits, sentQueries: runBudget.sentQueries, sentTokens: runBudget.sentTokens });
  const completed = store.completedKeys(run.id);
  const alreadyDone = completed.size;
  const started = Date.now();
  const progress: ScanProgress = { done: completed.size, total: planned, sessionDone: 0, errors: 0, retries: 0, cacheHits: 0, elapsedMs: 0 };
  store.updateRun(run.id, { status: 'running' });
  input.onEvent?.({ type: 'start', run, planned, alreadyDone: completed.size, resumed, skippedChains: input.skippedChains ?? [] });

  layer.onRetry = (retry) => {
    progress.retries += 1;
    input.onEvent?.({ type: 'retry', key: retry.key ?? '', role: retry.role, attempt: retry.attempt, delayMs: retry.delayMs, reason: retry.reason });
  };
  const judgeStep = createJudgeStep(input.judge, { cache: store, useCache: layer.usesCache, verdictCacheIdentity: input.verdictCacheIdentity });
  const accountingBefore: RoleAccounting = structuredClone(run.accounting);
  const endpointsBefore = run.endpoints ?? [];
  if (input.deferral !== undefined) layer.deferral = input.deferral(run.id);
  const pendingAttempts: Attempt[] = [];
  const flush = (): void => {
    const cacheEntries = layer.takeCacheWrites();
    const verdictEntries = judgeStep.takeVerdictWrites();
    if (pendingAttempts.length === 0 && cacheEntries.length === 0 && verdictEntries.length === 0 && layer.deferral === undefined) return;
    const attempts = pendingAttempts.splice(0);
    const endpointStats = baseOf(input.target).endpointStats?.();
    const severalEndpoints = endpointStats !== undefined && endpointStats.length > 1;
    store.transaction(() => {
      for (const entry of cacheEntries) store.putCachedResponse(entry.key, entry.response);
      for (const entry of verdictEntries) store.putCachedVerdict(entry.key, entry.verdict);
      layer.deferral?.flush();
      store.commitAttempts(attempts);
      store.updateRun(run.id, {
        accounting: mergeAccounting(structuredClone(accountingBefore), layer.sessionAccounting),
        spent: { queries: layer.runBudget.sentQueries, tokens: layer.runBudget.sentTokens },
        ...(severalEndpoints ? { endpoints: mergeEndpointCounts(endpointsBefore, endpointStats) } : {}),
      });
    });
    for (const attempt of attempts) {
      if (attempt.error !== null) progress.errors += 1;
      if (attempt.response?.cached === true) progress.cacheHits += 1;
    }
    progress.sessionDone += attempts.length;
    progress.done = alreadyDone + progress.sessionDone;
  };
  const batchSize = input.batchSize ?? 256;
  const flushTimer = setInterval(flush, input.batchIntervalMs ?? 200);
  const progressTimer = setInterval(() => {
    progress.elapsedMs = Date.now() - started;
    input.onEvent?.({ type: 'progress', ...progress });
  }, input.progressIntervalMs ?? 250);

  // The internal controller stops the scan on Ctrl-C (the caller's signal), when the target keeps failing, or when the
  // run's lease is lost.
  setMaxListeners(0, controller.signal); // every request in flight listens for Ctrl-C
  const onCallerAbort = (): void => controller.abort();
  input.signal?.addEventListener('abort', onCallerAbort, { once: true });
  if (input.signal?.aborted) controller.abort();
  const signal = controller.signal;
  const session: AttemptSession = {
    runId: run.id,
    store,
    layer,
    target: asClient(layer, input.target, 'target'),
    ...(input.helper ? { helper: asClient(layer, input.helper, 'helper') } : {}),
    ...(input.attacker ? { attacker: asClient(layer, input.attacker, 'attacker') } : {}),
    ...(input.evaluator ? { evaluator: asClient(layer, input.evaluator, 'evaluator') } : {}),
    ...(input.rater ? { rater: asClient(layer, input.rater, 'judge') } : {}),
    judge: judgeStep,
    attemptLimits: budgets.attempt,
    signal,
  };
  const strategyJudge = input.strategyJudge ?? runStrategyJudges(input.judge);
  const breaker = { consecutiveTargetErrors: 0, limit: input.maxConsecutiveTargetErrors ?? 20, lastError: '' };
  let stoppedBy: string | undefined;
  const plan = planAttempts(input);
  const nextPlanned = (): PlannedAttempt | undefined => {
    for (;;) {
      const step = plan.next();
      if (step.done) return undefined;
      if (!completed.has(step.value.key)) return step.value;
    }
  };
  const execute = async (next: PlannedAttempt): Promise<void> => {
    const attempt = next.chain.strategy === undefined ? await runStaticAttempt(session, next) : await runStrategyAttempt(session, next, strategyJudge);
    if (attempt === undefined || signal.aborted) return; // aborted or out of run budget: not recorded, redone on resume
    if (attempt.error?.stage === 'target') {
      breaker.consecutiveTargetErrors += 1;
      breaker.lastError = attempt.error.message;
      if (breaker.consecutiveTargetErrors >= breaker.limit) controller.abort();
    } else if (attempt.error === null) {
      breaker.consecutiveTargetErrors = 0;
    }
    pendingAttempts.push(attempt);
    if (pendingAttempts.length >= batchSize) flush();
  };
  const workerCount = Math.max(1, Math.min(input.concurrency, input.target.concurrency, Math.max(planned, 1)));
  // A plan that cannot be read on (a streamed suite file edited meanwhile) stops every worker; finished work is kept.
  let planError: unknown;
  const worker = async (): Promise<void> => {
    while (!signal.aborted) {
      stoppedBy ??= layer.runBudget.exhausted();
      if (stoppedBy !== undefined) return;
      let next: PlannedAttempt | undefined;
      try {
        next = nextPlanned();
      } catch (error) {
        planError ??= error;
        controller.abort();
        return;
      }
      if (next === undefined) return;
      await execute(next);
    }
  };
  try {
    await Promise.all(Array.from({ length: workerCount }, worker));
  } finally {
    clearInterval(flushTimer);
    clearInterval(progressTimer);
    flush();
  }
  input.signal?.removeEventListener('abort', onCallerAbort);
  stoppedBy ??= layer.runBudget.exhausted();
  const brokeCircuit = breaker.consecutiveTargetErrors >= breaker.limit;
  const interrupted = signal.aborted;
  const counts = store.countAttempts(run.id);
  progress.done = counts.total;
  progress.elapsedMs = Date.now() - started;
  const status = !interrupted && counts.total >= planned ? 'completed' : 'interrupted';
  const budgetStop = status === 'interrupted' && !interrupted ? stoppedBy : undefined;
  store.updateRun(run.id, { status, wallTimeMs: run.wallTimeMs + progress.elapsedMs, planned, ...(budgetStop ? { stoppedBy: budgetStop } : {}) });
  if (planError !== undefined) throw planError;
  const finalRun = store.getRun(run.id);
  const errors = summarizeErrors(store.iterateErrors(run.id));
  input.onEvent?.({ type: 'finish', run: finalRun, interrupted, judgeStats: input.judge.stats?.() ?? {}, ...progress });
  if (brokeCircuit) {
    throw new ScanStoppedError(
      `stopped after ${breaker.limit} requests in a row failed; last error: ${breaker.lastError}\n` +
        `${progress.done} of ${planned} attempts are saved; fix the target, then resume run ${run.id}`,
      finalRun,
      errors,
    );
  }
  return { run: finalRun, interrupted, ...(budgetStop ? { stoppedBy: budgetStop } : {}), progress, errors };
}
