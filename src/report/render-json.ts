import type { Scorecard } from './scorecard.js';

/**
 * The scorecard as JSON (docs/scorecard-json.md documents every field).
 *
 * @example
 * JSON.parse(renderJson(scorecard)).scorecardVersion // 2
 */
export function renderJson(scorecard: Scorecard): string {
  return `${JSON.stringify(scorecard, null, 2)}\n`;
}
