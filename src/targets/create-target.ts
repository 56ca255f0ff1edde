import type { Target } from '../spec/target.js';
import { TargetConfigSchema, type TargetConfigInput } from '../spec/target-config.js';
import { ConfigError } from '../spec/errors.js';
import { targetRegistry } from './registry.js';

/**
 * Build a target from its config (flags, YAML `target:` block or a parsed spec string).
 * A config that fails validation becomes a ConfigError naming the field; an unknown kind lists the known ones.
 *
 * @example
 * const target = createTarget({ kind: 'openai', baseUrl: 'http://127.0.0.1:8000/v1', model: 'llama3.1:8b' });
 * const response = await target.generate({ messages: [{ role: 'user', content: 'Hello' }] });
 */
export function createTarget(config: TargetConfigInput): Target {
  const parsed = TargetConfigSchema.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = ['target', ...issue.path.map(String)].join('.');
    throw new ConfigError(`bad target setting: ${issue.message}`, { field });
  }
  if (!targetRegistry.has(parsed.data.kind)) {
    throw new ConfigError(`unknown target kind '${parsed.data.kind}'; known: ${targetRegistry.keys().join(', ')}`, {
      field: 'target.kind',
    });
  }
  return targetRegistry.get(parsed.data.kind).create(parsed.data);
}
