import { isAttackSuccess, isOverRefusal, type Attempt } from '../spec/attempt.js';
import type { RunRecord } from '../spec/run-record.js';

/** Version of the summary.json format (docs/formats.md). */
export const SUMMARY_VERSION = 2;

/** Attack success on harmful behaviors: `successes` of `n` judged attempts (errors excluded, counted apart). */
export interface SuccessCount {
  n: number;
  successes: number;
  /** successes / n, or null when n is 0. */
  attackSuccessRate: number | null;
  errors: number;
}

/** Over-refusal on benign twins: `refusals` (full or partial) of `n` judged attempts. */
export interface RefusalCount {
  n: number;
  refusals: number;
  /** refusals / n, or null when n is 0. */
  overRefusalRate: number | null;
  errors: number;
}

/** The content of summary.json. */
export interface RunSummary {
  summaryVersion: number;
  run: { id: string; status: string; target: string; simulated: boolean; judge: string; planned: number; recorded: number };
  /**
   * `queries`: target requests over all attempts (v2); `decodeErrors`: answers the chain could not decode (judged as
   * received, see `response.decodeError`; v2).
   */
  overall: { harmful: SuccessCount; benign: RefusalCount; errors: number; promptTokens: number; completionTokens: number; queries: number; decodeErrors: number };
  categories: Record<string, { harmful: SuccessCount; benign: RefusalCount }>;
  attacks: Record<string, SuccessCount>;
  cells: ({ category: string; attack: string } & SuccessCount)[];
}

const emptySuccess = (): SuccessCount => ({ n: 0, successes: 0, attackSuccessRate: null, errors: 0 });
const emptyRefusal = (): RefusalCount => ({ n: 0, refusals: 0, overRefusalRate: null, errors: 0 });

function countHarmful(count: SuccessCount, attempt: Attempt): void {
  if (attempt.error !== null) {
    count.errors += 1;
    return;
  }
  count.n += 1;
  if (isAttackSuccess(attempt)) count.successes += 1;
}

function countBenign(count: RefusalCount, attempt: Attempt): void {
  if (attempt.error !== null) {
    count.errors += 1;
    return;
  }
  count.n += 1;
  if (isOverRefusal(attempt)) count.refusals += 1;
}

/**
 * Summarise attempts (streamed: only counters are kept) per category × attack, per category, per attack, overall.
 *
 * @example
 * const summary = summarizeAttempts(run, store.iterateAttempts(run.id));
 */
export function summarizeAttempts(run: RunRecord, attempts: Iterable<Attempt>): RunSummary {
  const overall = { harmful: emptySuccess(), benign: emptyRefusal(), errors: 0, promptTokens: 0, completionTokens: 0, queries: 0, decodeErrors: 0 };
  const categories = new Map<string, { harmful: SuccessCount; benign: RefusalCount }>();
  const attacks = new Map<string, SuccessCount>();
  const cells = new Map<string, { category: string; attack: string } & SuccessCount>();
  let recorded = 0;
  for (const attempt of attempts) {
    recorded += 1;
    if (attempt.error !== null) overall.errors += 1;
    overall.queries += attempt.queries;
    if (attempt.response?.decodeError !== undefined) overall.decodeErrors += 1;
    overall.promptTokens += attempt.response?.usage.promptTokens ?? 0;
    overall.completionTokens += attempt.response?.usage.completionTokens ?? 0;
    let category = categories.get(attempt.category);
    if (category === undefined) {
      category = { harmful: emptySuccess(), benign: emptyRefusal() };
      categories.set(attempt.category, category);
    }
    if (attempt.benign) {
      countBenign(overall.benign, attempt);
      countBenign(category.benign, attempt);
      continue;
    }
    countHarmful(overall.harmful, attempt);
    countHarmful(category.harmful, attempt);
    let attack = attacks.get(attempt.attack);
    if (attack === undefined) {
      attack = emptySuccess();
      attacks.set(attempt.attack, attack);
    }
    countHarmful(attack, attempt);
    const cellKey = `${attempt.category}\u0000${attempt.attack}`;
    let cell = cells.get(cellKey);
    if (cell === undefined) {
      cell = { category: attempt.category, attack: attempt.attack, ...emptySuccess() };
      cells.set(cellKey, cell);
    }
    countHarmful(cell, attempt);
  }
  const finishSuccess = (count: SuccessCount): SuccessCount => ({ ...count, attackSuccessRate: count.n === 0 ? null : count.successes / count.n });
  const finishRefusal = (count: RefusalCount): RefusalCount => ({ ...count, overRefusalRate: count.n === 0 ? null : count.refusals / count.n });
  const sortedKeys = <T>(map: Map<string, T>): string[] => [...map.keys()].sort();
  return {
    summaryVersion: SUMMARY_VERSION,
    run: { id: run.id, status: run.status, target: run.target.label, simulated: run.target.simulated, judge: run.judge, planned: run.planned, recorded },
    overall: { ...overall, harmful: finishSuccess(overall.harmful), benign: finishRefusal(overall.benign) },
    categories: Object.fromEntries(
      sortedKeys(categories).map((key) => {
        const value = categories.get(key)!;
        return [key, { harmful: finishSuccess(value.harmful), benign: finishRefusal(value.benign) }];
      }),
    ),
    attacks: Object.fromEntries(sortedKeys(attacks).map((key) => [key, finishSuccess(attacks.get(key)!)])),
    cells: sortedKeys(cells).map((key) => finishSuccess(cells.get(key)!) as { category: string; attack: string } & SuccessCount),
  };
}
