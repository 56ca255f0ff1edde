import type { Grade } from '../stats/grade.js';
import { escapeMarkdown } from './render-markdown.js';
import { formatPercent } from './format.js';
import type { LeaderboardEntry } from './render-leaderboard.js';

/** Version of leaderboard.json (docs/scorecard-json.md, "Leaderboard JSON"). */
export const LEADERBOARD_VERSION = 2;

/** One leaderboard row as data: what the HTML, Markdown and JSON leaderboards show. */
export interface LeaderboardRow {
  runId: string;
  /** The model's display name (`--name`), else the target label. */
  label: string;
  /** The target label, whatever the display name. */
  target: string;
  /** True when any model in the run was simulated; `simulatedRoles` says which. */
  simulated: boolean;
  simulatedRoles: string[];
  /** False for an INVALID run: listed last, never graded or ranked; `invalidReasons` says why. */
  valid: boolean;
  invalidReasons: string[];
  /** True when fewer attempts were recorded than planned, or the run did not complete. */
  incomplete: boolean;
  reportHref: string | null;
  overallGrade: Grade | null;
  /** Attack success rate over all hazards (estimate, 95 % interval), null with no judged harmful attempt. */
  asr: { estimate: number; lower: number; upper: number; n: number } | null;
  overRefusal: { estimate: number; n: number } | null;
  /** Mean lm-evaluation-harness score, when imported. */
  helpfulness: number | null;
  /** The bias and fairness grade and what it read, when the run had a bias suite. */
  bias: {
    grade: Grade | null;
    /** Largest |BBQ bias score| of any category (points), when BBQ was scored. */
    bbqMaxAbsBias: number | null;
    /** Largest significant counterfactual gap (a fraction; 0 when none is significant), when the suite ran. */
    counterfactualMaxGap: number | null;
  } | null;
  hazards: Record<string, Grade | null>;
}

/**
 * Leaderboard entries in display order: valid runs as given, then INVALID ones (never ranked among them).
 *
 * @example
 * rankableFirst(entries).at(-1)?.scorecard.validity.valid // false when any run is INVALID
 */
export function rankableFirst(entries: LeaderboardEntry[]): LeaderboardEntry[] {
  return [...entries.filter((entry) => entry.scorecard.validity.valid), ...entries.filter((entry) => !entry.scorecard.validity.valid)];
}

/**
 * The rows of a leaderboard as data, INVALID runs last.
 *
 * @example
 * leaderboardRows(entries)[0].bias?.grade
 */
export function leaderboardRows(entries: LeaderboardEntry[]): LeaderboardRow[] {
  return rankableFirst(entries).map(({ scorecard, helpfulness, reportHref }) => {
    const bias = scorecard.bias;
    return {
      runId: scorecard.run.id,
      label: scorecard.displayName,
      target: scorecard.target.label,
      simulated: scorecard.simulated,
      simulatedRoles: scorecard.simulatedRoles,
      valid: scorecard.validity.valid,
      invalidReasons: scorecard.validity.reasons,
      incomplete: scorecard.run.incomplete,
      reportHref: reportHref ?? null,
      overallGrade: scorecard.overall.grade,
      asr: scorecard.totals.asr.n ? { estimate: scorecard.totals.asr.estimate, lower: scorecard.totals.asr.lower, upper: scorecard.totals.asr.upper, n: scorecard.totals.asr.n } : null,
      overRefusal: scorecard.totals.overRefusal.n ? { estimate: scorecard.totals.overRefusal.estimate, n: scorecard.totals.overRefusal.n } : null,
      helpfulness: helpfulness?.mean ?? null,
      bias: bias === undefined ? null : {
        grade: bias.grade,
        bbqMaxAbsBias: bias.bbq?.basis?.value ?? null,
        counterfactualMaxGap: bias.counterfactual?.basis?.value ?? null,
      },
      hazards: Object.fromEntries(scorecard.hazards.map((hazard) => [hazard.id, hazard.grade])),
    };
  });
}

/**
 * leaderboard.json: `{"leaderboardVersion": 1, "generatedAt", "rows": [LeaderboardRow…]}`.
 *
 * @example
 * writeFileSync('site/leaderboard.json', renderLeaderboardJson(entries, { generatedAt }));
 */
export function renderLeaderboardJson(entries: LeaderboardEntry[], options: { generatedAt?: string } = {}): string {
  return `${JSON.stringify({ leaderboardVersion: LEADERBOARD_VERSION, generatedAt: options.generatedAt ?? null, rows: leaderboardRows(entries) }, null, 2)}\n`;
}

/** A bias cell: the grade and what it read. */
export function biasSummary(bias: LeaderboardRow['bias']): string {
  if (bias === null) return '–';
  const parts = [
    bias.bbqMaxAbsBias === null ? undefined : `BBQ max |bias| ${bias.bbqMaxAbsBias.toFixed(1)}`,
    bias.counterfactualMaxGap === null ? undefined : `largest significant gap ${formatPercent(bias.counterfactualMaxGap)}`,
  ].filter((part) => part !== undefined);
  return `${bias.grade ?? 'not graded'}${parts.length ? ` (${parts.join('; ')})` : ''}`;
}

/**
 * The leaderboard as a Markdown table: model, overall grade, ASR, over-refusal, helpfulness, bias and fairness.
 *
 * @example
 * writeFileSync('site/index.md', renderLeaderboardMarkdown(entries));
 */
export function renderLeaderboardMarkdown(entries: LeaderboardEntry[], options: { title?: string } = {}): string {
  const rows = leaderboardRows(entries);
  const lines = [`# ${escapeMarkdown(options.title ?? 'redcard leaderboard')}`, ''];
  if (rows.some((row) => row.simulated)) lines.push('> **⚠️ Contains SIMULATED runs: not real model results.**', '');
  if (rows.some((row) => !row.valid)) lines.push('> **INVALID** runs (most answers empty, or nothing measured) are listed last, never graded or ranked.', '');
  lines.push('| Model | Overall | ASR [95% CI] | Over-refusal | Helpfulness | Bias and fairness |', '|---|---|---|---|---|---|');
  for (const row of rows) {
    const tags = [
      row.valid ? '' : ' **INVALID**',
      row.simulated ? ` (SIMULATED${row.simulatedRoles.some((role) => role !== 'target') ? `: ${row.simulatedRoles.join(', ')}` : ''})` : '',
      row.incomplete ? ' (INCOMPLETE)' : '',
    ].join('');
    const model = `${escapeMarkdown(row.label)}${tags}`;
    const asr = row.asr ? `${formatPercent(row.asr.estimate)} [${formatPercent(row.asr.lower)}–${formatPercent(row.asr.upper)}]` : 'n/a';
    lines.push(`| ${model} | ${row.overallGrade ?? (row.valid ? 'n/a' : 'INVALID')} | ${asr} | ${row.overRefusal ? formatPercent(row.overRefusal.estimate) : 'n/a'} | ${row.helpfulness === null ? '–' : formatPercent(row.helpfulness)} | ${escapeMarkdown(biasSummary(row.bias))} |`);
  }
  lines.push('');
  return lines.join('\n');
}
