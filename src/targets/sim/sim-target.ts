import type { GenerateOptions, GenerateRequest, GenerateResponse, Target } from '../../spec/target.js';
import { z } from 'zod';
import { MAX_TIMER_MS, TIMER_LIMIT_MESSAGE } from '../../util/timer-limit.js';
import { defineTargetKind, type TargetConfig } from '../../spec/target-config.js';
import { AbortedError } from '../../spec/errors.js';
import { abortableSleep } from '../abortable-sleep.js';
import { mapFinishReason } from '../finish-reason.js';
import { stableIdentity } from '../stable-identity.js';
import { createSimModel } from './sim-model.js';

/** Settings of the `sim` kind, beside the common ones. */
export const SimTargetSettingsSchema = z.object({
  /** Safety profile name (data/sim/profiles) or file. */
  profile: z.string().optional(),
  /** Seed of the simulated behaviour (not the sampling seed). */
  seed: z.number().int().optional(),
  /** Simulated latency in milliseconds, at most 2^31 − 1. */
  latencyMs: z.number().min(0).max(MAX_TIMER_MS, TIMER_LIMIT_MESSAGE).optional(),
});
export type SimTargetConfig = TargetConfig<z.infer<typeof SimTargetSettingsSchema>>;

/**
 * Build the in-process simulated target: the same model as the sim server, without HTTP.
 *
 * @example
 * const target = createSimTarget(parseTargetConfig({ kind: 'sim', seed: 3, profile: 'strict' }) as SimTargetConfig);
 */
export function createSimTarget(config: SimTargetConfig): Target {
  const model = createSimModel({ seed: config.seed, profile: config.profile, model: config.model });
  const latencyMs = config.latencyMs ?? 0;
  const systemPrompt = config.systemPrompt;
  return {
    kind: 'sim',
    label: `sim:${model.profile.name}${model.seed === 0 ? '' : `,seed=${model.seed}`}`,
    identity: stableIdentity({ kind: 'sim', name: config.name, profile: `${model.profile.name}@${model.profile.fingerprint}`, seed: model.seed, model: model.model, systemPrompt: systemPrompt ?? null, params: config.params }),
    simulated: true,
    concurrency: config.concurrency,
    async generate(request: GenerateRequest, options: GenerateOptions = {}): Promise<GenerateResponse> {
      if (options.signal?.aborted) throw new AbortedError();
      if (latencyMs > 0) await abortableSleep(latencyMs, options.signal);
      const messages = systemPrompt === undefined ? request.messages : [{ role: 'system', content: systemPrompt }, ...request.messages];
      const answer = model.answer(messages, { sample: request.sample, maxTokens: request.maxTokens ?? config.params.maxTokens, topLogprobs: request.topLogprobs });
      return {
        ...(answer.logprobs === undefined ? {} : { logprobs: answer.logprobs }),
        text: answer.text,
        finishReason: mapFinishReason(answer.finishReason),
        usage: { promptTokens: answer.promptTokens, completionTokens: answer.completionTokens },
        latencyMs,
        model: model.model,
      };
    },
  };
}

/** The `sim` target kind. */
export const simTargetKind = defineTargetKind({
  kind: 'sim',
  description: 'Simulated model (deterministic from a seed, safety profile from data/sim/profiles); its numbers mean nothing about a real model.',
  settings: SimTargetSettingsSchema,
  specKeys: {
    profile: { field: 'profile', type: 'string' },
    seed: { field: 'seed', type: 'integer' },
    'latency-ms': { field: 'latencyMs', type: 'number' },
  },
  positionalField: 'profile',
  create: createSimTarget,
});
