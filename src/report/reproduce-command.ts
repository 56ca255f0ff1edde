import type { RunRecord } from '../spec/run-record.js';
import { targetSpecString } from '../targets/parse-target-spec.js';
import { isSecretLookingHeader } from '../targets/stored-headers.js';

const quote = (value: string): string => (/^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`);

/**
 * Header flags for the stored target: `--public-header` with the stored (public) values, `--header NAME: …` for
 * headers that were sent but not stored (the user supplies the value). Secret-looking names are never shown with a
 * value, even from an old record.
 */
function headerFlags(config: Record<string, unknown>): string[] {
  const parts: string[] = [];
  const headers = config.headers !== null && typeof config.headers === 'object' ? (config.headers as Record<string, unknown>) : {};
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value !== 'string') continue;
    parts.push(isSecretLookingHeader(name) ? '--header' : '--public-header', quote(isSecretLookingHeader(name) ? `${name}: …` : `${name}: ${value}`));
  }
  const withheld = Array.isArray(config.withheldHeaders) ? config.withheldHeaders.filter((name): name is string => typeof name === 'string') : [];
  for (const name of withheld) parts.push('--header', quote(`${name}: …`));
  return parts;
}

/** The `--target` value: a spec rebuilt from the stored target config when there is one, else the adapter kind. */
function targetSpec(run: RunRecord): { spec: string; systemPrompt?: string; headers: string[] } {
  const stored = run.settings?.target;
  if (stored === null || typeof stored !== 'object') return { spec: typeof stored === 'string' ? stored : run.target.kind, headers: [] };
  const config = stored as Record<string, unknown>;
  const kind = typeof config.kind === 'string' ? config.kind : run.target.kind;
  return {
    spec: targetSpecString({ ...config, kind }),
    systemPrompt: typeof config.systemPrompt === 'string' ? config.systemPrompt : undefined,
    headers: headerFlags(config),
  };
}

/** `--helper`, `--attacker`, `--evaluator` and `--rater` as the run's settings name them (v2 runs; absent in v1). */
function modelFlags(run: RunRecord): string[] {
  const parts: string[] = [];
  for (const role of ['helper', 'attacker', 'evaluator', 'rater'] as const) {
    const spec = run.settings?.[role];
    if (typeof spec === 'string' && spec.length > 0) parts.push(`--${role}`, quote(spec));
  }
  return parts;
}

/** The budget flags of a v2 run (per attempt and per run), when any was set. */
function budgetFlags(run: RunRecord): string[] {
  const parts: string[] = [];
  const { attempt, run: whole } = run.budgets ?? { attempt: {}, run: {} };
  const flags: [string, number | undefined][] = [
    ['--max-queries', attempt?.maxQueries],
    ['--max-attempt-tokens', attempt?.maxTokens],
    ['--max-run-queries', whole?.maxQueries],
    ['--max-run-tokens', whole?.maxTokens],
  ];
  for (const [flag, value] of flags) if (value !== undefined) parts.push(flag, String(value));
  return parts;
}

/**
 * The `redcard scan` command line that re-creates a run's plan, from its record (and its stored settings).
 *
 * @example
 * reproduceCommand(run) // "redcard scan --target sim:profile=leaky --suite core --attacks direct --samples 1 --judge refusal"
 */
export function reproduceCommand(run: RunRecord): string {
  const target = targetSpec(run);
  const parts = ['redcard', 'scan', '--target', quote(target.spec)];
  if (target.systemPrompt !== undefined) parts.push('--system-prompt', quote(target.systemPrompt));
  parts.push(...target.headers);
  if (run.suites.length > 0) parts.push('--suite', quote(run.suites.join(',')));
  if (run.attacks.length > 0) parts.push('--attacks', quote(run.attacks.join(',')));
  parts.push('--samples', String(run.samples), '--judge', quote(run.judge));
  if (run.limit !== null) parts.push('--limit', String(run.limit));
  parts.push(...modelFlags(run), ...budgetFlags(run));
  const { temperature, topP, maxTokens, seed } = run.params;
  if (temperature !== undefined) parts.push('--temperature', String(temperature));
  if (topP !== undefined) parts.push('--top-p', String(topP));
  if (maxTokens !== undefined) parts.push('--max-tokens', String(maxTokens));
  if (seed !== undefined) parts.push('--seed', String(seed));
  return parts.join(' ');
}
