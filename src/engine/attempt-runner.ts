import { applyChain, decodeChain, type AttackChain } from '../attacks/chain.js';
import { oneTurnTrajectory, type Attempt, type AttemptError, type AttemptResponse } from '../spec/attempt.js';
import { AbortedError, BudgetExhaustedError, CallDeferredError, TargetError } from '../spec/errors.js';
import type { Conversation } from '../spec/message.js';
import type { BudgetLimits } from '../spec/strategy.js';
import type { Target } from '../spec/target.js';
import type { Verdict } from '../spec/verdict.js';
import type { AttemptScope } from '../models/call-scope.js';
import type { ModelCallLayer, ModelClient } from '../models/model-call-layer.js';
import type { Store } from '../store/store-api.js';
import { sha256 } from '../util/hash.js';
import type { JudgeStep } from './judge-step.js';
import type { PlannedAttempt } from './plan.js';

/** Everything an attempt needs from its scan session. */
export interface AttemptSession {
  runId: string;
  store: Store;
  layer: ModelCallLayer;
  target: ModelClient;
  helper?: ModelClient;
  attacker?: ModelClient;
  evaluator?: ModelClient;
  /** Rater model for the strategies' 1–10 rating (`--rater`); else the rating is derived from the verdict. */
  rater?: ModelClient;
  judge: JudgeStep;
  /** Per-attempt budget set by the user (`--max-queries`, `--max-attempt-tokens`). */
  attemptLimits: BudgetLimits;
  signal: AbortSignal;
}

/** What the attempt runners return: the attempt to commit, or undefined when it must not be recorded (aborted, run budget). */
export type AttemptOutcome = Attempt | undefined;

/** The fixed fields of an attempt. */
export function attemptBase(runId: string, planned: PlannedAttempt) {
  return {
    id: sha256(`${runId}|${planned.key}`, 16),
    runId,
    key: planned.key,
    index: planned.index,
    behavior: planned.behavior.id,
    category: planned.behavior.category,
    benign: planned.behavior.benign,
    attack: planned.chain.id,
    sample: planned.sample,
  };
}

/** True when a thrown error means "stop, record nothing": Ctrl-C, or the run's budget ran out. */
export function isStopError(error: unknown, signal: AbortSignal): boolean {
  return (
    signal.aborted ||
    error instanceof AbortedError ||
    error instanceof CallDeferredError ||
    (error instanceof BudgetExhaustedError && error.limit.startsWith('run-'))
  );
}

/** Decode an answer through a chain; a failure is reported (the raw text is then judged). */
export async function decodeAnswer(chain: AttackChain, text: string, helper: Target | undefined): Promise<{ decodedText: string; decodeError?: string }> {
  if (!chain.vectors.some((vector) => vector.decodesResponse)) return { decodedText: text };
  try {
    return { decodedText: await decodeChain(chain, text, { helper }) };
  } catch (error) {
    if (error instanceof CallDeferredError || error instanceof AbortedError) throw error; // the helper's call waits, or Ctrl-C
    return { decodedText: text, decodeError: `decoding through '${chain.vectors.filter((vector) => vector.decodesResponse).map((vector) => vector.id).join('+')}' failed: ${(error as Error).message}` };
  }
}

/**
 * A static chain's attempt: the one-turn special case. Build the conversation through the chain, send it once through
 * the model-call layer, decode the answer, judge it.
 *
 * @example
 * const attempt = await runStaticAttempt(session, planned);
 */
export async function runStaticAttempt(session: AttemptSession, planned: PlannedAttempt): Promise<AttemptOutcome> {
  const { behavior, chain, sample } = planned;
  const { signal } = session;
  const scope = session.layer.scope(planned.key, `${session.runId}/${planned.index}`);
  const helper = session.helper?.bind(scope);
  const finish = (messages: Conversation, queries: number, error: AttemptError | null, response: AttemptResponse | null = null, verdict: Verdict | null = null): Attempt => ({
    ...attemptBase(session.runId, planned),
    messages,
    response,
    verdict,
    error,
    finishedAt: new Date().toISOString(),
    queries,
    turns: oneTurnTrajectory({ messages, response, verdict, queries }),
    accounting: scope.accounting,
  });

  let messages: Conversation;
  try {
    messages = await applyChain(chain, { behavior, sample, helper });
  } catch (error) {
    if (isStopError(error, signal)) return undefined;
    return finish([], 0, { stage: 'attack', message: `attack '${chain.id}' failed: ${(error as Error).message}` });
  }

  let generated;
  try {
    generated = await session.target.generate({ messages, sample, context: { behaviorId: behavior.id, attack: chain.id } }, { signal, scope });
  } catch (error) {
    if (isStopError(error, signal)) return undefined;
    const targetError = error instanceof TargetError ? error : undefined;
    return finish(messages, scope.queries, {
      stage: 'target',
      message: (error as Error).message,
      ...(targetError?.status !== undefined ? { status: targetError.status } : {}),
      ...(targetError?.tries !== undefined ? { tries: targetError.tries } : {}),
    });
  }

  let decoded: Awaited<ReturnType<typeof decodeAnswer>>;
  try {
    decoded = await decodeAnswer(chain, generated.text, helper);
  } catch (error) {
    if (isStopError(error, signal)) return undefined;
    throw error;
  }
  if (signal.aborted) return undefined;
  const response: AttemptResponse = {
    text: generated.text,
    decodedText: decoded.decodedText,
    finishReason: generated.finishReason,
    usage: generated.usage,
    latencyMs: generated.source === 'model' ? generated.latencyMs : 0,
    cached: generated.source === 'cache' || generated.source === 'journal',
    ...(decoded.decodeError === undefined ? {} : { decodeError: decoded.decodeError }),
  };
  let judged: Awaited<ReturnType<AttemptSession['judge']['decide']>>;
  try {
    judged = await session.judge.decide({
      behavior,
      messages,
      attacks: chain.vectors.map((vector) => vector.id),
      text: decoded.decodedText,
      rawText: generated.text,
      finishReason: generated.finishReason,
      scope,
      signal,
    });
  } catch (error) {
    if (isStopError(error, signal)) return undefined; // the judge's call waits for a Batch answer
    throw error;
  }
  if (signal.aborted) return undefined;
  if ('failed' in judged) return finish(messages, scope.queries, { stage: 'judge', message: judged.failed }, response);
  if (judged.verdict.label === 'error') {
    return finish(messages, scope.queries, { stage: 'judge', message: judged.verdict.rationale ?? `judge '${session.judge.judge.id}' could not decide` }, response, judged.verdict);
  }
  return finish(messages, scope.queries, null, response, judged.verdict);
}

/** The scope of an attempt's calls with its budget; journaled (strategies) when `journal` is set. */
export function strategyScope(session: AttemptSession, planned: PlannedAttempt, limits: BudgetLimits): AttemptScope {
  const { store, runId } = session;
  return session.layer.scope(planned.key, `${runId}/${planned.index}`, {
    limits,
    journal: store.getJournal(runId, planned.key),
    journalSink: { write: (callKey, entry) => store.putJournalEntry(runId, planned.key, callKey, entry) },
  });
}
