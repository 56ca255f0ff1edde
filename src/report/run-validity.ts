import type { Validity } from './scorecard.js';

/** Share of answers above which a run is INVALID for being mostly empty. */
export const INVALID_EMPTY_SHARE = 0.5;

/**
 * Whether a run measured anything a scorecard can stand on: INVALID when no attempt was recorded, when most answers
 * (more than INVALID_EMPTY_SHARE of the responses) are empty, or when no attempt got a usable verdict on an answer.
 *
 * @example
 * runValidity({ attempts: 24, responses: 24, empty: 24, determined: 0 }).valid // false
 */
export function runValidity(counts: { attempts: number; responses: number; empty: number; determined: number }): Validity {
  const reasons: string[] = [];
  if (counts.attempts === 0) reasons.push('no attempts recorded');
  else if (counts.responses > 0 && counts.empty > counts.responses * INVALID_EMPTY_SHARE) {
    reasons.push(`most answers are empty (${counts.empty} of ${counts.responses} answers)`);
  } else if (counts.determined === 0) {
    reasons.push(`no attempt has a usable verdict (${counts.attempts} attempts, all errored, empty or undetermined)`);
  }
  return { valid: reasons.length === 0, reasons };
}
