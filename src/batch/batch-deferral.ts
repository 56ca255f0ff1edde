import type { CallDeferral, DeferredOutcome } from '../models/call-deferral.js';
import type { ModelRole } from '../spec/strategy.js';
import type { GenerateRequest, Target } from '../spec/target.js';
import type { BatchCallState } from '../store/batch-call-store.js';
import type { Store } from '../store/store-api.js';
import type { BatchRequestLine } from './batch-lines.js';

/** The deferral of a run's session, with what it did (for the CLI's summary). */
export interface BatchDeferral extends CallDeferral {
  /** Calls deferred in this session (each once), per role. */
  readonly deferred: Partial<Record<ModelRole, number>>;
  /** Imported answers used for the first time in this session. */
  answersUsed: number;
  /** Imported failures recorded on their attempts in this session. */
  failuresSeen: number;
}

/**
 * The model calls of run `runId` that go through Batch files: every call to a model that can write a Batch request
 * line (`Target.batchRequest`) is answered from the run's imported Batch answers, or recorded as pending (its request
 * line kept in the store) and deferred. Its writes are kept until `flush` (the scan commits them with its attempts).
 *
 * @example
 * const layer = new ModelCallLayer({ cache: store });
 * layer.deferral = createBatchDeferral(store, run.id);
 */
export function createBatchDeferral(store: Store, runId: string): BatchDeferral {
  const seen = new Map<string, BatchCallState>();
  const newPending: Array<{ customId: string; role: ModelRole; line: string }> = [];
  const stateChanges: Array<{ customId: string; state: BatchCallState }> = [];
  const deferral: BatchDeferral = {
    deferred: {},
    answersUsed: 0,
    failuresSeen: 0,
    defers: (_role, model) => typeof model.batchRequest === 'function',
    take(callKey): DeferredOutcome | undefined {
      const local = seen.get(callKey);
      if (local === 'pending') return undefined;
      const row = store.getBatchCall(runId, callKey);
      const state = local ?? row?.state;
      if (row?.outcome === undefined || state === undefined) return undefined;
      if ((state === 'answered' || state === 'used') && 'response' in row.outcome) {
        const first = state === 'answered';
        if (first) {
          seen.set(callKey, 'used');
          stateChanges.push({ customId: callKey, state: 'used' });
          deferral.answersUsed += 1;
        }
        return { kind: 'answer', response: row.outcome.response, first };
      }
      if (state === 'failed' && 'message' in row.outcome) {
        seen.set(callKey, 'failed-seen');
        stateChanges.push({ customId: callKey, state: 'failed-seen' });
        deferral.failuresSeen += 1;
        return { kind: 'failed', message: row.outcome.message, ...(row.outcome.status === undefined ? {} : { status: row.outcome.status }) };
      }
      return undefined; // waiting (pending, exported), or a failure already recorded: defer it (again)
    },
    defer(callKey: string, role: ModelRole, model: Target, request: GenerateRequest) {
      if (seen.get(callKey) === 'pending') return;
      seen.set(callKey, 'pending');
      const { url, body } = model.batchRequest!(request);
      const line: BatchRequestLine = { custom_id: callKey, method: 'POST', url, body };
      newPending.push({ customId: callKey, role, line: JSON.stringify(line) });
      deferral.deferred[role] = (deferral.deferred[role] ?? 0) + 1;
    },
    flush() {
      for (const { customId, role, line } of newPending.splice(0)) store.putPendingBatchCall(runId, customId, role, line);
      for (const { customId, state } of stateChanges.splice(0)) {
        store.setBatchCallState(runId, customId, state);
        // The store says it now; only the pending calls stay here (so that one is recorded once per session). A run
        // of 100,000 calls then does not hold 100,000 keys to the end.
        seen.delete(customId);
      }
    },
  };
  return deferral;
}
