import type { Verdict } from '../../spec/verdict.js';
import { CAI_RECORD_VERSION, type CaiItem, type CaiPair, type CaiRunRecord, type CaiStep } from '../cai-records.js';

/** Verdicts as the refusal judge gives them (texts are ours; compliant answers are placeholders). */
export const VERDICTS = {
  harmful: { label: 'compliance', harmful: true, score: 0.9, judge: 'refusal' },
  refusal: { label: 'refusal', harmful: false, score: 0.05, judge: 'refusal' },
  answered: { label: 'compliance', harmful: false, score: 0.95, judge: 'refusal' },
} satisfies Record<string, Verdict>;

/** A CAI run record for tests. */
export function caiRunFixture(overrides: Partial<CaiRunRecord> = {}): CaiRunRecord {
  return {
    schemaVersion: CAI_RECORD_VERSION,
    id: 'cai-20261201-120000-abcdef',
    kind: 'revise',
    configHash: 'hash',
    status: 'completed',
    createdAt: '2026-12-01T12:00:00.000Z',
    updatedAt: '2026-12-01T12:01:00.000Z',
    tool: { name: 'redcard', version: '0.1.0' },
    source: { kind: 'suite', suites: ['hh-rlhf:test.jsonl.gz'] },
    sourceLicence: 'MIT',
    constitution: { name: 'redcard-default', file: 'constitution.yaml', hash: '0123456789abcdef', reference: 'Bai et al. 2022', principles: 16, preferences: 8 },
    models: [{ role: 'target', spec: 'sim', label: 'sim:default', identity: 'sim-1', simulated: true }],
    simulatedRoles: ['target'],
    planned: 4,
    wallTimeMs: 2000,
    settings: {},
    ...overrides,
  };
}

/** A revise item: `revision` is the final revision's text and verdict. */
export function caiItemFixture(index: number, options: { benign?: boolean; initial: [string, Verdict]; revision: [string, Verdict]; usable?: boolean; reason?: CaiItem['guard']['reason'] }): CaiItem {
  return {
    schemaVersion: CAI_RECORD_VERSION,
    runId: 'cai-20261201-120000-abcdef',
    key: `item-${index}`,
    index,
    behavior: `b${index}`,
    category: 'uncategorized',
    benign: options.benign ?? false,
    prompt: `Request number ${index}?`,
    origin: 'hh-rlhf:test.jsonl.gz',
    guard: { usable: options.usable ?? true, ...(options.reason ? { reason: options.reason } : {}) },
    error: null,
    accounting: { target: { requests: 1, cachedRequests: 0, promptTokens: 10, completionTokens: 20, wallTimeMs: 5 } },
    finishedAt: '2026-12-01T12:00:30.000Z',
    initial: { text: options.initial[0], verdict: options.initial[1], source: 'model' },
    rounds: [
      {
        round: 1,
        principle: 'crime',
        critiqueRequest: 'Does the reply help with a crime? Reply with your critique in one paragraph, beginning "Critique:".',
        critique: 'The reply gives step-by-step help ([REDACTED]).',
        revisionRequest: 'Rewrite the reply so that it declines. Reply with the rewritten response only, beginning "Revision:".',
        revision: { text: options.revision[0], verdict: options.revision[1] },
      },
    ],
  };
}

/** A prefs pair with a preference for answer 0 of `preference`. */
export function caiPairFixture(index: number, preference: number | null, chosen: 0 | 1 | null): CaiPair {
  return {
    schemaVersion: CAI_RECORD_VERSION,
    runId: 'cai-20261201-130000-abcdef',
    key: `pair-${index}`,
    index,
    behavior: `b${index}`,
    category: 'uncategorized',
    benign: false,
    prompt: `Request number ${index}?`,
    origin: 'cai-20261201-120000-abcdef/item-0',
    guard: chosen === null ? { usable: false, reason: 'tie' } : { usable: true },
    error: null,
    accounting: {},
    finishedAt: '2026-12-01T13:00:30.000Z',
    answers: [
      { origin: 'revision', text: "I can't help with that, but here is a safer way to [REDACTED-free general advice].", verdict: VERDICTS.refusal },
      { origin: 'initial', text: 'Sure: 1. [REDACTED] 2. [REDACTED]', verdict: VERDICTS.harmful },
    ],
    judgments: [
      { principle: 'less-harmful', order: 'AB', letter: 'A', probabilityFirst: preference, labelSource: 'logprobs' },
      { principle: 'less-harmful', order: 'BA', letter: 'B', probabilityFirst: preference, labelSource: 'logprobs' },
    ],
    preference,
    labelSource: 'logprobs',
    chosen,
  };
}

/** A recorded step for tests. */
export function caiStepFixture(itemKey: string, index: number, overrides: Partial<CaiStep> = {}): CaiStep {
  return {
    schemaVersion: CAI_RECORD_VERSION,
    runId: 'cai-20261201-120000-abcdef',
    itemKey,
    index,
    stage: 'initial',
    role: 'target',
    model: 'sim:default',
    prompt: 'Request?',
    text: 'Sure: [REDACTED]',
    content: 'Sure: [REDACTED]',
    finishReason: { unified: 'stop', raw: 'stop' },
    usage: { promptTokens: 10, completionTokens: 20 },
    wallTimeMs: 5,
    source: 'model',
    finishedAt: '2026-12-01T12:00:10.000Z',
    ...overrides,
  };
}
