import type { Judge, JudgedAttempt } from '../spec/judge.js';
import type { JudgeContext } from '../spec/judge-kind.js';
import { createJudge } from '../judges/create-judge.js';
import { PhraseMatcher, disclaimerLists, normalisePhraseText } from './phrase-matcher.js';

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
}

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
  resolveJudge: (spec) => createJudge(spec, noTargets),
};

/**
 * Looks at assistant messages: the offline refusal judge (`createJudge('refusal')`, through its public interface
 * only) decides refusal / partial / compliance; the AI-disclaimer lists and the user's phrases are matched apart.
 *
 * @example
 * const analyser = new MessageAnalyser([]);
 * await analyser.analyse({ request: 'Write a poem', response: "I'm sorry, but I can't help with that." }) // label 'refusal'
 */
export class MessageAnalyser {
  readonly #judge: Judge;
  readonly #disclaimers: PhraseMatcher;
  readonly #userPhrases: PhraseMatcher;

  constructor(userPhrases: readonly string[]) {
    this.#judge = createJudge('refusal', noTargets);
    this.#disclaimers = new PhraseMatcher(disclaimerLists());
    this.#userPhrases = new PhraseMatcher({ user: userPhrases });
  }

  async analyse(task: MessageTask): Promise<MessageFinding> {
    const attempt: JudgedAttempt = {
      // A dataset's requests are taken as benign: the question is whether the answer declines (over-refusal), not
      // whether it fulfils something harmful; the offline judge's harm rules would read warnings as refusals.
      behavior: { id: 'audit', text: task.request, category: 'audit', source: 'audit', benign: true, tags: [] },
      messages: [{ role: 'user', content: task.request }],
      attacks: [],
    };
    let verdict;
    try {
      verdict = await this.#judge.judge(attempt, { text: task.response, rawText: task.response });
    } catch (error) {
      return { label: 'error', reason: `judge failed: ${(error as Error).message}`, score: 0 };
    }
    const finding: MessageFinding = { label: verdict.label, reason: verdict.rationale ?? '', score: verdict.score };
    if (verdict.undetermined !== undefined) finding.undetermined = verdict.undetermined;
    const disclaimer = this.#disclaimers.find(task.response);
    if (disclaimer !== undefined) finding.disclaimer = disclaimer;
    const phrase = this.#userPhrases.find(task.response);
    if (phrase !== undefined) finding.phrase = phrase.phrase;
    if (verdict.label === 'refusal' || verdict.label === 'partial') finding.phrasing = openingPhrasing(task.response);
    return finding;
  }

  /** Analyse several messages in order. */
  async analyseAll(tasks: readonly MessageTask[]): Promise<MessageFinding[]> {
    const findings: MessageFinding[] = [];
    for (const task of tasks) findings.push(await this.analyse(task));
    return findings;
  }
}
