import type { RoleAccounting, RoleUsage } from '../spec/attempt.js';
import type { ModelRole } from '../spec/strategy.js';
import type { Usage } from '../spec/target.js';

/** A role's usage before any call. */
export function emptyUsage(): RoleUsage {
  return { requests: 0, cachedRequests: 0, promptTokens: 0, completionTokens: 0, wallTimeMs: 0 };
}

/**
 * Add one call to an accounting: a request (cached or sent), its tokens, its wall time.
 *
 * @example
 * const accounting: RoleAccounting = {};
 * addCall(accounting, 'target', { promptTokens: 10, completionTokens: 5 }, { cached: false, wallTimeMs: 3 });
 */
export function addCall(accounting: RoleAccounting, role: ModelRole, usage: Usage, call: { cached: boolean; wallTimeMs: number }): void {
  const entry = (accounting[role] ??= emptyUsage());
  entry.requests += 1;
  if (call.cached) entry.cachedRequests += 1;
  entry.promptTokens += usage.promptTokens ?? 0;
  entry.completionTokens += usage.completionTokens ?? 0;
  entry.wallTimeMs += call.wallTimeMs;
}

/**
 * Add every role of `more` into `into` (run totals from attempts).
 *
 * @example
 * mergeAccounting(runTotals, attempt.accounting ?? {})
 */
export function mergeAccounting(into: RoleAccounting, more: RoleAccounting): RoleAccounting {
  for (const [role, usage] of Object.entries(more) as Array<[ModelRole, RoleUsage]>) {
    const entry = (into[role] ??= emptyUsage());
    entry.requests += usage.requests;
    entry.cachedRequests += usage.cachedRequests;
    entry.promptTokens += usage.promptTokens;
    entry.completionTokens += usage.completionTokens;
    entry.wallTimeMs += usage.wallTimeMs;
  }
  return into;
}

/** Prompt + completion tokens over every role. */
export function totalTokens(accounting: RoleAccounting): number {
  let total = 0;
  for (const usage of Object.values(accounting)) total += (usage?.promptTokens ?? 0) + (usage?.completionTokens ?? 0);
  return total;
}
