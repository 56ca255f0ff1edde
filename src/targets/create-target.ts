import type { Target } from '../spec/target.js';
import type { TargetConfigInput } from '../spec/target-config.js';
import { parseTargetConfig, targetKindOf } from './target-settings.js';

/**
 * Build a target from its config (flags, YAML `target:` block or a parsed spec string), checked against its kind's
 * settings. A bad setting becomes a ConfigError naming the field; an unknown kind lists the known ones.
 *
 * @example
 * const target = createTarget({ kind: 'openai', baseUrl: 'http://127.0.0.1:8000/v1', model: 'llama3.1:8b' });
 * const response = await target.generate({ messages: [{ role: 'user', content: 'Hello' }] });
 */
export function createTarget(config: TargetConfigInput): Target {
  const parsed = parseTargetConfig(config);
  return targetKindOf(parsed.kind).create(parsed);
}
