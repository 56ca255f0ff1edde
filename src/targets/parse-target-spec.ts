import type { TargetConfigInput } from '../spec/target-config.js';
import { ConfigError } from '../spec/errors.js';

type ValueType = 'string' | 'number' | 'integer' | 'list';

/** Spec keys (kebab-case) and where they go in the config. `seed` goes to `params.seed` for openai, to `seed` otherwise. */
const SPEC_KEYS: Record<string, { field: string; type: ValueType; inParams?: boolean }> = {
  'base-url': { field: 'baseUrl', type: 'string' },
  model: { field: 'model', type: 'string' },
  'api-key-env': { field: 'apiKeyEnv', type: 'string' },
  'system-prompt': { field: 'systemPrompt', type: 'string' },
  'timeout-ms': { field: 'timeoutMs', type: 'integer' },
  'max-retries': { field: 'maxRetries', type: 'integer' },
  'max-response-bytes': { field: 'maxResponseBytes', type: 'integer' },
  concurrency: { field: 'concurrency', type: 'integer' },
  rpm: { field: 'rpm', type: 'number' },
  seed: { field: 'seed', type: 'integer' },
  profile: { field: 'profile', type: 'string' },
  'latency-ms': { field: 'latencyMs', type: 'number' },
  file: { field: 'file', type: 'string' },
  temperature: { field: 'temperature', type: 'number', inParams: true },
  'top-p': { field: 'topP', type: 'number', inParams: true },
  'max-tokens': { field: 'maxTokens', type: 'integer', inParams: true },
  stop: { field: 'stop', type: 'list', inParams: true },
};

/** The key a bare value after `KIND:` stands for (`replay:PATH`, `sim:PROFILE`). */
const POSITIONAL_KEY: Record<string, string> = { replay: 'file', sim: 'profile' };

function convert(spec: string, key: string, raw: string, type: ValueType): string | number | string[] {
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
 * Grammar: `KIND`, `KIND:key=value,key=value` (kebab-case keys for the camelCase config fields), `replay:PATH`,
 * `sim:PROFILE`, or `@name` for a named target of the config's `targets:` map. `stop` takes `|`-separated values.
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
    return { ...found };
  }
  const colon = trimmed.indexOf(':');
  const kind = colon === -1 ? trimmed : trimmed.slice(0, colon);
  const rest = colon === -1 ? '' : trimmed.slice(colon + 1);
  if (!/^[a-z][a-z0-9-]*$/.test(kind)) {
    throw new ConfigError(`target spec '${spec}': '${kind}' is not a target kind (expected e.g. 'sim', 'openai:base-url=URL,model=NAME')`, {
      field: 'target',
    });
  }
  const config: Record<string, unknown> = { kind };
  if (rest === '') return config as TargetConfigInput;
  if (!/^[a-z][a-z0-9-]*=/.test(rest)) {
    const positional = POSITIONAL_KEY[kind];
    if (positional === undefined) {
      throw new ConfigError(`target spec '${spec}': expected key=value pairs after '${kind}:', got '${rest}'`, { field: 'target' });
    }
    config[SPEC_KEYS[positional].field] = rest;
    return config as TargetConfigInput;
  }
  const params: Record<string, unknown> = {};
  for (const pair of rest.split(',')) {
    const equals = pair.indexOf('=');
    if (equals <= 0) {
      throw new ConfigError(`target spec '${spec}': '${pair}' is not key=value`, { field: 'target' });
    }
    const key = pair.slice(0, equals).trim();
    const known = SPEC_KEYS[key];
    if (known === undefined || !Object.hasOwn(SPEC_KEYS, key)) {
      throw new ConfigError(`target spec '${spec}': unknown key '${key}'; known: ${Object.keys(SPEC_KEYS).join(', ')}`, { field: key });
    }
    const value = convert(spec, key, pair.slice(equals + 1), known.type);
    if (known.inParams || (key === 'seed' && kind === 'openai')) params[known.field] = value;
    else config[known.field] = value;
  }
  if (Object.keys(params).length > 0) config.params = params;
  return config as TargetConfigInput;
}
