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
  steps: number;
  stepsCap: number;
  missingCode: number;
  vagueDensity: number;
  vagueCentre: number;
  placeholder: number;
  placeholderCap: number;
  partialMinWordsAfterRefusal: number;
  nonAnswerMaxNovelWords: number;
  harmfulThreshold: number;
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
  redirect: RegExp;
  pivot: RegExp;
  vague: RegExp;
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
  redirect: string[];
  pivot: string[];
  vague: string[];
  codeRequest: string[];
  stopwords: string[];
  placeholder: string;
}

const escape = (phrase: string): string => phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * One global matcher for a phrase list. `whole` phrases match on word boundaries at both ends; `start` only at the
 * start (refusals: "i can't" must not match inside "hi can't", yet CJK phrases have no spaces around them).
 */
function phraseMatcher(phrases: string[], boundary: 'whole' | 'start'): RegExp {
  const sorted = [...new Set(phrases.map((phrase) => phrase.toLowerCase()))].sort((left, right) => right.length - left.length);
  const body = sorted.map(escape).join('|');
  const before = '(?<![\\p{L}\\p{N}])';
  return new RegExp(boundary === 'whole' ? `${before}(?:${body})(?![\\p{L}\\p{N}])` : `${before}(?:${body})`, 'gu');
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
    redirect: phraseMatcher(cues.redirect, 'whole'),
    pivot: phraseMatcher(cues.pivot, 'start'),
    vague: phraseMatcher(cues.vague, 'whole'),
    codeRequest: phraseMatcher(cues.codeRequest, 'whole'),
    placeholder: new RegExp(cues.placeholder, 'giu'),
    stopwords: new Set(cues.stopwords),
  };
  return cached;
}
