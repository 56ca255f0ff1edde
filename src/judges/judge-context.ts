import type { Judge } from '../spec/judge.js';
import type { JudgeContext } from '../spec/judge-kind.js';
import type { Target } from '../spec/target.js';
import { createJudge } from './create-judge.js';

/** A judge context that also remembers the identities of the targets its judges were built with. */
export interface RecordingJudgeContext extends JudgeContext {
  /** Identities of every target resolved so far, in order (part of the verdict cache key). */
  readonly targetIdentities: string[];
}

/**
 * A JudgeContext over a target factory: judges resolve other judges through `createJudge` (cascade stages) and
 * targets through `resolveTarget`, and the context records each target's identity so that callers can key
 * cached verdicts by what the judge really calls.
 *
 * @example
 * const context = createJudgeContext((spec) => createTarget(spec));
 * const judge = createJudge('cascade:refusal>llm:sim', context); // context.targetIdentities → ['sim:…']
 */
export function createJudgeContext(resolveTarget: (spec: string) => Target): RecordingJudgeContext {
  const targetIdentities: string[] = [];
  const context: RecordingJudgeContext = {
    targetIdentities,
    resolveTarget(spec: string): Target {
      const target = resolveTarget(spec);
      targetIdentities.push(target.identity);
      return target;
    },
    resolveJudge(spec: string): Judge {
      return createJudge(spec, context);
    },
  };
  return context;
}

/**
 * What makes verdicts of a judge reusable: its spec and the identities of the targets it calls.
 *
 * @example
 * judgeCacheIdentity('llm:sim', context) // 'llm:sim|sim:seed=0'
 */
export function judgeCacheIdentity(spec: string, context: RecordingJudgeContext): string {
  return [spec, ...context.targetIdentities].join('|');
}
