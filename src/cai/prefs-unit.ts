import type { Behavior } from '../spec/behavior.js';
import { AbortedError, CallDeferredError } from '../spec/errors.js';
import type { Judge } from '../spec/judge.js';
import type { Conversation } from '../spec/message.js';
import type { GenerateResponse, SamplingParams } from '../spec/target.js';
import type { Verdict } from '../spec/verdict.js';
import type { Store } from '../store/store-api.js';
import { hashText, seededRandom } from '../targets/sim/seeded-random.js';
import { choiceProbability, feedbackQuestion, parseChoiceLetter } from './cai-prompts.js';
import { type CaiPair, type CaiRunRecord, type CaiStep, type GuardReason, type Judgment } from './cai-records.js';
import type { CaiClient, CaiModelLayer } from './cai-models.js';
import type { PlannedUnit } from './cai-run.js';
import type { Constitution, PreferencePrinciple } from './constitution.js';
import type { Framing } from './framing.js';
import { guardRevision } from './revise-unit.js';
import { unitAccounting } from './unit-accounting.js';
import { UnitSteps, unitRecordBase } from './unit-steps.js';

/** One of a pair's two answers: known (recorded, or a revise item's), or to be sampled from the target. */
export type PairAnswer =
  | { origin: string; text: string; verdict: Verdict | null }
  | { origin: string; sample: number; messages: Conversation };

/** One prompt whose two answers the feedback model compares. */
export interface PrefsUnit extends PlannedUnit {
  behavior: Behavior;
  prompt: string;
  origin: string;
  answers: [PairAnswer, PairAnswer];
}

/** How position bias is controlled: each principle asked with the answers in both orders, or in one random order. */
export type PositionMode = 'both' | 'random';

/** What labelling a pair needs. */
export interface PrefsContext {
  store: Store;
  layer: CaiModelLayer;
  target: CaiClient;
  feedback: CaiClient;
  judge: Judge;
  constitution: Constitution;
  framing: Framing;
  /** Preference principles per pair (sampled without replacement); the soft label is their mean. */
  principlesPerPair: number;
  position: PositionMode;
  seed: number;
  /** top_logprobs asked of the feedback model (0: parse the letter only). */
  topLogprobs: number;
  /** Sampling parameters of the target's new samples. */
  params: SamplingParams;
}

/**
 * The preference principles of a pair and the order(s) each is asked in: `count` principles drawn without replacement
 * by a generator seeded with the run's seed and the key; with `random`, one order per principle from the same
 * generator. Deterministic, so a resumed run asks the same questions.
 *
 * @example
 * planJudgments(loadConstitution().preferences, 2, 'both', 7, 'hh-rlhf.1') // 4 entries: 2 principles × AB, BA
 */
export function planJudgments(preferences: PreferencePrinciple[], count: number, position: PositionMode, seed: number, key: string): Array<{ principle: PreferencePrinciple; order: 'AB' | 'BA' }> {
  const random = seededRandom(hashText(`${seed}\u0000${key}\u0000feedback`));
  const pool = [...preferences];
  const chosen: PreferencePrinciple[] = [];
  while (chosen.length < Math.min(count, preferences.length)) chosen.push(pool.splice(Math.floor(random() * pool.length), 1)[0]!);
  return chosen.flatMap((principle) =>
    position === 'both' ? [{ principle, order: 'AB' as const }, { principle, order: 'BA' as const }] : [{ principle, order: random() < 0.5 ? ('AB' as const) : ('BA' as const) }],
  );
}

/** A feedback step's judgment: the letter, the probability of (A), how it was read, and the order undone. */
export function readJudgment(step: CaiStep, letters: readonly [string, string]): Judgment {
  const order = step.order ?? 'AB';
  const letter = step.content === '' ? null : step.content;
  const probabilityA = step.probabilityA ?? null;
  return {
    principle: step.principle ?? '',
    order,
    letter,
    probabilityFirst: probabilityA === null ? null : order === 'AB' ? probabilityA : 1 - probabilityA,
    labelSource: step.labelSource ?? (letter === null ? 'unparsed' : letter === letters[0] || letter === letters[1] ? 'parsed-letter' : 'unparsed'),
  };
}

/** Combine a pair's judgments into its soft label, label source and chosen answer. */
export function combineJudgments(judgments: Judgment[]): Pick<CaiPair, 'preference' | 'labelSource' | 'chosen'> {
  const readable = judgments.filter((judgment) => judgment.probabilityFirst !== null);
  if (readable.length === 0) return { preference: null, labelSource: 'none', chosen: null };
  const preference = readable.reduce((sum, judgment) => sum + judgment.probabilityFirst!, 0) / readable.length;
  const sources = new Set(readable.map((judgment) => judgment.labelSource));
  const labelSource = sources.size === 1 ? (readable[0]!.labelSource as 'logprobs' | 'parsed-letter') : 'mixed';
  return { preference, labelSource, chosen: preference > 0.5 ? 0 : preference < 0.5 ? 1 : null };
}

/** Whether a labelled pair may be trained on: it has a chosen answer, and that answer passes the revision guard. */
function guardPair(benign: boolean, labels: Pick<CaiPair, 'preference' | 'chosen'>, answers: CaiPair['answers']): { usable: boolean; reason?: GuardReason } {
  if (labels.preference === null) return { usable: false, reason: 'unlabelled' };
  if (labels.chosen === null) return { usable: false, reason: 'tie' };
  const chosen = answers[labels.chosen];
  return guardRevision(benign, chosen.text, chosen.verdict);
}

/**
 * Label one pair: sample the answers that are not known yet (judged like every answer), then ask the feedback model
 * the multiple-choice question under each planned principle and order. Each judgment's probability comes from the
 * choice letters' log-probabilities when the server returns them, else from the parsed letter (marked as such). The
 * soft label is the mean over judgments, the order undone; a pair whose chosen answer refuses a benign request (or is
 * still harmful) is kept out of the training file.
 *
 * @example
 * const made = await performPrefsUnit(unit, run, signal, context);
 */
export async function performPrefsUnit(unit: PrefsUnit, run: CaiRunRecord, signal: AbortSignal, context: PrefsContext): Promise<{ unit: CaiPair; replayedSteps: number } | 'deferred' | undefined> {
  const steps = new UnitSteps({ store: context.store, layer: context.layer, runId: run.id, unitKey: unit.key, position: unit.index, signal });
  const letters = context.framing.choiceLetters;
  const base = unitRecordBase(unit, run.id);
  const answers: CaiPair['answers'] = [{ origin: unit.answers[0].origin, text: '', verdict: null }, { origin: unit.answers[1].origin, text: '', verdict: null }];
  const judgments: Judgment[] = [];
  let stage = 'sample';
  try {
    for (const [position, answer] of unit.answers.entries()) {
      if ('text' in answer) {
        answers[position] = { origin: answer.origin, text: answer.text, verdict: answer.verdict };
        continue;
      }
      stage = 'sample';
      const step = await steps.call({
        index: position, stage: 'sample', client: context.target, prompt: unit.prompt, parse: (text) => text,
        request: { messages: answer.messages, ...context.params, sample: answer.sample },
      });
      stage = 'judge';
      const verdict = await context.judge.judge({ behavior: unit.behavior, messages: answer.messages, attacks: [] }, { text: step.text, rawText: step.text, finishReason: step.finishReason }, { signal, scope: steps.scope });
      answers[position] = { origin: answer.origin, text: step.text, verdict };
    }
    stage = 'feedback';
    const planned = planJudgments(context.constitution.preferences, context.principlesPerPair, context.position, context.seed, unit.key);
    for (const [offset, { principle, order }] of planned.entries()) {
      const shown: [string, string] = order === 'AB' ? [answers[0].text, answers[1].text] : [answers[1].text, answers[0].text];
      const question = feedbackQuestion(context.framing, unit.prompt, principle, shown);
      const step = await steps.call({
        index: 2 + offset, stage: 'feedback', principle: principle.id, client: context.feedback, prompt: question,
        parse: (text) => parseChoiceLetter(text, letters) ?? '',
        request: { messages: [{ role: 'user', content: question }], temperature: 0, maxTokens: 16, ...(context.topLogprobs > 0 ? { topLogprobs: context.topLogprobs } : {}) },
        extra: (response: GenerateResponse) => {
          const fromLogprobs = choiceProbability(response.logprobs, letters);
          const letter = parseChoiceLetter(response.text, letters);
          if (fromLogprobs !== null) return { order, probabilityA: fromLogprobs, labelSource: 'logprobs' };
          if (letter !== null) return { order, probabilityA: letter === letters[0] ? 1 : 0, labelSource: 'parsed-letter' };
          return { order, probabilityA: null, labelSource: 'unparsed' };
        },
      });
      judgments.push(readJudgment(step, letters));
    }
  } catch (error) {
    if (signal.aborted || error instanceof AbortedError) return undefined;
    if (error instanceof CallDeferredError) return 'deferred';
    return {
      unit: { ...base, answers, judgments, preference: null, labelSource: 'none', chosen: null, guard: { usable: false, reason: 'error' }, error: { stage, message: (error as Error).message }, accounting: unitAccounting(steps.steps, steps.scope), finishedAt: new Date().toISOString() },
      replayedSteps: steps.replayed,
    };
  }
  const labels = combineJudgments(judgments);
  return {
    unit: { ...base, answers, judgments, ...labels, guard: guardPair(unit.behavior.benign, labels, answers), error: null, accounting: unitAccounting(steps.steps, steps.scope), finishedAt: new Date().toISOString() },
    replayedSteps: steps.replayed,
  };
}
