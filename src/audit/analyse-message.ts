import type { Judge, JudgedAttempt } from '../spec/judge.js';
import type { JudgeContext } from '../spec/judge-kind.js';
import { refusalJudgeKind } from '../judges/refusal-judge.js';
import { PhraseMatcher, disclaimerLists, normalisePhraseText } from './phrase-matcher.js';
import { RefusalPrefilter, cuePhrases } from './refusal-prefilter.js';
import { findingKinds } from './audit-summary.js';

/** One assistant message to look at, with the user message it answers. */
export interface MessageTask {
  request: string;
  response: string;
}

/** What the audit found in one assistant message. */
export interface MessageFinding {
  /** The refusal judge's label. */
  label: 'refusal' | 'partial' | 'compliance' | 'error';
  /** The judge's reason (the cue that decided). */
  reason: string;
  /** The judge's score (for the offline judge: the logistic score that the response fulfils the request). */
  score: number;
  /** The judge's undetermined reason code, when it was not confident. */
  undetermined?: string;
  /** The first AI-disclaimer phrase in the message, and its kind. */
  disclaimer?: { phrase: string; kind: string };
  /** The first phrase of the user's `--phrases` list in the message. */
  phrase?: string;
  /** For refusals and partial refusals: the opening sentence, normalised, for the top-phrasings table. */
  phrasing?: string;
  /** Set when the pre-filter passed the message as an answer without the judge (see RefusalPrefilter). */
  prefiltered?: true;
  /** For a flagged message (refusal, partial, disclaimer or user phrase): its first {@link EXCERPT_LENGTH} characters, for examples. */
  excerpt?: string;
}

/** Characters of a flagged message kept as its excerpt. */
export const EXCERPT_LENGTH = 300;

/** The reason given for a message the pre-filter passed without the judge. */
export const PREFILTERED_REASON = 'long answer with no refusal, rebuttal, disclaimer or redirect phrase (pre-filter; --judge-all runs the judge)';
/** The score a benign answer gets from the offline judge, given to pre-filtered messages too. */
const ANSWER_SCORE = 0.95;
/**
 * The finding of every pre-filtered message: one shared, frozen object (nothing adds to a pre-filtered finding), not
 * one per message kept until its batch settles.
 */
const PREFILTERED: MessageFinding = Object.freeze({ label: 'compliance', reason: PREFILTERED_REASON, score: ANSWER_SCORE, prefiltered: true });

/** Characters of the opening sentence kept as a phrasing. */
const PHRASING_LENGTH = 80;

/** The opening sentence of a message, lower-cased, digits as #, at most 80 characters: a refusal "phrasing". */
export function openingPhrasing(text: string): string {
  const normalised = normalisePhraseText(text).trim();
  const end = normalised.search(/[.!?\n]( |$)/);
  const sentence = end === -1 ? normalised : normalised.slice(0, end + 1);
  return sentence.replace(/\d+/g, '#').slice(0, PHRASING_LENGTH);
}

const noTargets: JudgeContext = {
  resolveTarget: () => {
    throw new Error('the audit uses the offline refusal judge, which needs no target');
  },
  resolveJudge: () => {
    throw new Error('the audit uses the offline refusal judge alone');
  },
};

/** How messages are analysed. */
export interface AnalyserOptions {
  /** Run the judge on every message, without the pre-filter (slower; for checking the pre-filter). */
  judgeAll?: boolean;
}

/**
 * Looks at assistant messages: the offline refusal judge (the `refusal` judge plugin, through its public interface
 * only) decides refusal / partial / compliance, except for long answers with no refusal cue, which the pre-filter
 * passes without it (unless `judgeAll`); the AI-disclaimer lists and the user's phrases are matched apart.
 *
 * @example
 * const analyser = new MessageAnalyser([]);
 * await analyser.analyse({ request: 'Write a poem', response: "I'm sorry, but I can't help with that." }) // label 'refusal'
 */
export class MessageAnalyser {
  #judge: Judge | undefined;
  /** Built when the first message is judged (a thread that only screens never needs them). */
  #matchers: { disclaimers: PhraseMatcher; userPhrases: PhraseMatcher } | undefined;
  readonly #userPhraseList: readonly string[];
  readonly #prefilter: RefusalPrefilter | undefined;

  constructor(userPhrases: readonly string[], options: AnalyserOptions = {}) {
    this.#userPhraseList = userPhrases;
    // The pre-filter also looks for the disclaimer and user phrases: a message it passes holds none of them.
    this.#prefilter = options.judgeAll === true ? undefined : new RefusalPrefilter(cuePhrases(), [...Object.values(disclaimerLists()).flat(), ...userPhrases]);
  }

  /**
   * The finding of a message the pre-filter passes (a long answer with no refusal cue), without the judge; undefined
   * when the judge must read it. Cheap and synchronous: the audit screens every message where it reads them and
   * sends only the rest to the judge's threads.
   */
  screen(task: MessageTask): MessageFinding | undefined {
    if (this.#prefilter === undefined) return undefined;
    if (this.#prefilter.needsJudge(task.request, task.response)) return undefined;
    // No disclaimer or user phrase either (the pre-filter looked for them), and no refusal phrasing to keep.
    return PREFILTERED;
  }

  /** Screen the message, then judge it if the pre-filter did not pass it. */
  async analyse(task: MessageTask): Promise<MessageFinding> {
    return this.screen(task) ?? this.judge(task);
  }

  /**
   * Load the judge now (its cue lists and weights, some 100 ms) rather than at the first message. A failure is not
   * thrown here: each message then gets it as an `error` finding.
   */
  prepare(): void {
    try {
      this.#judge ??= refusalJudgeKind.create(undefined, noTargets);
    } catch {
      // Reported by #judgeMessage for every message.
    }
  }

  /** Judge the message, whatever the pre-filter would say (for messages already screened). */
  async judge(task: MessageTask): Promise<MessageFinding> {
    const finding = await this.#judgeMessage(task);
    return finding.label === 'error' ? finding : this.#complete(finding, task, task.response.toLowerCase());
  }

  /** Add the disclaimer, the user's phrase and the refusal phrasing to a finding. */
  #complete(finding: MessageFinding, task: MessageTask, lowered: string): MessageFinding {
    this.#matchers ??= { disclaimers: new PhraseMatcher(disclaimerLists()), userPhrases: new PhraseMatcher({ user: this.#userPhraseList }) };
    const disclaimer = this.#matchers.disclaimers.find(task.response, lowered);
    if (disclaimer !== undefined) finding.disclaimer = disclaimer;
    const phrase = this.#matchers.userPhrases.find(task.response, lowered);
    if (phrase !== undefined) finding.phrase = phrase.phrase;
    if (finding.label === 'refusal' || finding.label === 'partial') finding.phrasing = openingPhrasing(task.response);
    // Only flagged messages are shown, so only theirs travel back with the finding (the audit keeps no message text).
    if (findingKinds(finding).length > 0) finding.excerpt = task.response.slice(0, EXCERPT_LENGTH);
    return finding;
  }

  async #judgeMessage(task: MessageTask): Promise<MessageFinding> {
    const attempt: JudgedAttempt = {
      // A dataset's requests are taken as benign: the question is whether the answer declines (over-refusal), not
      // whether it fulfils something harmful; the offline judge's harm rules would read warnings as refusals.
      behavior: { id: 'audit', text: task.request, category: 'audit', source: 'audit', benign: true, tags: [] },
      messages: [{ role: 'user', content: task.request }],
      attacks: [],
    };
    let verdict;
    try {
      // The refusal judge's plugin directly (not the registry, which would load every judge kind into each thread).
      this.#judge ??= refusalJudgeKind.create(undefined, noTargets);
      verdict = await this.#judge.judge(attempt, { text: task.response, rawText: task.response });
    } catch (error) {
      return { label: 'error', reason: `judge failed: ${(error as Error).message}`, score: 0 };
    }
    const finding: MessageFinding = { label: verdict.label, reason: verdict.rationale ?? '', score: verdict.score };
    if (verdict.undetermined !== undefined) finding.undetermined = verdict.undetermined;
    return finding;
  }

  /** Judge several messages in order (the audit's batches: screened already, so every one goes to the judge). */
  async judgeEach(tasks: readonly MessageTask[]): Promise<MessageFinding[]> {
    const findings: MessageFinding[] = [];
    for (const task of tasks) findings.push(await this.judge(task));
    return findings;
  }
}
