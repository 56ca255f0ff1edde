import { z } from 'zod';
import { ConfigError } from '../../spec/errors.js';
import type { Strategy } from '../../spec/strategy.js';
import { strategyRegistry } from './registry.js';

export { isStrategySpec, splitAttackList } from '../split-attack-list.js';

/** A strategy as `--attacks` named it, with its parameters resolved. */
export interface ParsedStrategySpec<Params = Record<string, unknown>> {
  strategy: Strategy<Params>;
  /** Defaults, then the preset, then the spec's own `key=value` settings. */
  params: Params;
  /** The spec as a column label: the id, then the settings as written (`strategy.pair:streams=5`). */
  label: string;
}


/** A spec value as typed: numbers and booleans as such, anything else as text. */
function typedValue(text: string): unknown {
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  return text;
}

function parameterKeys(schema: z.ZodType): string[] {
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

/**
 * Parse `strategy.NAME[:key=value,…]` (settings may include `preset=NAME`) into the strategy and its validated
 * parameters. Unknown strategies, keys, presets and bad values are ConfigErrors naming them (field `attacks`).
 *
 * @example
 * parseStrategySpec('strategy.pair:streams=20,iterations=3').params.streams // 20
 * parseStrategySpec('strategy.tap:preset=small').params.width // 3
 */
export function parseStrategySpec(spec: string): ParsedStrategySpec {
  const trimmed = spec.trim();
  const colon = trimmed.indexOf(':');
  const id = colon === -1 ? trimmed : trimmed.slice(0, colon);
  const settingsText = colon === -1 ? '' : trimmed.slice(colon + 1);
  if (!strategyRegistry.has(id)) {
    throw new ConfigError(`unknown strategy '${id}'; known: ${strategyRegistry.keys().join(', ')}`, { field: 'attacks' });
  }
  const strategy = strategyRegistry.get(id) as Strategy<Record<string, unknown>>;
  const keys = parameterKeys(strategy.parameters);
  const settings: Record<string, unknown> = {};
  let preset: Record<string, unknown> = {};
  const written: string[] = [];
  for (const part of settingsText.split(',').map((entry) => entry.trim()).filter(Boolean)) {
    const equals = part.indexOf('=');
    if (equals <= 0) throw new ConfigError(`${id}: setting '${part}' must be key=value`, { field: 'attacks' });
    const key = part.slice(0, equals).trim();
    const value = part.slice(equals + 1).trim();
    if (key === 'preset') {
      if (!(value in strategy.presets)) {
        throw new ConfigError(`${id}: unknown preset '${value}'; known: ${Object.keys(strategy.presets).join(', ')}`, { field: 'attacks' });
      }
      preset = strategy.presets[value] as Record<string, unknown>;
    } else {
      if (!keys.includes(key)) throw new ConfigError(`${id}: unknown setting '${key}'; known: ${[...keys, 'preset'].join(', ')}`, { field: 'attacks' });
      if (key in settings) throw new ConfigError(`${id}: setting '${key}' given twice`, { field: 'attacks' });
      settings[key] = typedValue(value);
    }
    written.push(`${key}=${value}`);
  }
  const parsed = strategy.parameters.safeParse({ ...preset, ...settings });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue.path.map(String).join('.');
    const given = key in settings ? `=${String(settings[key])}` : key in preset ? ` (from the preset)` : '';
    throw new ConfigError(`${id}: bad setting '${key}${given}': ${issue.message}`, { field: 'attacks' });
  }
  return { strategy, params: parsed.data, label: written.length > 0 ? `${id}:${written.join(',')}` : id };
}
