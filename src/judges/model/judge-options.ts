import { ConfigError } from '../../spec/errors.js';

/** A judge argument split into the judge's own settings and the target spec that remains. */
export interface SplitJudgeArgument {
  /** The target spec with the judge's own `key=value` items removed. */
  targetSpec: string;
  /** The judge's own settings, by key. */
  options: Record<string, string>;
}

/**
 * Take a model judge's own settings (e.g. `retries=3`, `format=prompt`) out of the comma list of its target spec,
 * so that `llama-guard:openai:base-url=…,model=m,format=prompt` builds the target from `openai:base-url=…,model=m`.
 *
 * @example
 * splitJudgeArgument('openai:model=m,retries=3', ['retries']) // { targetSpec: 'openai:model=m', options: { retries: '3' } }
 */
export function splitJudgeArgument(argument: string, judgeKeys: readonly string[]): SplitJudgeArgument {
  const options: Record<string, string> = {};
  const colon = argument.indexOf(':');
  const head = colon === -1 ? '' : argument.slice(0, colon + 1);
  const body = colon === -1 ? argument : argument.slice(colon + 1);
  const kept: string[] = [];
  for (const item of body.split(',')) {
    const equals = item.indexOf('=');
    const key = equals === -1 ? '' : item.slice(0, equals).trim();
    if (judgeKeys.includes(key)) options[key] = item.slice(equals + 1).trim();
    else kept.push(item);
  }
  let targetSpec = head + kept.join(',');
  if (targetSpec.endsWith(':')) targetSpec = targetSpec.slice(0, -1);
  if (targetSpec === '') throw new ConfigError(`judge argument '${argument}' names no target`, { field: 'judge' });
  return { targetSpec, options };
}

/**
 * A whole-number judge setting within [min, max], or the default when absent.
 *
 * @example
 * integerOption({ retries: '3' }, 'retries', 2, 0, 10) // 3
 */
export function integerOption(options: Record<string, string>, key: string, fallback: number, min: number, max: number): number {
  const raw = options[key];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`'${key}' must be a whole number from ${min} to ${max}, got '${raw}'`, { field: 'judge' });
  }
  return value;
}
