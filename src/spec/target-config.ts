import { z } from 'zod';
import { SamplingParamsSchema, type Target } from './target.js';

/** Default cap on the size of one answer body: 1 MiB. */
export const DEFAULT_MAX_RESPONSE_BYTES = 1 << 20;

/**
 * Settings every target kind has. A kind adds its own (`TargetKind.settings`); the target registry composes the two
 * into the schema a config of that kind is checked against, so adding a kind never edits a central list.
 */
export const CommonTargetSettingsSchema = z.object({
  /** Adapter kind: `openai`, `sim`, `replay`, … */
  kind: z.string().min(1),
  /**
   * What the user calls this model (a named target's key, or `name=` in a spec). Part of the model's identity: two
   * servers answering to the same model name with different weights need different names.
   */
  name: z.string().min(1).optional(),
  /** Model name sent in requests (openai) or reported (sim). */
  model: z.string().optional(),
  /** System prompt prepended to every conversation. */
  systemPrompt: z.string().optional(),
  /** Requests in flight at most for this target. */
  concurrency: z.number().int().positive().default(16),
  /** Sampling parameters sent with every request; `seed` is the seed of sample 0 (sample k is sent seed + k). */
  params: SamplingParamsSchema.default({}),
});
export type CommonTargetSettings = z.infer<typeof CommonTargetSettingsSchema>;

/** How a target config is written: its kind plus settings, checked against the kind's composed schema. */
export type TargetConfigInput = { kind: string } & Record<string, unknown>;

/** A validated target config: the common settings plus the kind's own (`Settings`). */
export type TargetConfig<Settings = Record<string, unknown>> = CommonTargetSettings & Settings;

/** The type of a spec value: `list` values are `|`-separated. */
export type TargetSpecValueType = 'string' | 'number' | 'integer' | 'list';

/** A key of a target spec string (`openai:base-url=…`): the config field it sets and how to read its value. */
export interface TargetSpecKey {
  /** Config field (camelCase). */
  field: string;
  type: TargetSpecValueType;
  /** True when the field lives in `params` (sampling parameters). */
  inParams?: boolean;
}

/** Spec keys of the common settings; a kind's own keys may override one (the sim's `seed` is its own seed). */
export const COMMON_TARGET_SPEC_KEYS: Record<string, TargetSpecKey> = {
  name: { field: 'name', type: 'string' },
  model: { field: 'model', type: 'string' },
  'system-prompt': { field: 'systemPrompt', type: 'string' },
  concurrency: { field: 'concurrency', type: 'integer' },
  temperature: { field: 'temperature', type: 'number', inParams: true },
  'top-p': { field: 'topP', type: 'number', inParams: true },
  'max-tokens': { field: 'maxTokens', type: 'integer', inParams: true },
  seed: { field: 'seed', type: 'integer', inParams: true },
  stop: { field: 'stop', type: 'list', inParams: true },
};

/** A kind of target adapter, registered once; it owns its settings, its spec keys and how to build a target. */
export interface TargetKind<Shape extends z.ZodRawShape = z.ZodRawShape> {
  /** Kind id used in `--target KIND` and in config. */
  readonly kind: string;
  /** One sentence for `redcard list targets`. */
  readonly description: string;
  /** The kind's own settings (each field documented), beside the common ones. */
  readonly settings: z.ZodObject<Shape>;
  /** Spec keys of the kind's own settings (kebab-case → field). */
  readonly specKeys: Record<string, TargetSpecKey>;
  /** The field a bare value after `KIND:` stands for (`replay:PATH` → `file`), if any. */
  readonly positionalField?: string;
  /** Build a target. Throws ConfigError for missing or bad settings. */
  create(config: TargetConfig<z.infer<z.ZodObject<Shape>>>): Target;
}

/**
 * Identity helper that gives a target kind its type.
 *
 * @example
 * export const echoTargetKind = defineTargetKind({ kind: 'echo', description: 'Says back what it hears.',
 *   settings: z.object({ prefix: z.string().default('') }), specKeys: { prefix: { field: 'prefix', type: 'string' } },
 *   create: (config) => createEchoTarget(config) });
 */
export function defineTargetKind<Shape extends z.ZodRawShape>(kind: TargetKind<Shape>): TargetKind<Shape> {
  return kind;
}
