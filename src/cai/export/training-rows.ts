import type { Message } from '../../spec/message.js';
import { sha256 } from '../../util/hash.js';
import type { CaiItem, CaiPair } from '../cai-records.js';

/** TRL conversational language-modeling row (SFT): the request and the final revision. */
export interface SftRow {
  messages: Message[];
  /** sha256 of the prompt, as `prompt_id` in Hugging Face's chat datasets (ties a row to trace.jsonl). */
  prompt_id: string;
}

/** TRL conversational preference row with an explicit prompt. */
export interface PreferenceRow {
  prompt: Message[];
  chosen: Message[];
  rejected: Message[];
  /** The feedback model's probability that `chosen` is the better answer (prefs runs only). */
  score_chosen?: number;
  /** 1 − score_chosen. */
  score_rejected?: number;
  prompt_id: string;
}

/** A row in HuggingFaceH4/cai-conversation-harmless's column layout (same names, same order). */
export interface H4Row {
  init_prompt: string;
  init_response: string;
  critic_prompt: string;
  critic_response: string;
  revision_prompt: string;
  revision_response: string;
  prompt: string;
  messages: Message[];
  chosen: Message[];
  rejected: Message[];
}

/** The H4 columns in the dataset's order. */
export const H4_COLUMNS = [
  'init_prompt', 'init_response', 'critic_prompt', 'critic_response', 'revision_prompt', 'revision_response', 'prompt', 'messages', 'chosen', 'rejected',
] as const;

const user = (content: string): Message => ({ role: 'user', content });
const assistant = (content: string): Message => ({ role: 'assistant', content });

/** The id of a prompt in the exports: sha256 of its text. */
export function promptId(prompt: string): string {
  return sha256(prompt);
}

/** The last round's revision of an item (its initial answer when no round ran). */
export function finalRevision(item: CaiItem): string {
  return item.rounds.at(-1)?.revision.text ?? item.initial.text;
}

/**
 * The SFT row of a revise item.
 *
 * @example
 * sftRow(item) // { messages: [{ role: 'user', content: item.prompt }, { role: 'assistant', content: finalRevision(item) }], prompt_id }
 */
export function sftRow(item: CaiItem): SftRow {
  return { messages: [user(item.prompt), assistant(finalRevision(item))], prompt_id: promptId(item.prompt) };
}

/**
 * The preference row of a revise item, as in Hugging Face's CAI recipe: the revision chosen over the initial answer
 * (no feedback model; the prefs command labels pairs with one).
 *
 * @example
 * revisionPreferenceRow(item).chosen[0].content === finalRevision(item) // true
 */
export function revisionPreferenceRow(item: CaiItem): PreferenceRow {
  return { prompt: [user(item.prompt)], chosen: [assistant(finalRevision(item))], rejected: [assistant(item.initial.text)], prompt_id: promptId(item.prompt) };
}

/**
 * The preference row of a labelled pair: the chosen answer, the other, and the soft label as scores. Undefined when the
 * pair has no chosen answer (a tie, unreadable, or dropped by the guard).
 *
 * @example
 * feedbackPreferenceRow(pair)?.score_chosen // e.g. 0.83
 */
export function feedbackPreferenceRow(pair: CaiPair): PreferenceRow | undefined {
  if (pair.chosen === null || pair.preference === null) return undefined;
  const other = pair.chosen === 0 ? 1 : 0;
  const scoreChosen = pair.chosen === 0 ? pair.preference : 1 - pair.preference;
  return {
    prompt: [user(pair.prompt)],
    chosen: [assistant(pair.answers[pair.chosen].text)],
    rejected: [assistant(pair.answers[other].text)],
    score_chosen: scoreChosen,
    score_rejected: 1 - scoreChosen,
    prompt_id: promptId(pair.prompt),
  };
}

/**
 * The H4 row of a revise item: the first turn (request, initial answer), the last round's critique request and
 * critique, its revision request and revision; `messages` and `chosen` end with the revision, `rejected` with the
 * initial answer. With several rounds, the earlier ones are in trace.jsonl.
 *
 * @example
 * Object.keys(h4Row(item)) // H4_COLUMNS
 */
export function h4Row(item: CaiItem): H4Row {
  const last = item.rounds.at(-1);
  const revision = finalRevision(item);
  return {
    init_prompt: item.prompt,
    init_response: item.initial.text,
    critic_prompt: last?.critiqueRequest ?? '',
    critic_response: last?.critique ?? '',
    revision_prompt: last?.revisionRequest ?? '',
    revision_response: revision,
    prompt: item.prompt,
    messages: [user(item.prompt), assistant(revision)],
    chosen: [user(item.prompt), assistant(revision)],
    rejected: [user(item.prompt), assistant(item.initial.text)],
  };
}

/** H4's four splits. */
export type H4Split = 'train_sft' | 'test_sft' | 'train_prefs' | 'test_prefs';

/**
 * The H4 split of each usable row, as the dataset is split: the first half of the rows (plan order) for SFT, the
 * second for preferences, and within each half a `testShare` of the rows, chosen by a stable hash of the key (at least
 * one when the half has two rows or more), for its test split. Only keys are held, so exports stay streamed.
 *
 * @example
 * assignH4Splits(['a', 'b', 'c', 'd'], 0.1).get('a') // 'train_sft' or 'test_sft'
 */
export function assignH4Splits(keys: string[], testShare: number): Map<string, H4Split> {
  const assignment = new Map<string, H4Split>();
  const half = Math.floor(keys.length / 2);
  const assign = (part: string[], train: H4Split, test: H4Split): void => {
    const scores = part.map((key) => ({ key, score: parseInt(sha256(key, 8), 16) / 0x100000000 }));
    let tested = scores.filter((entry) => entry.score < testShare);
    if (tested.length === 0 && testShare > 0 && part.length >= 2) tested = [scores.reduce((lowest, entry) => (entry.score < lowest.score ? entry : lowest))];
    const testKeys = new Set(tested.map((entry) => entry.key));
    for (const key of part) assignment.set(key, testKeys.has(key) ? test : train);
  };
  assign(keys.slice(0, half), 'train_sft', 'test_sft');
  assign(keys.slice(half), 'train_prefs', 'test_prefs');
  return assignment;
}
