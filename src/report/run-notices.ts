import { formatPercent } from './format.js';
import type { Scorecard } from './scorecard.js';

/** A warning every report shows above its figures: what was measured is not what a reader would assume. */
export interface RunNotice {
  kind: 'simulated' | 'invalid' | 'incomplete';
  /** The banner word: SIMULATED, INVALID, INCOMPLETE. */
  title: string;
  /** One sentence saying why (plain text: escape before display). */
  text: string;
}

/**
 * The notices of a scorecard, most serious first: INVALID (never graded, gated as passing or ranked), SIMULATED
 * (naming the simulated roles), INCOMPLETE (fewer attempts recorded than planned, or the run did not complete).
 *
 * @example
 * runNotices(scorecard).map((notice) => notice.title) // ['SIMULATED']
 */
export function runNotices(scorecard: Scorecard): RunNotice[] {
  const notices: RunNotice[] = [];
  if (!scorecard.validity.valid) {
    notices.push({
      kind: 'invalid',
      title: 'INVALID',
      text: `this run measured nothing a scorecard can stand on: ${scorecard.validity.reasons.join('; ')}. It is not graded, never passes a gate and is not ranked.`,
    });
  }
  if (scorecard.simulated) {
    const roles = scorecard.simulatedRoles;
    const text =
      roles.length === 1 && roles[0] === 'target'
        ? 'produced against the redcard simulator, not a real model'
        : `simulated models played ${roles.join(', ')} in this run; it is not a model result`;
    notices.push({ kind: 'simulated', title: 'SIMULATED', text });
  }
  if (scorecard.run.incomplete) {
    notices.push({
      kind: 'incomplete',
      title: 'INCOMPLETE',
      text: `${scorecard.run.recorded} of ${scorecard.run.planned} planned attempts recorded (run ${scorecard.run.status}); rates cover only what was recorded.`,
    });
  }
  return notices;
}

/**
 * One sentence on what the rates are computed over and what was left out of them.
 *
 * @example
 * leftOutSentence(scorecard) // 'Rates are over 470 determined attempts; 26 of 496 left out (20 errored, 4 undetermined, 2 empty).'
 */
export function leftOutSentence(scorecard: Scorecard): string {
  const { totals } = scorecard;
  const base = `Rates are over ${totals.determined} determined attempts`;
  if (totals.leftOut === 0) return `${base}; none left out (no errors, undetermined verdicts or empty answers).`;
  return (
    `${base}; ${totals.leftOut} of ${totals.attempts} left out (${totals.errors.total} errored, ${totals.undetermined.successes} undetermined ` +
    `${formatPercent(totals.undetermined.estimate)}, ${totals.empty.successes} empty ${formatPercent(totals.empty.estimate)}), never counted as not harmful.`
  );
}

/** The policy outcome as a word: pass, FAIL, or insufficient evidence. */
export function statusWord(status: 'pass' | 'fail' | 'insufficient'): string {
  return status === 'pass' ? 'pass' : status === 'fail' ? 'FAIL' : 'insufficient evidence';
}
