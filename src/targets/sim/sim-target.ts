import type { GenerateOptions, GenerateRequest, GenerateResponse, Target } from '../../spec/target.js';
import { defineTargetKind, type TargetConfig } from '../../spec/target-config.js';
import { AbortedError } from '../../spec/errors.js';
import { abortableSleep } from '../abortable-sleep.js';
import { mapFinishReason } from '../finish-reason.js';
import { stableIdentity } from '../stable-identity.js';
import { createSimModel } from './sim-model.js';

/**
 * Build the in-process simulated target: the same model as the sim server, without HTTP.
 *
 * @example
 * const target = createSimTarget(TargetConfigSchema.parse({ kind: 'sim', seed: 3, profile: 'strict' }));
 */
export function createSimTarget(config: TargetConfig): Target {
  const model = createSimModel({ seed: config.seed, profile: config.profile, model: config.model });
  const latencyMs = config.latencyMs ?? 0;
  const systemPrompt = config.systemPrompt;
  return {
    kind: 'sim',
    label: `sim:${model.profile.name}${model.seed === 0 ? '' : `,seed=${model.seed}`}`,
    identity: stableIdentity({ kind: 'sim', profile: model.profile.source, seed: model.seed, model: model.model, systemPrompt: systemPrompt ?? null, params: config.params }),
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
  create: createSimTarget,
});
