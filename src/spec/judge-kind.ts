import type { Judge } from './judge.js';
import type { Target } from './target.js';

/** What a judge factory may use to build itself. */
export interface JudgeContext {
  /** Build a target from a target spec (`sim`, `openai:base-url=…,model=…`, `@name`). */
  resolveTarget(spec: string): Target;
  /** Build another judge from a judge spec (cascade stages). */
  resolveJudge(spec: string): Judge;
}

/**
 * A kind of judge, written as `KIND` or `KIND:ARGUMENT` in `--judge`, e.g. `refusal`, `llm:sim`,
 * `llama-guard:openai:base-url=http://127.0.0.1:8000/v1,model=llama-guard-3-8b`.
 */
export interface JudgeKind {
  /** Kind id: the part of the spec before the first colon. */
  readonly kind: string;
  /** One sentence for `redcard list judges`. */
  readonly description: string;
  /** Where the method comes from (paper or project URL). */
  readonly reference: string;
  /** True when the argument is a target spec (the judge calls a model). */
  readonly needsTarget: boolean;
  /** Build the judge. `argument` is the part after the first colon (undefined when absent). */
  create(argument: string | undefined, context: JudgeContext): Judge;
}

/** Identity helper that gives a judge kind its type. */
export function defineJudgeKind(kind: JudgeKind): JudgeKind {
  return kind;
}
