import type { ErrorGroup, ErrorSummary } from '../engine/error-summary.js';

/** Error groups shown by name; the rest are counted in one line. */
const SHOWN_GROUPS = 5;
const SHOWN_MESSAGE_LENGTH = 90;

const WHOSE: Record<string, string> = { target: 'the target', judge: "the judge model", attack: 'the helper model' };

function whose(stage: string): string {
  return WHOSE[stage] ?? stage;
}

/** What to fix for an error that a retry cannot fix. */
function adviceFor(group: ErrorGroup): string {
  const model = whose(group.stage);
  const where = group.stage === 'target' ? '' : ` (in ${group.stage === 'judge' ? 'the --judge' : 'the --helper'} target spec)`;
  switch (group.status) {
    case 401:
    case 403:
      return `${model}'s server refused the credentials: check the API key (the variable that api-key-env names) or the headers you send${where}`;
    case 404:
      return `${model}'s server has no such path or model: check the base URL (most servers want it to end in /v1) and the model name${where}`;
    case 400:
    case 422:
      return `${model}'s server rejected the request: check the model name and the sampling parameters (max-tokens, temperature…)${where}`;
    case 413:
      return `the requests are too large for ${model}'s server: use shorter attacks or raise the server's limit`;
    default:
      return `${model}'s server rejected the requests (HTTP ${group.status ?? '?'}): see its message above`;
  }
}

function clip(text: string): string {
  return text.length <= SHOWN_MESSAGE_LENGTH ? text : `${text.slice(0, SHOWN_MESSAGE_LENGTH - 1)}…`;
}

/**
 * The console lines for a run's errors: the commonest messages with counts (`target  HTTP 401: Invalid API key ×10`),
 * what to fix for errors a retry cannot fix (401, 403, 404, 400…), and the resume command only when some errors may
 * pass on a retry (network, timeouts, 429, 5xx). No lines when nothing failed.
 *
 * @example
 * formatErrorReport(result.errors, { recorded: 48, resumeCommand: 'redcard scan --resume run-1' })
 */
export function formatErrorReport(summary: ErrorSummary, context: { recorded: number; resumeCommand: string; attemptsFile?: string }): string[] {
  if (summary.total === 0) return [];
  const lines = [`warning: ${summary.total} of ${context.recorded} attempts failed; commonest errors:`];
  const stageWidth = Math.max(...summary.groups.slice(0, SHOWN_GROUPS).map((group) => group.stage.length));
  for (const group of summary.groups.slice(0, SHOWN_GROUPS)) lines.push(`  ${group.stage.padEnd(stageWidth)}  ${clip(group.message)} ×${group.count}`);
  const hidden = summary.groups.slice(SHOWN_GROUPS);
  if (hidden.length > 0) {
    const where = context.attemptsFile === undefined ? '' : `; every error is in ${context.attemptsFile}`;
    lines.push(`  … and ${hidden.length} other message${hidden.length === 1 ? '' : 's'} (${hidden.reduce((sum, group) => sum + group.count, 0)} attempts${where})`);
  }
  const advice = new Set(summary.groups.filter((group) => !group.retryable).map(adviceFor));
  for (const line of advice) lines.push(`fix: ${line}`);
  const retryable = summary.groups.filter((group) => group.retryable).reduce((sum, group) => sum + group.count, 0);
  if (retryable > 0) {
    lines.push(`retry: ${retryable} of them may pass on a retry: ${context.resumeCommand}`);
  }
  return lines;
}

/**
 * The closing line of a scan stopped because the target kept failing: how to finish the run once the cause is fixed.
 * When every error needs another model name, URL or request (404, 400, 422), the fix changes the plan, so the run
 * cannot be resumed: a new run is the way.
 *
 * @example
 * stoppedScanAdvice(errors, { saved: 20, planned: 24, resumeCommand: 'redcard scan --resume run-1' })
 */
export function stoppedScanAdvice(summary: ErrorSummary, context: { saved: number; planned: number; resumeCommand: string }): string {
  const planChanges = summary.groups.length > 0 && summary.groups.every((group) => group.status === 404 || group.status === 400 || group.status === 422);
  const saved = `${context.saved} of ${context.planned} attempts are saved`;
  if (planChanges) return `${saved}; the fix changes the model, URL or request, which makes a new run: scan again with the fix and --fresh`;
  return `${saved}; once fixed, finish the run with: ${context.resumeCommand}`;
}
