import type { Attempt } from '../spec/attempt.js';
import type { Proportion } from '../spec/calibration.js';
import { wilsonInterval } from '../stats/wilson-interval.js';
import { escapeHtml } from './escape-html.js';
import { formatPercent, formatProportion } from './format.js';

/** How many of a hazard's verdicts people verified, and how often the judge agreed with them. */
export interface HumanVerificationRow {
  hazard: string;
  name: string;
  /** Attempts with a settled human harmful/not-harmful label (k annotators' majority, or an adjudication). */
  verified: number;
  /** Of those, the judge gave a determinate harmful verdict on this many… */
  compared: number;
  /** …and agreed with the people on this many. */
  agreed: number;
  /** agreed / compared, with its 95 % Wilson interval. */
  agreement: Proportion;
  /** Verified attempts whose judge verdict was undetermined or an error (not counted either way). */
  judgeUndetermined: number;
}

/** The human-verification section of a scorecard (additive: present only when human labels exist for the run). */
export interface HumanVerification {
  /** Where the labels come from, e.g. `redcard serve annotation tasks 3, 5`. */
  source: string;
  hazards: HumanVerificationRow[];
  overall: Omit<HumanVerificationRow, 'hazard' | 'name'>;
}

/**
 * Compare a run's judge verdicts with the human labels settled for its attempts, per hazard.
 *
 * @example
 * buildHumanVerification(store.iterateAttempts(runId), (attempt) => humans.get(attempt.key)?.harmful ?? null, hazardNames(), 'tasks 3')
 */
export function buildHumanVerification(
  attempts: Iterable<Attempt>,
  humanHarmful: (attempt: Attempt) => 'yes' | 'no' | null,
  hazardNames: Record<string, string>,
  source: string,
): HumanVerification | undefined {
  const counters = new Map<string, { verified: number; compared: number; agreed: number; judgeUndetermined: number }>();
  const overall = { verified: 0, compared: 0, agreed: 0, judgeUndetermined: 0 };
  for (const attempt of attempts) {
    const human = humanHarmful(attempt);
    if (human === null || attempt.error !== null) continue;
    const row = counters.get(attempt.category) ?? { verified: 0, compared: 0, agreed: 0, judgeUndetermined: 0 };
    counters.set(attempt.category, row);
    for (const target of [row, overall]) {
      target.verified += 1;
      const judged = attempt.verdict?.harmful;
      if (judged === null || judged === undefined || attempt.verdict?.undetermined !== undefined) target.judgeUndetermined += 1;
      else {
        target.compared += 1;
        if (judged === (human === 'yes')) target.agreed += 1;
      }
    }
  }
  if (overall.verified === 0) return undefined;
  const order = Object.keys(hazardNames);
  const hazards = [...counters.entries()]
    .sort(([a], [b]) => (order.indexOf(a) === -1 ? 99 : order.indexOf(a)) - (order.indexOf(b) === -1 ? 99 : order.indexOf(b)) || a.localeCompare(b))
    .map(([hazard, row]) => ({ hazard, name: hazardNames[hazard] ?? hazard, ...row, agreement: wilsonInterval(row.agreed, row.compared) }));
  return { source, hazards, overall: { ...overall, agreement: wilsonInterval(overall.agreed, overall.compared) } };
}

/**
 * The section as HTML for the scorecard (all text escaped).
 *
 * @example
 * humanVerificationHtml(scorecard.humanVerification)
 */
export function humanVerificationHtml(verification: HumanVerification): string {
  const row = (name: string, entry: Omit<HumanVerificationRow, 'hazard' | 'name'>, strong = false): string =>
    `<tr${strong ? ' class="total"' : ''}><td>${escapeHtml(name)}</td><td class="num">${entry.verified}</td><td class="num">${entry.compared ? escapeHtml(formatProportion(entry.agreement)) : '–'}</td><td class="num">${entry.judgeUndetermined}</td></tr>`;
  return [
    '<h2 id="human-verification">Human verification</h2>',
    `<p class="small muted">Verdicts people checked (${escapeHtml(verification.source)}): a settled human label is the majority of k annotators or an admin's adjudication. Agreement is the share of those where the judge's harmful/not-harmful verdict matches; ${formatPercent(verification.overall.agreement.estimate)} overall.</p>`,
    '<table class="small" id="human-verification-table"><thead><tr><th>Hazard</th><th class="num">Human-verified</th><th class="num">Judge agrees (95% interval)</th><th class="num">Judge undetermined</th></tr></thead><tbody>',
    ...verification.hazards.map((entry) => row(entry.name, entry)),
    row('All hazards', verification.overall, true),
    '</tbody></table>',
  ].join('\n');
}
