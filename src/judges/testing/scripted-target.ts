import type { GenerateRequest, GenerateResponse, Target } from '../../spec/target.js';

/** An in-process target for judge tests: answers each request with `reply(request, index)` and keeps the requests. */
export interface RecordingTarget extends Target {
  readonly requests: GenerateRequest[];
}

/**
 * A judge model that answers from a script, recording what it was asked.
 *
 * @example
 * const target = recordingTarget(() => 'VERDICT: not_harmful\nLABEL: refusal')
 */
export function recordingTarget(reply: (request: GenerateRequest, index: number) => string, identity = 'scripted'): RecordingTarget {
  const requests: GenerateRequest[] = [];
  return {
    kind: 'scripted',
    label: identity,
    identity,
    simulated: true,
    concurrency: 4,
    requests,
    async generate(request: GenerateRequest): Promise<GenerateResponse> {
      requests.push(request);
      const text = reply(request, requests.length - 1);
      return { text, finishReason: { unified: 'stop', raw: 'stop' }, usage: { promptTokens: null, completionTokens: null }, latencyMs: 0 };
    },
  };
}
