import type { Proportion } from '../spec/calibration.js';
import type { Verdict } from '../spec/verdict.js';
import { isUndeterminedVerdict } from '../spec/verdict.js';
import { wilsonInterval } from '../stats/wilson-interval.js';
import type { CaiItem, CaiPair, GuardReason } from './cai-records.js';

/** What a revise run made, and what revision did to harm and over-refusal. */
export interface ReviseSummary {
  kind: 'revise';
  /** Items finished (errors included). */
  items: number;
  harmful: number;
  benign: number;
  errors: number;
  /** Items that go into the training files. */
  usable: number;
  /** Items left out, by reason. */
  dropped: Partial<Record<GuardReason, number>>;
  /** Harmful items whose initial answer was judged harmful, over those judged. */
  harmBefore: Proportion;
  /** Harmful items whose final revision was judged harmful, over those judged. */
  harmAfter: Proportion;
  /** Benign items whose initial answer refused (fully or partly), over those judged. */
  overRefusalBefore: Proportion;
  /** Benign items whose final revision refused (fully or partly): the revision over-refusal rate. */
  overRefusalAfter: Proportion;
}

/** What a prefs run made: labelled pairs, how they were labelled, and how much the answers' order swayed the model. */
export interface PrefsSummary {
  kind: 'prefs';
  pairs: number;
  errors: number;
  /** Pairs with a chosen answer that go into prefs.jsonl. */
  usable: number;
  dropped: Partial<Record<GuardReason, number>>;
  /** Pairs by how their label was read. */
  labelSources: Record<string, number>;
  judgments: number;
  /** Share of judgments (with a readable choice) in which the answer shown first, (A), was preferred: 50% is no position bias. */
  firstShownPreferred: Proportion;
  /** Of principles judged in both orders, the share whose two judgments agreed on the better answer. */
  orderAgreement: Proportion;
}

const refuses = (verdict: Verdict | null): boolean | undefined =>
  verdict === null || isUndeterminedVerdict(verdict) ? undefined : verdict.label === 'refusal' || verdict.label === 'partial';
const harmful = (verdict: Verdict | null): boolean | undefined =>
  verdict === null || isUndeterminedVerdict(verdict) || verdict.harmful === null ? undefined : verdict.harmful;

function counter(): { add(value: boolean | undefined): void; proportion(): Proportion } {
  let successes = 0;
  let n = 0;
  return {
    add(value) {
      if (value === undefined) return;
      n += 1;
      if (value) successes += 1;
    },
    proportion: () => wilsonInterval(successes, n),
  };
}

/**
 * Count a revise run's items: usable and dropped, the harm rate of harmful items before and after revision, and the
 * over-refusal rate of benign items before and after (undetermined verdicts are counted in neither).
 *
 * @example
 * summarizeRevise(store.iterateCaiItems(run.id)).overRefusalAfter.estimate
 */
export function summarizeRevise(items: Iterable<CaiItem>): ReviseSummary {
  const summary = { kind: 'revise' as const, items: 0, harmful: 0, benign: 0, errors: 0, usable: 0, dropped: {} as ReviseSummary['dropped'] };
  const harmBefore = counter();
  const harmAfter = counter();
  const refusalBefore = counter();
  const refusalAfter = counter();
  for (const item of items) {
    summary.items += 1;
    if (item.benign) summary.benign += 1;
    else summary.harmful += 1;
    if (item.error !== null) summary.errors += 1;
    if (item.guard.usable) summary.usable += 1;
    else if (item.guard.reason) summary.dropped[item.guard.reason] = (summary.dropped[item.guard.reason] ?? 0) + 1;
    if (item.error !== null) continue;
    const final = item.rounds.at(-1)?.revision.verdict ?? null;
    if (item.benign) {
      refusalBefore.add(refuses(item.initial.verdict));
      refusalAfter.add(refuses(final));
    } else {
      harmBefore.add(harmful(item.initial.verdict));
      harmAfter.add(harmful(final));
    }
  }
  return {
    ...summary,
    harmBefore: harmBefore.proportion(),
    harmAfter: harmAfter.proportion(),
    overRefusalBefore: refusalBefore.proportion(),
    overRefusalAfter: refusalAfter.proportion(),
  };
}

/**
 * Count a prefs run's pairs: usable and dropped, label sources, and position bias (how often the first-shown answer
 * won, and how often the two orders of one principle agreed).
 *
 * @example
 * summarizePrefs(store.iterateCaiPairs(run.id)).firstShownPreferred.estimate // ≈ 0.5 without position bias
 */
export function summarizePrefs(pairs: Iterable<CaiPair>): PrefsSummary {
  const summary = { kind: 'prefs' as const, pairs: 0, errors: 0, usable: 0, judgments: 0, dropped: {} as PrefsSummary['dropped'], labelSources: {} as Record<string, number> };
  const firstShown = counter();
  const agreement = counter();
  for (const pair of pairs) {
    summary.pairs += 1;
    if (pair.error !== null) summary.errors += 1;
    if (pair.guard.usable) summary.usable += 1;
    else if (pair.guard.reason) summary.dropped[pair.guard.reason] = (summary.dropped[pair.guard.reason] ?? 0) + 1;
    summary.labelSources[pair.labelSource] = (summary.labelSources[pair.labelSource] ?? 0) + 1;
    const byPrinciple = new Map<string, Array<number | null>>();
    for (const judgment of pair.judgments) {
      summary.judgments += 1;
      if (judgment.probabilityFirst !== null) {
        const firstShownWins = judgment.order === 'AB' ? judgment.probabilityFirst > 0.5 : judgment.probabilityFirst < 0.5;
        if (judgment.probabilityFirst !== 0.5) firstShown.add(firstShownWins);
      }
      byPrinciple.set(judgment.principle, [...(byPrinciple.get(judgment.principle) ?? []), judgment.probabilityFirst]);
    }
    for (const values of byPrinciple.values()) {
      if (values.length !== 2 || values.some((value) => value === null || value === 0.5)) continue;
      agreement.add(values[0]! > 0.5 === values[1]! > 0.5);
    }
  }
  return { ...summary, firstShownPreferred: firstShown.proportion(), orderAgreement: agreement.proportion() };
}
