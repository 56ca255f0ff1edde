import { CallDeferredError } from '../spec/errors.js';
import type { Behavior } from '../spec/behavior.js';
import { behaviorPrompt } from '../spec/behavior.js';
import type { Judge } from '../spec/judge.js';
import { lastUserText, type Conversation } from '../spec/message.js';
import type { CallScope, FinishReason } from '../spec/target.js';
import type { Verdict } from '../spec/verdict.js';
import { verdictCacheKey } from '../judges/judge-responses.js';
import type { CacheStore } from '../store/store-api.js';
import { RequestLimiter } from '../targets/request-limiter.js';

/** The run judge as the engine calls it: the verdict cache in front, and the judge's own concurrency honoured. */
export interface JudgeStep {
  readonly judge: Judge;
  /**
   * Judge one answer. Returns the verdict, or `{ failed }` when the judge threw (an `error` verdict is returned as a
   * verdict: the caller records it as a judge error).
   */
  decide(input: JudgeStepInput): Promise<{ verdict: Verdict; cached: boolean } | { failed: string }>;
  /** Verdicts decided since the last call, to commit with the next batch. */
  takeVerdictWrites(): Array<{ key: string; verdict: Verdict }>;
}

/** One answer to judge. */
export interface JudgeStepInput {
  behavior: Behavior;
  messages: Conversation;
  attacks: string[];
  text: string;
  rawText: string;
  finishReason?: FinishReason;
  scope?: CallScope;
  signal?: AbortSignal;
}

/**
 * Build the judge step of a scan. `verdictCacheIdentity` turns the verdict cache on (model-backed judges); with
 * `cache` unset or `useCache` false every answer is judged afresh.
 *
 * @example
 * const step = createJudgeStep(judge, { cache: store, useCache: true, verdictCacheIdentity });
 */
export function createJudgeStep(judge: Judge, options: { cache?: CacheStore; useCache: boolean; verdictCacheIdentity?: string }): JudgeStep {
  const limiter = judge.concurrency === undefined ? undefined : new RequestLimiter(Math.max(1, judge.concurrency));
  const cache = options.useCache ? options.cache : undefined;
  const identity = options.verdictCacheIdentity;
  let writes: Array<{ key: string; verdict: Verdict }> = [];
  return {
    judge,
    async decide(input) {
      const key =
        identity === undefined
          ? undefined
          : verdictCacheKey(identity, { behavior: behaviorPrompt(input.behavior), benign: input.behavior.benign, prompt: lastUserText(input.messages), response: input.text });
      const cached = key !== undefined ? cache?.getCachedVerdict(key) : undefined;
      if (cached !== undefined) return { verdict: cached, cached: true };
      const release = limiter === undefined ? undefined : await limiter.acquire(input.signal);
      let verdict: Verdict;
      try {
        verdict = await judge.judge(
          { behavior: input.behavior, messages: input.messages, attacks: input.attacks },
          { text: input.text, rawText: input.rawText, finishReason: input.finishReason },
          { signal: input.signal, scope: input.scope },
        );
      } catch (error) {
        if (error instanceof CallDeferredError) throw error; // the judge model's call waits for a Batch file
        return { failed: `judge '${judge.id}' failed: ${(error as Error).message}` };
      } finally {
        release?.();
      }
      if (key !== undefined && verdict.label !== 'error') writes.push({ key, verdict });
      return { verdict, cached: false };
    },
    takeVerdictWrites() {
      if (writes.length === 0) return [];
      const taken = writes;
      writes = [];
      return taken;
    },
  };
}
