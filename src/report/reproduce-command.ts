import type { RunRecord } from '../spec/run-record.js';

const quote = (value: string): string => (/^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`);

/**
 * The `redcard scan` command line that re-creates a run's plan, from its record.
 *
 * @example
 * reproduceCommand(run) // "redcard scan --target sim:… --suites core --attacks direct --samples 1 --judge refusal"
 */
export function reproduceCommand(run: RunRecord): string {
  const parts = ['redcard', 'scan', '--target', quote(run.target.identity)];
  if (run.suites.length > 0) parts.push('--suites', quote(run.suites.join(',')));
  if (run.attacks.length > 0) parts.push('--attacks', quote(run.attacks.join(',')));
  parts.push('--samples', String(run.samples), '--judge', quote(run.judge));
  if (run.limit !== null) parts.push('--limit', String(run.limit));
  const { temperature, topP, maxTokens, seed } = run.params;
  if (temperature !== undefined) parts.push('--temperature', String(temperature));
  if (topP !== undefined) parts.push('--top-p', String(topP));
  if (maxTokens !== undefined) parts.push('--max-tokens', String(maxTokens));
  if (seed !== undefined) parts.push('--seed', String(seed));
  return parts.join(' ');
}
