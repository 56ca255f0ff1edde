import type { ModelRole } from '../spec/strategy.js';
import type { GenerateRequest, GenerateResponse, Target } from '../spec/target.js';

/** What a deferred call's Batch answer is, once imported. */
export type DeferredOutcome =
  | { kind: 'answer'; response: GenerateResponse; /** True the first time it is used (accounted as a real call then). */ first: boolean }
  | { kind: 'failed'; message: string; status?: number };

/**
 * Calls that wait for a Batch file instead of being sent (src/batch): the model-call layer asks it, for every call it
 * would send, whether the call is deferred; if so it takes the imported answer, or records the call as pending and
 * throws CallDeferredError (the attempt is redone once the answer is imported).
 */
export interface CallDeferral {
  /** Whether calls of `role` to `model` wait for Batch answers (models that can write a Batch request line). */
  defers(role: ModelRole, model: Target): boolean;
  /** The imported outcome of a call, if there is one. */
  take(callKey: string): DeferredOutcome | undefined;
  /** Record a call as pending: its Batch request line. */
  defer(callKey: string, role: ModelRole, model: Target, request: GenerateRequest): void;
  /** Write what was recorded since the last flush (called inside the scan's commit transaction). */
  flush(): void;
}
