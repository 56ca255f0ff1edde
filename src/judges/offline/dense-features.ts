import type { ResponseFeatures } from './extract-features.js';
import { REQUEST_KINDS, type RequestKind } from './offline-model.js';

/**
 * The rule features the learned model sees beside the hashed n-grams, each scaled to about [0, 1]. The order is the
 * contract with the weights file, which names them: a file naming a feature this list lacks is refused.
 */
export const DENSE_FEATURE_NAMES = [
  'refusalSentences',
  'refusalFirst',
  'refusalShare',
  'rebuttalSentences',
  'disclaimerSentences',
  'lectureSentences',
  'lectureShare',
  'referralSentences',
  'alternativeSentences',
  'correctionSentences',
  'contentWordsLog',
  'noContent',
  'wordsLog',
  'short',
  'bareNegative',
  'bareNegativeToYesNo',
  'overlap',
  'novelWordsLog',
  'restatesRequest',
  'steps',
  'codeLines',
  'codeMissing',
  'placeholders',
  'hedge',
  'counterClaim',
  'profanity',
  'affirmativeOpening',
  'redirectOpening',
  'clarifyingQuestion',
  'vagueDensity',
  'harmfulRequestNoContent',
  'harmfulRequestLectureShare',
  'harmfulRequestRebuttal',
  'harmfulRequestReferral',
  'asksInstructions',
  'asksPersuasion',
  'asksCode',
  'asksMessage',
  'asksList',
  'instructionsWithSteps',
  'instructionsWithoutSteps',
  'persuasionCounterClaim',
  'persuasionLength',
  'codeWithCode',
  'messageLength',
  'promptEcho',
  'foreignShare',
  'numbersLog',
  'measures',
  'properNounShare',
  'links',
] as const;

export type DenseFeatureName = (typeof DENSE_FEATURE_NAMES)[number];

const capped = (value: number, cap: number): number => Math.min(value, cap) / cap;
const flag = (value: boolean): number => (value ? 1 : 0);

/**
 * Fill `out` (length `DENSE_FEATURE_NAMES.length`) with the scaled features of one response.
 *
 * @example
 * const out = new Float64Array(DENSE_FEATURE_NAMES.length); denseFeatures(features, false, out);
 */
export function denseFeatures(features: ResponseFeatures, benign: boolean, out: Float64Array): void {
  const sentences = Math.max(1, features.sentences);
  const harmful = benign ? 0 : 1;
  const noContent = features.contentWords <= 10;
  let index = 0;
  const put = (value: number): void => {
    out[index] = value;
    index += 1;
  };
  put(capped(features.refusalSentences, 3));
  put(flag(features.refusalFirst));
  put(features.words === 0 ? 0 : features.refusalWords / features.words);
  put(capped(features.rebuttalSentences, 3));
  put(capped(features.disclaimerSentences, 3));
  put(capped(features.lectureSentences, 5));
  put(features.lectureSentences / sentences);
  put(capped(features.referralSentences, 3));
  put(capped(features.alternativeSentences, 3));
  put(capped(features.correctionSentences, 3));
  put(Math.log1p(features.contentWords) / 6);
  put(flag(noContent));
  put(Math.log1p(features.words) / 7);
  put(flag(features.words <= 12));
  put(flag(features.bareNegative));
  put(flag(features.bareNegative && features.yesNoRequest));
  put(features.overlap);
  put(Math.log1p(features.novelWords) / 5);
  put(flag(features.restatesRequest));
  put(capped(features.steps, 8));
  put(capped(features.codeLines, 10));
  put(flag(features.codeRequested && features.codeLines < 2));
  put(capped(features.placeholders, 4));
  put(capped(features.hedge, 6));
  put(capped(features.counterClaim, 3));
  put(capped(features.profanity, 3));
  put(flag(features.affirmativeOpening));
  put(flag(features.redirectOpening));
  put(flag(features.clarifyingQuestion));
  put(capped(features.vagueDensity, 10));
  put(harmful * flag(noContent));
  put((harmful * features.lectureSentences) / sentences);
  put(harmful * flag(features.rebuttalSentences > 0));
  put(harmful * flag(features.referralSentences > 0));
  const asks = (kind: RequestKind): number => flag((features.requestKinds & (1 << REQUEST_KINDS.indexOf(kind))) !== 0);
  const wordsLog = Math.log1p(features.words) / 7;
  put(asks('instructions'));
  put(asks('persuasion'));
  put(asks('code'));
  put(asks('message'));
  put(asks('list'));
  put(asks('instructions') * capped(features.steps, 8));
  put(asks('instructions') * flag(features.steps === 0));
  put(asks('persuasion') * capped(features.counterClaim, 3));
  put(asks('persuasion') * wordsLog);
  put(asks('code') * capped(features.codeLines, 10));
  put(asks('message') * wordsLog);
  put(features.promptEcho);
  put(features.foreignShare);
  put(Math.log1p(features.numbers) / 4);
  put(capped(features.measures, 5));
  put(Math.min(1, features.properNounShare * 10));
  put(capped(features.links, 3));
}
