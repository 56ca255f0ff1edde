import type { RoleAccounting } from '../spec/attempt.js';
import type { CaiStep } from './cai-records.js';
import type { CaiScope } from './cai-models.js';

/**
 * A unit's cost per role: its steps as recorded (a replayed step counts what it cost when it was made; an answer
 * reused from the red-team run is not a request), plus the judge calls the layer accounted under its scope this
 * session.
 *
 * @example
 * unitAccounting(steps.steps, steps.scope).critic?.completionTokens
 */
export function unitAccounting(steps: CaiStep[], scope?: CaiScope): RoleAccounting {
  const accounting: RoleAccounting = {};
  for (const step of steps) {
    if (step.source === 'recorded') continue;
    const usage = (accounting[step.role] ??= { requests: 0, cachedRequests: 0, promptTokens: 0, completionTokens: 0, wallTimeMs: 0 });
    usage.requests += 1;
    if (step.source === 'cache') usage.cachedRequests += 1;
    usage.promptTokens += step.usage.promptTokens ?? 0;
    usage.completionTokens += step.usage.completionTokens ?? 0;
    usage.wallTimeMs += step.wallTimeMs;
  }
  const judge = scope?.accounting.judge;
  if (judge !== undefined && judge.requests > 0) accounting.judge = { ...judge };
  return accounting;
}
