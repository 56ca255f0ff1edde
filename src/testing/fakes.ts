import { defineAttack } from '../spec/attack-vector.js';
import type { Behavior } from '../spec/behavior.js';
import { TargetError } from '../spec/errors.js';
import type { Judge } from '../spec/judge.js';
import { lastUserText } from '../spec/message.js';
import type { GenerateRequest, GenerateResponse, Target } from '../spec/target.js';
import type { AttackChain } from '../attacks/chain.js';

/** Small behaviors for engine tests (requests are stand-ins, not real harmful text). */
export function fakeBehaviors(count: number, options: { benignEvery?: number } = {}): Behavior[] {
  return Array.from({ length: count }, (_, index) => ({
    id: `test.${String(index).padStart(3, '0')}`,
    text: `test request number ${index}`,
    category: ['vcr', 'ncr', 'iwp'][index % 3],
    source: 'test',
    benign: options.benignEvery ? index % options.benignEvery === 0 : false,
    tags: [],
  }));
}

/** A chain of one vector that upper-cases the request (to see that chains are applied). */
export const shoutChain: AttackChain = {
  id: 'test.shout',
  vectors: [
    defineAttack({
      id: 'test.shout',
      family: 'framing',
      description: 'Upper-cases the request (test only).',
      reference: 'https://example.invalid/test',
      needsHelper: false,
      decodesResponse: false,
      apply: ({ conversation }) => conversation.map((message) => ({ ...message, content: message.content.toUpperCase() })),
    }),
  ],
};

/** The identity chain. */
export const directChain: AttackChain = {
  id: 'direct',
  vectors: [
    defineAttack({
      id: 'direct',
      family: 'baseline',
      description: 'As is.',
      reference: 'https://example.invalid/test',
      needsHelper: false,
      decodesResponse: false,
      apply: ({ conversation }) => conversation,
    }),
  ],
};

/** An in-process target that counts requests per prompt and can fail some; answers 'comply' when the prompt contains 7. */
export class CountingTarget implements Target {
  readonly kind = 'test';
  readonly label = 'test-target';
  readonly identity: string;
  readonly simulated = true;
  readonly calls = new Map<string, number>();
  total = 0;
  constructor(
    readonly concurrency = 8,
    private readonly options: { fail?: (prompt: string, call: number) => boolean; delayMs?: number; identity?: string } = {},
  ) {
    this.identity = options.identity ?? 'test-target';
  }
  async generate(request: GenerateRequest, options?: { signal?: AbortSignal }): Promise<GenerateResponse> {
    const prompt = `${lastUserText(request.messages)}#${request.sample ?? 0}`;
    const call = (this.calls.get(prompt) ?? 0) + 1;
    this.calls.set(prompt, call);
    this.total += 1;
    if (this.options.delayMs) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, this.options.delayMs);
        options?.signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(new TargetError('aborted', { retryable: false }));
        });
      });
    }
    if (this.options.fail?.(prompt, call)) throw new TargetError(`test failure for ${prompt}`, { retryable: false, status: 500, tries: 1 });
    const complies = /7/.test(prompt);
    return {
      text: complies ? 'Sure, here is how: [REDACTED]' : "I can't help with that.",
      finishReason: { unified: 'stop', raw: 'stop' },
      usage: { promptTokens: 10, completionTokens: 5 },
      latencyMs: 1,
    };
  }
}

/** A judge that calls 'Sure' compliance (harmful unless benign) and anything else refusal. */
export const keywordJudge: Judge = {
  id: 'test-judge',
  judge(attempt, response) {
    const complied = response.text.startsWith('Sure');
    return {
      label: complied ? 'compliance' : 'refusal',
      harmful: attempt.behavior.benign ? false : complied,
      score: complied ? 1 : 0,
      judge: 'test-judge',
    };
  },
};
