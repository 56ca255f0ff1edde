import { z } from 'zod';
import { ConfigError } from '../spec/errors.js';
import {
  COMMON_TARGET_SPEC_KEYS,
  CommonTargetSettingsSchema,
  type TargetConfig,
  type TargetConfigInput,
  type TargetKind,
  type TargetSpecKey,
} from '../spec/target-config.js';
import { targetRegistry } from './registry.js';

const schemas = new Map<string, z.ZodObject>();

/**
 * The schema a config of this kind is checked against: the common settings and the kind's own, nothing else.
 *
 * @example
 * targetConfigSchema(targetRegistry.get('sim')).parse({ kind: 'sim', seed: 3 })
 */
export function targetConfigSchema(kind: TargetKind): z.ZodObject {
  let schema = schemas.get(kind.kind);
  if (schema === undefined) {
    schema = CommonTargetSettingsSchema.extend(kind.settings.shape).strict();
    schemas.set(kind.kind, schema);
  }
  return schema;
}

/**
 * The spec keys of a kind (`openai:base-url=…,model=…`): the common ones overlaid by the kind's own.
 *
 * @example
 * targetSpecKeys(targetRegistry.get('openai'))['base-url'] // { field: 'baseUrl', type: 'string' }
 */
export function targetSpecKeys(kind: TargetKind): Record<string, TargetSpecKey> {
  return { ...COMMON_TARGET_SPEC_KEYS, ...kind.specKeys };
}

/** The registered kind of a config, or a ConfigError that lists the known kinds. */
export function targetKindOf(kindId: string): TargetKind {
  if (!targetRegistry.has(kindId)) {
    throw new ConfigError(`unknown target kind '${kindId}'; known: ${targetRegistry.keys().join(', ')}`, { field: 'target.kind' });
  }
  return targetRegistry.get(kindId);
}

/**
 * Validate a target config against its kind's composed schema (defaults filled in). A bad or unknown setting is a
 * ConfigError naming the field (`target.timeoutMs`).
 *
 * @example
 * parseTargetConfig({ kind: 'openai', baseUrl: 'http://127.0.0.1:8000/v1', model: 'm' }).timeoutMs // 120000
 */
export function parseTargetConfig(input: TargetConfigInput): TargetConfig {
  const kind = targetKindOf(String(input.kind));
  const parsed = targetConfigSchema(kind).safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue.code === 'unrecognized_keys') {
      throw new ConfigError(`target kind '${kind.kind}' has no setting '${issue.keys[0]}'; its settings: ${settingNames(kind).join(', ')}`, {
        field: ['target', ...issue.keys.slice(0, 1)].join('.'),
      });
    }
    throw new ConfigError(`bad target setting: ${issue.message}`, { field: ['target', ...issue.path.map(String)].join('.') });
  }
  return parsed.data as TargetConfig;
}

/** Setting names a kind accepts (common ones first). */
export function settingNames(kind: TargetKind): string[] {
  return Object.keys(targetConfigSchema(kind).shape);
}
