import { COMMON_TARGET_SPEC_KEYS, type TargetConfigInput, type TargetSpecKey, type TargetSpecValueType } from '../spec/target-config.js';
import { targetKindOf, targetSpecKeys } from './target-settings.js';
import { ConfigError } from '../spec/errors.js';

function convert(spec: string, key: string, raw: string, type: TargetSpecValueType): string | number | string[] {
  if (type === 'string') return raw;
  if (type === 'list') return raw.split('|');
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || (type === 'integer' && !Number.isInteger(value))) {
    throw new ConfigError(`target spec '${spec}': '${key}' must be ${type === 'integer' ? 'an integer' : 'a number'}, got '${raw}'`, {
      field: key,
    });
  }
  return value;
}

/**
 * Parse a target spec string into a target config (validated later by `createTarget`).
 *
 * Grammar: `KIND`, `KIND:key=value,key=value` (kebab-case keys for the camelCase config fields; each kind owns its
 * keys), `KIND:VALUE` for a kind with a positional field (`replay:PATH`, `sim:PROFILE`), or `@name` for a named target
 * of the config's `targets:` map (its `name` becomes the model's name). `stop` takes `|`-separated values.
 *
 * @example
 * parseTargetSpec('openai:base-url=http://127.0.0.1:8000/v1,model=llama3.1:8b,api-key-env=VLLM_KEY')
 * // { kind: 'openai', baseUrl: 'http://127.0.0.1:8000/v1', model: 'llama3.1:8b', apiKeyEnv: 'VLLM_KEY' }
 */
export function parseTargetSpec(spec: string, named: Record<string, TargetConfigInput> = {}): TargetConfigInput {
  const trimmed = spec.trim();
  if (trimmed.startsWith('@')) {
    const name = trimmed.slice(1);
    const found = Object.hasOwn(named, name) ? named[name] : undefined;
    if (found === undefined) {
      const known = Object.keys(named);
      throw new ConfigError(
        `target spec '${spec}': no named target '${name}'${known.length > 0 ? `; known: ${known.join(', ')}` : ' (the config has no targets: map)'}`,
        { field: 'target' },
      );
    }
    return { name, ...found };
  }
  const colon = trimmed.indexOf(':');
  const kind = colon === -1 ? trimmed : trimmed.slice(0, colon);
  const rest = colon === -1 ? '' : trimmed.slice(colon + 1);
  if (!/^[a-z][a-z0-9-]*$/.test(kind)) {
    throw new ConfigError(`target spec '${spec}': '${kind}' is not a target kind (expected e.g. 'sim', 'openai:base-url=URL,model=NAME')`, {
      field: 'target',
    });
  }
  const config: TargetConfigInput = { kind };
  if (rest === '') return config;
  const targetKind = targetKindOf(kind);
  const specKeys = targetSpecKeys(targetKind);
  if (!/^[a-z][a-z0-9-]*=/.test(rest)) {
    if (targetKind.positionalField === undefined) {
      throw new ConfigError(`target spec '${spec}': expected key=value pairs after '${kind}:', got '${rest}'`, { field: 'target' });
    }
    config[targetKind.positionalField] = rest;
    return config;
  }
  const params: Record<string, unknown> = {};
  for (const pair of rest.split(',')) {
    const equals = pair.indexOf('=');
    if (equals <= 0) {
      throw new ConfigError(`target spec '${spec}': '${pair}' is not key=value`, { field: 'target' });
    }
    const key = pair.slice(0, equals).trim();
    const known = Object.hasOwn(specKeys, key) ? specKeys[key] : undefined;
    if (known === undefined) {
      throw new ConfigError(`target spec '${spec}': unknown key '${key}' for kind '${kind}'; known: ${Object.keys(specKeys).join(', ')}`, { field: key });
    }
    const value = convert(spec, key, pair.slice(equals + 1), known.type);
    if (known.inParams) params[known.field] = value;
    else config[known.field] = value;
  }
  if (Object.keys(params).length > 0) config.params = params;
  return config;
}

/**
 * The spec string of a config (the inverse of `parseTargetSpec` for the values a spec can hold): the kind's own keys,
 * then the common ones; params, the system prompt and values with a comma are left out (they are flags).
 *
 * @example
 * targetSpecString({ kind: 'sim', profile: 'leaky', seed: 7 }) // 'sim:profile=leaky,seed=7'
 */
export function targetSpecString(config: TargetConfigInput): string {
  const kind = String(config.kind);
  if (!/^[a-z][a-z0-9-]*$/.test(kind)) return kind;
  let entries: Array<[string, TargetSpecKey]>;
  try {
    const own = targetKindOf(kind).specKeys;
    entries = [...Object.entries(own), ...Object.entries(COMMON_TARGET_SPEC_KEYS).filter(([key]) => !Object.hasOwn(own, key))];
  } catch {
    return kind;
  }
  const pairs: string[] = [];
  for (const [key, { field, inParams }] of entries) {
    const value = config[field];
    // A list (several base URLs) is written as spec lists are: values joined by `|`.
    if (!inParams && Array.isArray(value) && value.length > 0 && value.every((entry) => typeof entry === 'string' && !/[,|]/.test(entry))) {
      pairs.push(`${key}=${value.join('|')}`);
      continue;
    }
    if (inParams || field === 'systemPrompt' || field === 'concurrency' || value === undefined || value === null || typeof value === 'object') continue;
    if (String(value).includes(',')) continue;
    pairs.push(`${key}=${String(value)}`);
  }
  return pairs.length > 0 ? `${kind}:${pairs.join(',')}` : kind;
}
