import type { Attempt, RoleAccounting, RoleUsage } from '../spec/attempt.js';
import type { ModelRole } from '../spec/strategy.js';
import type { SampledTurn, StrategyStats } from './scorecard.js';

const emptyUsage = (): RoleUsage => ({ requests: 0, cachedRequests: 0, promptTokens: 0, completionTokens: 0, wallTimeMs: 0 });

/** Add one attempt's per-role accounting into a running total. */
function addAccounting(total: RoleAccounting, accounting: RoleAccounting | undefined): void {
  if (accounting === undefined) return;
  for (const [role, usage] of Object.entries(accounting) as Array<[ModelRole, RoleUsage]>) {
    const sum = (total[role] ??= emptyUsage());
    sum.requests += usage.requests;
    sum.cachedRequests += usage.cachedRequests;
    sum.promptTokens += usage.promptTokens;
    sum.completionTokens += usage.completionTokens;
    sum.wallTimeMs += usage.wallTimeMs;
  }
}

/** The median of a list of numbers (null when empty). */
function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Counts what the attempts of one strategy column cost and how fast they succeeded: queries, queries to success (mean
 * and median; memory grows with successes only, a number each), stop reasons, turns, pruned turns, fallbacks, and
 * the per-role cost from `Attempt.accounting`.
 *
 * @example
 * const counter = new StrategyCounter('strategy.pair');
 * counter.add(attempt, isAttackSuccess(attempt));
 * counter.finish().queriesToSuccess.median
 */
export class StrategyCounter {
  #attempts = 0;
  #successes = 0;
  #queries = 0;
  #turns = 0;
  #fallbacks = 0;
  readonly #toSuccess: number[] = [];
  readonly #stopReasons: Record<string, number> = {};
  readonly #pruned: Record<string, number> = {};
  readonly #cost: RoleAccounting = {};
  constructor(readonly strategy: string) {}

  add(attempt: Attempt, success: boolean): void {
    this.#attempts += 1;
    const queries = attempt.queries ?? attempt.turns?.filter((turn) => turn.response !== null).length ?? 0;
    this.#queries += queries;
    if (success) {
      this.#successes += 1;
      this.#toSuccess.push(queries);
    }
    if (attempt.stopReason !== undefined) this.#stopReasons[attempt.stopReason] = (this.#stopReasons[attempt.stopReason] ?? 0) + 1;
    for (const turn of attempt.turns ?? []) {
      this.#turns += 1;
      if (turn.pruned !== null) this.#pruned[turn.pruned] = (this.#pruned[turn.pruned] ?? 0) + 1;
      if (turn.attacker?.fallback !== undefined) this.#fallbacks += 1;
    }
    addAccounting(this.#cost, attempt.accounting);
  }

  finish(): StrategyStats {
    const sum = this.#toSuccess.reduce((total, value) => total + value, 0);
    return {
      strategy: this.strategy,
      attempts: this.#attempts,
      successes: this.#successes,
      queries: this.#queries,
      queriesPerAttempt: this.#attempts > 0 ? this.#queries / this.#attempts : null,
      queriesToSuccess: { n: this.#toSuccess.length, mean: this.#toSuccess.length > 0 ? sum / this.#toSuccess.length : null, median: median(this.#toSuccess) },
      stopReasons: { ...this.#stopReasons },
      turns: this.#turns,
      prunedTurns: { ...this.#pruned },
      attackerFallbacks: this.#fallbacks,
      cost: structuredClone(this.#cost),
    };
  }
}

/**
 * The index of the turn whose verdict stands for the attempt (the attempt's response and verdict are that turn's), or
 * null when none matches.
 *
 * @example
 * decisiveTurnOf(attempt) // e.g. 5
 */
export function decisiveTurnOf(attempt: Attempt): number | null {
  if (attempt.response === null || attempt.verdict === null) return null;
  const match = (attempt.turns ?? []).find(
    (turn) =>
      turn.response?.text === attempt.response!.text &&
      turn.judgement?.verdict.label === attempt.verdict!.label &&
      turn.judgement?.verdict.harmful === attempt.verdict!.harmful &&
      JSON.stringify(turn.messages) === JSON.stringify(attempt.messages),
  );
  return match?.index ?? null;
}

/**
 * The turns of a strategy attempt kept for drill-down: at most `maxTurns` (the first ones, plus the decisive turn when
 * it comes later), each text cut to `maxTextLength`. Texts are untrusted model output.
 *
 * @example
 * sampledTrajectory(attempt, decisiveIndex, { maxTurns: 40, maxTextLength: 1000 })
 */
export function sampledTrajectory(
  attempt: Attempt,
  decisiveIndex: number | null,
  limits: { maxTurns: number; maxTextLength: number },
): { trajectory: SampledTurn[]; omittedTurns: number } {
  const turns = attempt.turns ?? [];
  const kept = turns.slice(0, limits.maxTurns);
  const decisive = turns.find((turn) => turn.index === decisiveIndex);
  if (decisive !== undefined && !kept.includes(decisive)) kept.push(decisive);
  let truncated = false;
  const cut = (text: string): string => {
    if (text.length <= limits.maxTextLength) return text;
    truncated = true;
    return text.slice(0, limits.maxTextLength);
  };
  const trajectory = kept.map((turn): SampledTurn => {
    truncated = false;
    const sampled: SampledTurn = {
      index: turn.index,
      stream: turn.stream,
      parent: turn.parent,
      step: turn.step,
      attacker: turn.attacker
        ? {
            reply: cut(turn.attacker.reply),
            ...(turn.attacker.improvement !== undefined ? { improvement: cut(turn.attacker.improvement) } : {}),
            ...(turn.attacker.technique !== undefined ? { technique: turn.attacker.technique } : {}),
            ...(turn.attacker.fallback !== undefined ? { fallback: turn.attacker.fallback } : {}),
            tries: turn.attacker.tries,
          }
        : null,
      prompt: cut(turn.messages.at(-1)?.content ?? ''),
      response: turn.response ? cut(turn.response.decodedText) : null,
      rating: turn.judgement?.rating ?? null,
      rationale: turn.judgement ? cut(turn.judgement.rationale) : null,
      verdictLabel: turn.judgement?.verdict.label ?? null,
      pruned: turn.pruned,
      queries: turn.queries,
      decisive: turn.index === decisiveIndex,
      truncated: false,
    };
    sampled.truncated = truncated;
    return sampled;
  });
  return { trajectory, omittedTurns: turns.length - kept.length };
}

/**
 * Cost per role in one line: requests and tokens (cached requests noted).
 *
 * @example
 * costText({ attacker: { requests: 3, cachedRequests: 0, promptTokens: 900, completionTokens: 300, wallTimeMs: 40 } }) // 'attacker 3 req, 1,200 tok'
 */
export function costText(cost: RoleAccounting): string {
  const parts = Object.entries(cost).map(([role, usage]) => {
    const tokens = usage.promptTokens + usage.completionTokens;
    return `${role} ${usage.requests.toLocaleString('en-US')} req${usage.cachedRequests ? ` (${usage.cachedRequests} cached)` : ''}, ${tokens.toLocaleString('en-US')} tok`;
  });
  return parts.length > 0 ? parts.join('; ') : 'no accounting recorded';
}

/**
 * A count or mean for a table cell: whole numbers as they are, others to one decimal, null as a dash.
 *
 * @example
 * formatCount(3.25) // '3.3'
 */
export function formatCount(value: number | null): string {
  return value === null ? '–' : Number.isInteger(value) ? String(value) : value.toFixed(1);
}
