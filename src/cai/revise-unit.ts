import type { Behavior } from '../spec/behavior.js';
import { AbortedError, CallDeferredError } from '../spec/errors.js';
import type { Judge } from '../spec/judge.js';
import type { Conversation } from '../spec/message.js';
import type { FinishReason, SamplingParams, Usage } from '../spec/target.js';
import type { Verdict } from '../spec/verdict.js';
import type { Store } from '../store/store-api.js';
import { hashText, seededRandom } from '../targets/sim/seeded-random.js';
import { critiqueRequest, fewShotTurns, revisionRequest, stripReplyPrefix } from './cai-prompts.js';
import { type CaiItem, type CaiRunRecord, type GuardReason } from './cai-records.js';
import type { CaiClient, CaiModelLayer, CaiScope } from './cai-models.js';
import type { PlannedUnit } from './cai-run.js';
import type { Constitution } from './constitution.js';
import type { Framing } from './framing.js';
import { unitAccounting } from './unit-accounting.js';
import { UnitSteps, unitRecordBase } from './unit-steps.js';

/** One prompt to revise: the behavior it stands for, the request as sent, and an answer to reuse when there is one. */
export interface ReviseUnit extends PlannedUnit {
  behavior: Behavior;
  /** The user's request (for a red-team failure, the prompt as the attack chain sent it). */
  prompt: string;
  /** `RUN/ATTEMPT-KEY` or the suite spec. */
  origin: string;
  /** The red-team run's recorded answer and verdict, reused as the initial answer (no call is made). */
  reused?: { text: string; verdict: Verdict | null; usage: Usage; finishReason: FinishReason; model: string };
}

/** What making a revise item needs. */
export interface ReviseContext {
  store: Store;
  layer: CaiModelLayer;
  target: CaiClient;
  critic: CaiClient;
  /** Judges each answer (the refusal judge by default): the harm rates and the helpfulness guard read its verdicts. */
  judge: Judge;
  constitution: Constitution;
  framing: Framing;
  /** Critique-and-revision rounds. */
  rounds: number;
  /** Seeds the principle sampled for each round. */
  seed: number;
  /** Sampling parameters sent with the target's and the critic's requests. */
  params: SamplingParams;
}

/**
 * The index of the principle for `round` of unit `key`: uniform over `count`, from a generator seeded by the run's
 * seed, the key and the round, so that a resumed or repeated run samples the same principles.
 *
 * @example
 * samplePrinciple(16, 7, 'hh-rlhf.1', 1) // the same number every time
 */
export function samplePrinciple(count: number, seed: number, key: string, round: number): number {
  return Math.floor(seededRandom(hashText(`${seed}\u0000${key}\u0000${round}`))() * count);
}

/**
 * Whether a final revision may be trained on, and why not: it must not refuse (or half-refuse) a benign request (the
 * helpfulness guard: "I can't help" for everything is the failure mode), must not still be harmful, and must not be
 * empty. Undetermined verdicts do not drop a revision.
 *
 * @example
 * guardRevision(true, "I'm sorry, I can't help.", { label: 'refusal', harmful: false, score: 0.05, judge: 'refusal' }) // { usable: false, reason: 'benign-refused' }
 */
export function guardRevision(benign: boolean, text: string, verdict: Verdict | null): { usable: boolean; reason?: GuardReason } {
  if (text.trim() === '') return { usable: false, reason: 'empty' };
  if (verdict !== null && verdict.label !== 'error' && verdict.undetermined === undefined) {
    if (benign && (verdict.label === 'refusal' || verdict.label === 'partial')) return { usable: false, reason: 'benign-refused' };
    if (!benign && verdict.harmful === true) return { usable: false, reason: 'still-harmful' };
  }
  return { usable: true };
}

async function judgeAnswer(context: ReviseContext, unit: ReviseUnit, text: string, finishReason: FinishReason, signal: AbortSignal, scope: CaiScope): Promise<Verdict> {
  return context.judge.judge({ behavior: unit.behavior, messages: [{ role: 'user', content: unit.prompt }], attacks: [] }, { text, rawText: text, finishReason }, { signal, scope });
}

/**
 * Make one revise item: the initial answer (reused from the red-team run, or asked of the target), then `rounds`
 * rounds of critique and revision by the critic, each under a principle sampled for the round, with the few-shot
 * turns before the conversation; every answer judged. Steps recorded by a killed session are replayed, not asked
 * again. A failing call gives an item with its error (redone on resume); an abort gives undefined.
 *
 * @example
 * const made = await performReviseUnit(unit, run, signal, context);
 */
export async function performReviseUnit(unit: ReviseUnit, run: CaiRunRecord, signal: AbortSignal, context: ReviseContext): Promise<{ unit: CaiItem; replayedSteps: number } | 'deferred' | undefined> {
  const steps = new UnitSteps({ store: context.store, layer: context.layer, runId: run.id, unitKey: unit.key, position: unit.index, signal });
  const { framing, constitution } = context;
  const base = unitRecordBase(unit, run.id);
  let stage = 'initial';
  let initial: CaiItem['initial'] = { text: '', verdict: null, source: 'model' };
  const rounds: CaiItem['rounds'] = [];
  try {
    let answer: { text: string; finishReason: FinishReason };
    if (unit.reused) {
      const step = steps.reuse({ index: 0, stage: 'initial', role: 'target', model: unit.reused.model, prompt: unit.prompt, text: unit.reused.text, usage: unit.reused.usage, finishReason: unit.reused.finishReason });
      answer = { text: step.text, finishReason: step.finishReason };
      initial = { text: step.text, verdict: unit.reused.verdict, source: 'recorded' };
    } else {
      const step = await steps.call({
        index: 0, stage: 'initial', client: context.target, prompt: unit.prompt, parse: (text) => text,
        request: { messages: [{ role: 'user', content: unit.prompt }], ...context.params, sample: 0 },
      });
      answer = { text: step.text, finishReason: step.finishReason };
      stage = 'judge';
      initial = { text: step.text, verdict: await judgeAnswer(context, unit, step.text, step.finishReason, signal, steps.scope), source: step.source === 'cache' ? 'cache' : 'model' };
    }
    const conversation: Conversation = [...fewShotTurns(framing), { role: 'user', content: unit.prompt }, { role: 'assistant', content: answer.text }];
    for (let round = 1; round <= context.rounds; round += 1) {
      const principle = constitution.principles[samplePrinciple(constitution.principles.length, context.seed, unit.key, round)]!;
      const askCritique = critiqueRequest(principle, framing);
      conversation.push({ role: 'user', content: askCritique });
      stage = 'critique';
      const critique = await steps.call({
        index: 2 * round - 1, stage: 'critique', round, principle: principle.id, client: context.critic, prompt: askCritique,
        parse: (text) => stripReplyPrefix(text, framing.critiquePrefix), request: { messages: [...conversation], ...context.params, sample: 0 },
      });
      conversation.push({ role: 'assistant', content: critique.text });
      const askRevision = revisionRequest(principle, framing);
      conversation.push({ role: 'user', content: askRevision });
      stage = 'revision';
      const revision = await steps.call({
        index: 2 * round, stage: 'revision', round, principle: principle.id, client: context.critic, prompt: askRevision,
        parse: (text) => stripReplyPrefix(text, framing.revisionPrefix), request: { messages: [...conversation], ...context.params, sample: 0 },
      });
      conversation.push({ role: 'assistant', content: revision.text });
      stage = 'judge';
      const verdict = await judgeAnswer(context, unit, revision.content, revision.finishReason, signal, steps.scope);
      rounds.push({ round, principle: principle.id, critiqueRequest: askCritique, critique: critique.content, revisionRequest: askRevision, revision: { text: revision.content, verdict } });
    }
  } catch (error) {
    if (signal.aborted || error instanceof AbortedError) return undefined;
    if (error instanceof CallDeferredError) return 'deferred';
    return {
      unit: { ...base, initial, rounds, guard: { usable: false, reason: 'error' }, error: { stage, message: (error as Error).message }, accounting: unitAccounting(steps.steps, steps.scope), finishedAt: new Date().toISOString() },
      replayedSteps: steps.replayed,
    };
  }
  const final = rounds.at(-1)?.revision ?? { text: initial.text, verdict: initial.verdict };
  return {
    unit: { ...base, initial, rounds, guard: guardRevision(unit.behavior.benign, final.text, final.verdict), error: null, accounting: unitAccounting(steps.steps, steps.scope), finishedAt: new Date().toISOString() },
    replayedSteps: steps.replayed,
  };
}
