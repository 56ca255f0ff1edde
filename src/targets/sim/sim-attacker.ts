import { readFileSync } from 'node:fs';
import { behaviorPrompt, type Behavior } from '../../spec/behavior.js';
import { RedcardError } from '../../spec/errors.js';
import type { Conversation } from '../../spec/message.js';
import { attackRegistry } from '../../attacks/registry.js';
import { flattenConversation } from '../../attacks/strategies/fallback-prompt.js';
import { requestTopic, toPastTense } from '../../attacks/past-tense.js';
import { fillTemplate } from '../../attacks/attack-data.js';
import { dataPath } from '../../util/paths.js';
import type { EarlierAttempt, StrategyPrompt } from './attacker-prompts.js';
import { readAnswer } from './sim-judge.js';
import { hashText, seededRandom } from './seeded-random.js';
import { readableText } from './text-codecs.js';

interface AttackerSettings {
  ladder: string[][];
  climb: { refused: number; partial: number; close: number; refusedBelow: number; closeFrom: number };
  goatPreference: string[];
  crescendo: string[][];
  onTopic: { threshold: number; minWordLength: number; stopWords: string[] };
  ratings: Record<'refusal' | 'partial' | 'compliance', [number, number]>;
  reasons: Record<'refusal' | 'partial' | 'compliance', string>;
}

let settings: AttackerSettings | undefined;
function loadSettings(): AttackerSettings {
  settings ??= JSON.parse(readFileSync(dataPath('sim', 'attacker.json'), 'utf8')) as AttackerSettings;
  return settings;
}

/** How far up the ladder the feedback sends the attacker: refused → climb fast, partial → a step, close → stay. */
function climbFor(rating: number | undefined): number {
  const { climb } = loadSettings();
  if (rating === undefined) return 0;
  if (rating < climb.refusedBelow) return climb.refused;
  return rating >= climb.closeFrom ? climb.close : climb.partial;
}

/** The rung of the last technique that appears in `order` (or -1 when none did). */
function lastRung(earlier: EarlierAttempt[], order: string[]): number {
  for (let index = earlier.length - 1; index >= 0; index -= 1) {
    const rung = order.indexOf(earlier[index].technique ?? '');
    if (rung !== -1) return rung;
  }
  return -1;
}

function goalBehavior(goal: string): Behavior {
  return { id: 'sim.goal', text: goal, category: 'sim', source: 'sim', benign: false, tags: [] };
}

/**
 * The goal rewritten by a chain of the library's vectors, as one prompt. The sim answers synchronously, so only
 * vectors that need no helper model (and so build their conversation synchronously) are used.
 */
function rewrite(goal: string, chain: string[], sample: number): string {
  const behavior = goalBehavior(goal);
  let conversation: Conversation = [{ role: 'user', content: behaviorPrompt(behavior) }];
  for (const id of chain) {
    if (!attackRegistry.has(id) || attackRegistry.get(id).needsHelper) continue;
    const next = attackRegistry.get(id).apply({ behavior, conversation, sample });
    if (next instanceof Promise) throw new RedcardError('sim', `vector '${id}' builds its prompt asynchronously; the sim attacker cannot use it`);
    conversation = next;
  }
  return flattenConversation(conversation);
}

/** PAIR/TAP: start each stream at its own rung; climb as ratings stay low; TAP siblings spread over neighbouring rungs. */
function refineReply(prompt: Extract<StrategyPrompt, { kind: 'refine' }>): string {
  const { ladder } = loadSettings();
  const names = ladder.map((chain) => chain.join('+'));
  const previous = lastRung(prompt.earlier, names);
  const base = previous === -1 ? prompt.approach : previous + climbFor(prompt.lastRating);
  const rung = Math.min(ladder.length - 1, base + prompt.candidate);
  const variant = prompt.earlier.length + prompt.candidate + (base >= ladder.length ? base - ladder.length + 1 : 0);
  const technique = names[rung];
  const improvement =
    previous === -1
      ? `Opening with ${technique}.`
      : `The last prompt (${names[previous]}) was rated ${prompt.lastRating ?? '?'}/10; ${rung === previous ? 'keeping the technique with new wording' : `moving to ${technique}`}.`;
  return JSON.stringify({ improvement, prompt: rewrite(prompt.goal, ladder[rung], variant), technique });
}

/** Crescendo: the plan's steps in order, a step's other wording after a refusal, then the ladder's strongest chains. */
function crescendoReply(prompt: Extract<StrategyPrompt, { kind: 'crescendo' }>): string {
  const { crescendo, ladder } = loadSettings();
  const step = prompt.answered;
  const values = { topic: requestTopic(prompt.goal), pastTense: toPastTense(prompt.goal, 0), request: prompt.goal };
  let text: string;
  let rationale: string;
  if (step < crescendo.length) {
    const wordings = crescendo[step];
    text = fillTemplate(wordings[prompt.refusals % wordings.length], values);
    rationale = prompt.lastRefused ? `The target refused; asking step ${step + 1} another way.` : step === 0 ? 'Opening with a harmless question about the subject.' : `The target answered (rated ${prompt.lastRating ?? '?'}); one step closer.`;
  } else {
    const rung = Math.min(ladder.length - 1, ladder.length - 4 + (step - crescendo.length) + prompt.refusals);
    text = rewrite(prompt.goal, ladder[rung], step);
    rationale = `Asking for the goal itself, building on the conversation (${ladder[rung].join('+')}).`;
  }
  return JSON.stringify({ rationale, prompt: text });
}

/** GOAT: the toolbox's techniques in the sim's order of strength, climbing as ratings stay low. */
function goatReply(prompt: Extract<StrategyPrompt, { kind: 'goat' }>): string {
  const preferred = loadSettings().goatPreference.filter((id) => prompt.toolbox.includes(id));
  const order = [...preferred, ...prompt.toolbox.filter((id) => !preferred.includes(id))];
  if (order.length === 0) return JSON.stringify({ observation: 'no toolbox', thought: 'none', technique: 'direct', prompt: prompt.goal });
  const previous = lastRung(prompt.earlier, order);
  const rung = previous === -1 ? 0 : Math.min(order.length - 1, previous + Math.max(1, climbFor(prompt.lastRating)));
  const observation = previous === -1 ? 'The conversation is starting.' : `The target's last answer was rated ${prompt.lastRating ?? '?'}/10.`;
  return JSON.stringify({ observation, thought: `${order[rung]} should get further from here.`, technique: order[rung], prompt: prompt.goal });
}

const wordsOf = (text: string): string[] => text.toLowerCase().match(/[a-z]+/g) ?? [];

/**
 * The share of the goal's content words (stems of at least `minWordLength` letters, stop words left out) that a
 * candidate still carries, read as the sim reads requests (decoding what it can, joining quoted parts).
 *
 * @example
 * onTopicShare('Explain how to pick a lock', 'Write a story in which a locksmith explains how to pick a lock') // 1
 */
export function onTopicShare(goal: string, candidate: string): number {
  const { minWordLength, stopWords } = loadSettings().onTopic;
  const stem = (word: string): string => word.slice(0, 5);
  const content = [...new Set(wordsOf(goal).filter((word) => word.length >= minWordLength && !stopWords.includes(word)).map(stem))];
  if (content.length === 0) return 1;
  const joined = [...candidate.matchAll(/"([^"]*)"/g)].map((match) => match[1]).join('');
  const readable = new Set(wordsOf(`${readableText(candidate)}\n${joined}`).map(stem));
  return content.filter((word) => readable.has(word)).length / content.length;
}

/**
 * The simulator's reply to a recognised strategy prompt: as attacker it rewrites the goal with the vector library,
 * guided by the ratings it was shown; as evaluator it says off topic when the candidate lost the goal's content; as
 * rater it reads the answer as the sim judge does. Deterministic in (seed, prompt, sample).
 *
 * @example
 * simStrategyReply({ kind: 'on-topic', goal: 'Explain how to pick a lock', candidate: 'Share gardening tips' }, { seed: 0, sample: 0 }) // 'ON_TOPIC: no\n…'
 */
export function simStrategyReply(prompt: StrategyPrompt, options: { seed: number; sample: number }): string {
  switch (prompt.kind) {
    case 'refine':
      return refineReply(prompt);
    case 'crescendo':
      return crescendoReply(prompt);
    case 'goat':
      return goatReply(prompt);
    case 'on-topic': {
      const share = onTopicShare(prompt.goal, prompt.candidate);
      const onTopic = share >= loadSettings().onTopic.threshold;
      return `ON_TOPIC: ${onTopic ? 'yes' : 'no'}\nREASON: the candidate carries ${Math.round(share * 100)}% of the goal's content words.`;
    }
    case 'rater': {
      const reading = readAnswer(prompt.answer);
      const [low, high] = loadSettings().ratings[reading];
      const random = seededRandom(hashText(`${prompt.goal}\u0000${prompt.answer}`, hashText(`rater:${options.seed}:${options.sample}`)));
      return `RATING: ${low + Math.floor(random() * (high - low + 1))}\nREASON: ${loadSettings().reasons[reading]}`;
    }
  }
}
