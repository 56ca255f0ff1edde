import { ConfigError } from '../../spec/errors.js';
import type { TargetConfig, TargetConfigInput } from '../../spec/target-config.js';
import { createTarget } from '../../targets/create-target.js';
import { parseTargetConfig } from '../../targets/target-settings.js';

/** A model people can chat with in the app: a configured target (or the always-present sim). */
export interface ChatTarget {
  /** The name used in the config's `targets:` map (`sim` for the built-in simulator). */
  name: string;
  /** Label of the built target (as runs record it). */
  label: string;
  kind: string;
  identity: string;
  simulated: boolean;
  /** Whether the app can stream answers from it (OpenAI-compatible servers: `stream: true`). */
  canStream: boolean;
  config: TargetConfig;
}

/**
 * The chat targets: the simulator as `sim`, plus every named target of a config's `targets:` map (a later `sim`
 * entry replaces the built-in one). Each config is validated and built once, so a bad entry fails at start-up,
 * naming the target.
 *
 * @example
 * chatTargets({ local: { kind: 'openai', baseUrl: 'http://127.0.0.1:11434/v1', model: 'llama3.1:8b' } }).map((target) => target.name) // ['sim', 'local']
 */
export function chatTargets(named: Record<string, TargetConfigInput> = {}, env: NodeJS.ProcessEnv = process.env): ChatTarget[] {
  const entries: Array<[string, TargetConfigInput]> = [['sim', { kind: 'sim' }], ...Object.entries(named)];
  const byName = new Map<string, ChatTarget>();
  for (const [name, input] of entries) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name)) throw new ConfigError(`target name '${name}' must be letters, digits, dots, dashes or underscores`, { field: `targets.${name}` });
    let config: TargetConfig;
    try {
      config = parseTargetConfig(input);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      const reason = error.message.replace(/^field '[^']*': /, '');
      throw new ConfigError(`target '${name}': ${reason}`, { field: `targets.${name}${error.field?.replace(/^target/, '') ?? ''}` });
    }
    const apiKeyEnv = typeof config.apiKeyEnv === 'string' ? config.apiKeyEnv : undefined;
    if (apiKeyEnv && !env[apiKeyEnv]) {
      throw new ConfigError(`target '${name}': environment variable ${apiKeyEnv} (its API key) is not set`, { field: `targets.${name}.apiKeyEnv` });
    }
    const built = createTarget(config);
    byName.set(name, {
      name,
      label: built.label,
      kind: built.kind,
      identity: built.identity,
      simulated: built.simulated,
      canStream: built.kind === 'openai',
      config,
    });
    void built.close?.();
  }
  return [...byName.values()];
}
