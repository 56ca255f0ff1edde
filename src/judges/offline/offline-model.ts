import { readFileSync } from 'node:fs';
import { DatasetError } from '../../spec/errors.js';
import { dataPath } from '../../util/paths.js';

/** Numbers of the offline judge, read from data/judges/offline-weights.json (meanings in docs/judges.md). */
export interface OfflineWeights {
  headCharacters: number;
  openingCharacters: number;
  bias: number;
  refusalHead: number;
  refusalLate: number;
  refusalCap: number;
  disclaimerHead: number;
  disclaimerAll: number;
  disclaimerHeadCap: number;
  disclaimerAllCap: number;
  overlap: number;
  lengthPer100Words: number;
  lengthCapWords: number;
  hedge: number;
  hedgeCap: number;
  counterClaim: number;
  counterClaimCap: number;
  steps: number;
  stepsCap: number;
  missingCode: number;
  vagueDensity: number;
  vagueCentre: number;
  placeholder: number;
  placeholderCap: number;
  clarifyingQuestion: number;
  clarifyingQuestionMaxWords: number;
  partialMinWordsAfterRefusal: number;
  nonAnswerMaxNovelWords: number;
  harmfulThreshold: number;
  affirmativeOpening: number;
  profanity: number;
  profanityCap: number;
}

/** Cue lists compiled into matchers, plus the weights. */
export interface OfflineModel {
  weights: OfflineWeights;
  refusal: RegExp;
  /** Phrases that look like refusals but are not ("sorry to hear"): blanked out before refusals are matched. */
  notRefusal: RegExp;
  /** Openings that reject the request's premise ("it is not appropriate to…"): refusals only at the very start. */
  rejectOpening: RegExp;
  disclaimer: RegExp;
  hedge: RegExp;
  /** Phrases that argue against the request's premise or point to safe alternatives. */
  counterClaim: RegExp;
  redirect: RegExp;
  pivot: RegExp;
  /** Openings that start to help ("sure", "here are"). */
  affirmativeOpening: RegExp;
  /** Insults and profanity (fulfilment of requests for abusive text). */
  profanity: RegExp;
  /** Vague words, matched as whole tokens. */
  vagueWords: Set<string>;
  codeRequest: RegExp;
  placeholder: RegExp;
  stopwords: Set<string>;
}

interface CueFile {
  refusal: Record<string, string[]>;
  notRefusal: string[];
  rejectOpening: string[];
  disclaimer: string[];
  hedge: string[];
  counterClaim: string[];
  redirect: string[];
  pivot: string[];
  affirmativeOpening: string[];
  profanity: string[];
  vague: string[];
  codeRequest: string[];
  stopwords: string[];
  placeholder: string;
}

const escape = (phrase: string): string => phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Characters that count as part of a word for phrase boundaries: Latin, Greek, Cyrillic letters and digits. */
export const WORD_CHARACTER = /[a-z0-9\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff]/;

/**
 * One global matcher for a phrase list (longest first). `whole` phrases must also end on a word boundary; the start
 * boundary is checked by the caller (`nextPhrase`), because a lookbehind at the front of a large alternation stops
 * V8 from scanning quickly for the phrases' first characters. Not Unicode-mode, which is much faster.
 */
function phraseMatcher(phrases: string[], boundary: 'whole' | 'start'): RegExp {
  const sorted = [...new Set(phrases.map((phrase) => phrase.toLowerCase()))].sort((left, right) => right.length - left.length);
  const body = sorted.map(escape).join('|');
  return new RegExp(boundary === 'whole' ? `(?:${body})(?![a-z0-9\\u00c0-\\u024f\\u0370-\\u03ff\\u0400-\\u04ff])` : `(?:${body})`, 'g');
}

/**
 * The next match of a phrase matcher at or after `from` that starts on a word boundary, or null.
 *
 * @example
 * nextPhrase(loadOfflineModel().refusal, "hi can't, i can't", 0)?.index // 10
 */
export function nextPhrase(pattern: RegExp, text: string, from = 0): RegExpExecArray | null {
  pattern.lastIndex = from;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    if (match.index === 0 || !WORD_CHARACTER.test(text[match.index - 1])) return match;
    pattern.lastIndex = match.index + 1;
  }
  return null;
}

function readJson<T>(file: string): T {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (error) {
    throw new DatasetError(`cannot read offline judge data: ${(error as Error).message}`, file);
  }
}

let cached: OfflineModel | undefined;

/**
 * The offline judge's cue lists and weights, read once from data/judges/.
 *
 * @example
 * loadOfflineModel().refusal.test("i can't help with that")
 */
export function loadOfflineModel(): OfflineModel {
  if (cached) return cached;
  const cues = readJson<CueFile>(dataPath('judges', 'offline-cues.json'));
  const weights = readJson<OfflineWeights>(dataPath('judges', 'offline-weights.json'));
  cached = {
    weights,
    refusal: phraseMatcher(Object.values(cues.refusal).flat(), 'start'),
    notRefusal: phraseMatcher(cues.notRefusal, 'start'),
    rejectOpening: phraseMatcher(cues.rejectOpening, 'whole'),
    disclaimer: phraseMatcher(cues.disclaimer, 'whole'),
    hedge: phraseMatcher(cues.hedge, 'whole'),
    counterClaim: phraseMatcher(cues.counterClaim, 'start'),
    redirect: phraseMatcher(cues.redirect, 'whole'),
    pivot: phraseMatcher(cues.pivot, 'start'),
    affirmativeOpening: phraseMatcher(cues.affirmativeOpening, 'whole'),
    profanity: phraseMatcher(cues.profanity, 'start'),
    vagueWords: new Set(cues.vague.map((word) => word.toLowerCase())),
    codeRequest: phraseMatcher(cues.codeRequest, 'whole'),
    placeholder: new RegExp(cues.placeholder, 'giu'),
    stopwords: new Set(cues.stopwords),
  };
  return cached;
}
