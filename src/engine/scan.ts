import { setMaxListeners } from 'node:events';
import { applyChain, decodeChain, type SkippedChain } from '../attacks/chain.js';
import type { Attempt, AttemptError, AttemptResponse } from '../spec/attempt.js';
import { TargetError } from '../spec/errors.js';
import type { Judge } from '../spec/judge.js';
import type { RunRecord } from '../spec/run-record.js';
import type { GenerateRequest, GenerateResponse, Target } from '../spec/target.js';
import type { Verdict } from '../spec/verdict.js';
import { behaviorPrompt } from '../spec/behavior.js';
import { lastUserText } from '../spec/message.js';
import { verdictCacheKey } from '../judges/judge-responses.js';
import { sha256 } from '../util/hash.js';
import { planAttempts, planSize, type PlannedAttempt } from './plan.js';
import type { ScanEvent, ScanProgress } from './scan-events.js';
import { openScanRun, type OpenRunInput } from './open-run.js';
import { currentClaimant, holdRunLease, RunLockedError } from './run-lease.js';
import { summarizeErrors, type ErrorSummary } from './error-summary.js';

export { scanConfigHash } from './open-run.js';

/**
 * Everything a scan needs; the CLI builds it from flags and config. The fields that find or make the run (store, plan,
 * description, resume, fresh, lease) are OpenRunInput's.
 */
export interface ScanInput extends Omit<OpenRunInput, 'onWaiting'> {
  judge: Judge;
  /** Chains left out (e.g. need a helper), reported in the start event. */
  skippedChains?: SkippedChain[];
  /** Attempts in flight at most (also bounded by the target's own limit). */
  concurrency: number;
  /** Use the response cache (default true). */
  useCache?: boolean;
  /** Helper model for vectors that need one. */
  helper?: Target;
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
}

/** The outcome of a scan session. */
export interface ScanResult {
  run: RunRecord;
  interrupted: boolean;
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

/**
 * Plan → schedule → execute → judge → record. Attempts are committed in batches; one counts only once committed.
 * On abort (Ctrl-C) in-flight requests are dropped, finished ones committed, and the run marked interrupted.
 *
 * @example
 * const result = await runScan({ store, target, judge, behaviors, chains, samples: 1, concurrency: 16, describe });
 */
export async function runScan(input: ScanInput): Promise<ScanResult> {
  const planned = planSize(input);
  const claimant = input.claimant ?? currentClaimant();
  const opened = await openScanRun(
    { ...input, claimant, onWaiting: (error) => input.onEvent?.({ type: 'waiting', runId: error.runId, holder: error.holder }) },
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
    const result = await workRun(input, opened.run, opened.resumed, planned, controller);
    if (leaseLost) throw new RunLockedError(opened.run.id, input.store.getRunLease(opened.run.id) ?? opened.lease, claimant.now());
    return result;
  } finally {
    held.release();
  }
}

async function workRun(input: ScanInput, run: RunRecord, resumed: boolean, planned: number, controller: AbortController): Promise<ScanResult> {
  const store = input.store;
  const completed = store.completedKeys(run.id);
  const alreadyDone = completed.size;
  const started = Date.now();
  const progress: ScanProgress = { done: completed.size, total: planned, sessionDone: 0, errors: 0, retries: 0, cacheHits: 0, elapsedMs: 0 };
  store.updateRun(run.id, { status: 'running' });
  input.onEvent?.({ type: 'start', run, planned, alreadyDone: completed.size, resumed, skippedChains: input.skippedChains ?? [] });

  const useCache = input.useCache ?? true;
  const pendingAttempts: Attempt[] = [];
  const pendingCache: PendingCache = { responses: [], verdicts: [] };
  const flush = (): void => {
    if (pendingAttempts.length === 0 && pendingCache.responses.length === 0) return;
    const attempts = pendingAttempts.splice(0);
    const cacheEntries = pendingCache.responses.splice(0);
    const verdictEntries = pendingCache.verdicts.splice(0);
    store.transaction(() => {
      for (const entry of cacheEntries) store.putCachedResponse(entry.key, entry.response);
      for (const entry of verdictEntries) store.putCachedVerdict(entry.key, entry.verdict);
      store.commitAttempts(attempts);
    });
    for (const attempt of attempts) if (attempt.error !== null) progress.errors += 1;
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
  const breaker = { consecutiveTargetErrors: 0, limit: input.maxConsecutiveTargetErrors ?? 20, lastError: '' };
  const plan = planAttempts(input);
  const nextPlanned = (): PlannedAttempt | undefined => {
    for (;;) {
      const step = plan.next();
      if (step.done) return undefined;
      if (!completed.has(step.value.key)) return step.value;
    }
  };
  const execute = async (planned: PlannedAttempt): Promise<void> => {
    const attempt = await performAttempt({ ...input, signal }, run.id, planned, useCache, progress, pendingCache);
    if (attempt === undefined || signal.aborted) return; // aborted mid-flight: not recorded, redone on resume
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
  const worker = async (): Promise<void> => {
    while (!signal.aborted) {
      const planned = nextPlanned();
      if (planned === undefined) return;
      await execute(planned);
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
  const brokeCircuit = breaker.consecutiveTargetErrors >= breaker.limit;
  const interrupted = signal.aborted;
  const counts = store.countAttempts(run.id);
  progress.done = counts.total;
  progress.elapsedMs = Date.now() - started;
  const status = !interrupted && counts.total >= planned ? 'completed' : 'interrupted';
  store.updateRun(run.id, { status, wallTimeMs: run.wallTimeMs + progress.elapsedMs, planned });
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
  return { run: finalRun, interrupted, progress, errors };
}

/** Cache writes waiting for the next commit. */
interface PendingCache {
  responses: { key: string; response: GenerateResponse }[];
  verdicts: { key: string; verdict: Verdict }[];
}

/** Cache key of a request: target identity, the full request, and the sample index. */
export function responseCacheKey(target: Target, request: GenerateRequest): string {
  const { context: _context, ...sent } = request;
  return sha256(`${target.identity}\n${JSON.stringify(sent)}`, 32);
}

async function performAttempt(
  input: ScanInput,
  runId: string,
  planned: PlannedAttempt,
  useCache: boolean,
  progress: ScanProgress,
  pendingCache: PendingCache,
): Promise<Attempt | undefined> {
  const { behavior, chain, sample } = planned;
  const signal = input.signal;
  const base = {
    id: sha256(`${runId}|${planned.key}`, 16),
    runId,
    key: planned.key,
    index: planned.index,
    behavior: behavior.id,
    category: behavior.category,
    benign: behavior.benign,
    attack: chain.id,
    sample,
  };
  const fail = (messages: Attempt['messages'], error: AttemptError, response: AttemptResponse | null = null, verdict: Verdict | null = null): Attempt => ({
    ...base,
    messages,
    response,
    verdict,
    error,
    finishedAt: new Date().toISOString(),
  });

  let messages: Attempt['messages'];
  try {
    messages = await applyChain(chain, { behavior, sample, helper: input.helper });
  } catch (error) {
    if (signal?.aborted) return undefined;
    return fail([], { stage: 'attack', message: `attack '${chain.id}' failed: ${(error as Error).message}` });
  }

  const request: GenerateRequest = { messages, ...input.describe.params, sample, context: { behaviorId: behavior.id, attack: chain.id } };
  const cacheKey = responseCacheKey(input.target, request);
  let generated = useCache ? input.store.getCachedResponse(cacheKey) : undefined;
  const cached = generated !== undefined;
  if (cached) progress.cacheHits += 1;
  if (generated === undefined) {
    try {
      generated = await input.target.generate(request, {
        signal,
        onRetry: (info) => {
          progress.retries += 1;
          input.onEvent?.({ type: 'retry', key: planned.key, ...info });
        },
      });
    } catch (error) {
      if (signal?.aborted) return undefined;
      const targetError = error instanceof TargetError ? error : undefined;
      return fail(messages, {
        stage: 'target',
        message: (error as Error).message,
        ...(targetError?.status !== undefined ? { status: targetError.status } : {}),
        ...(targetError?.tries !== undefined ? { tries: targetError.tries } : {}),
      });
    }
    if (useCache) pendingCache.responses.push({ key: cacheKey, response: generated });
  }

  let decodedText = generated.text;
  try {
    if (chain.vectors.some((vector) => vector.decodesResponse)) decodedText = await decodeChain(chain, generated.text, { helper: input.helper });
  } catch (error) {
    if (signal?.aborted) return undefined;
    decodedText = generated.text;
  }
  const response: AttemptResponse = {
    text: generated.text,
    decodedText,
    finishReason: generated.finishReason,
    usage: generated.usage,
    latencyMs: cached ? 0 : generated.latencyMs,
    cached,
  };

  const verdictKey =
    input.verdictCacheIdentity === undefined
      ? undefined
      : verdictCacheKey(input.verdictCacheIdentity, { behavior: behaviorPrompt(behavior), benign: behavior.benign, prompt: lastUserText(messages), response: decodedText });
  const cachedVerdict = verdictKey !== undefined && useCache ? input.store.getCachedVerdict(verdictKey) : undefined;
  if (cachedVerdict !== undefined) return { ...base, messages, response, verdict: cachedVerdict, error: null, finishedAt: new Date().toISOString() };
  let verdict: Verdict;
  try {
    verdict = await input.judge.judge(
      { behavior, messages, attacks: chain.vectors.map((vector) => vector.id) },
      { text: decodedText, rawText: generated.text, finishReason: generated.finishReason },
      { signal },
    );
  } catch (error) {
    if (signal?.aborted) return undefined;
    return fail(messages, { stage: 'judge', message: `judge '${input.judge.id}' failed: ${(error as Error).message}` }, response);
  }
  if (verdict.label === 'error') {
    return fail(messages, { stage: 'judge', message: verdict.rationale ?? `judge '${input.judge.id}' could not decide` }, response, verdict);
  }
  if (verdictKey !== undefined) pendingCache.verdicts.push({ key: verdictKey, verdict });
  return { ...base, messages, response, verdict, error: null, finishedAt: new Date().toISOString() };
}
