import { agreementMetrics, countPair, emptyConfusion, type ConfusionMatrix } from '../../eval/metrics.js';
import { judgeOffline } from '../../refusal-judge.js';
import type { LearnedModel } from '../learned-model.js';
import type { OfflineModel } from '../offline-model.js';
import { compileTrained, trainOneModel, type TrainedModel } from './train-offline-judge.js';
import { groupFolds, type OfflineTrainingSettings } from './fit-offline-models.js';
import type { FeaturisedExample } from './featurise-examples.js';

/** Agreement of the whole judge (rules + learned model) with held-out labels. */
export interface HeldOutScore {
  /** What the models were trained on, and what was tested. */
  trainedOn: string;
  testedOn: string;
  /** `refusal` (label is not compliance vs human refusal/partial) or `harm` (harmful vs label). */
  task: 'refusal' | 'harm';
  /** Whether the test labels come from people. */
  humanLabels: boolean;
  n: number;
  undetermined: number;
  /** Share of items the judge decided. */
  coverage: number;
  /** Agreement on the decided items. */
  accuracy: number;
  /** Agreement counting undetermined items as wrong. */
  accuracyAll: number;
  kappa: number;
  precision: number;
  recall: number;
  /** Counts on the decided items (positive = refusal, or harmful). */
  confusion: ConfusionMatrix;
}

/** Featurised rows of each dataset (from `featuriseExamples`). */
export interface FeaturisedCorpus {
  xstest: FeaturisedExample[];
  harmbench: FeaturisedExample[];
  jailbreakbench: FeaturisedExample[];
  gpteacher: FeaturisedExample[];
}

/**
 * Score the judge on rows it was not trained on.
 *
 * @example
 * scoreHeldOut(model, learned, rows, 'refusal', 'xstest/llama2 + gpteacher', 'xstest/gpt4')
 */
export function scoreHeldOut(model: OfflineModel, learned: LearnedModel, rows: FeaturisedExample[], task: 'refusal' | 'harm', trainedOn: string, testedOn: string): HeldOutScore {
  const matrix = emptyConfusion();
  let undetermined = 0;
  let human = true;
  for (const { example } of rows) {
    const truth = task === 'refusal' ? example.refusal !== 'compliance' : example.harmful === true;
    human &&= example.human;
    const verdict = judgeOffline(model, example.attempt, example.response, 'refusal', learned);
    if (verdict.undetermined !== undefined || (task === 'harm' && verdict.harmful === null)) {
      undetermined += 1;
      continue;
    }
    countPair(matrix, task === 'refusal' ? verdict.label !== 'compliance' : verdict.harmful === true, truth);
  }
  return summarise(matrix, rows.length, undetermined, task, human, trainedOn, testedOn);
}

function summarise(matrix: ConfusionMatrix, n: number, undetermined: number, task: 'refusal' | 'harm', humanLabels: boolean, trainedOn: string, testedOn: string): HeldOutScore {
  const metrics = agreementMetrics(matrix);
  return {
    trainedOn,
    testedOn,
    task,
    humanLabels,
    n,
    undetermined,
    coverage: n === 0 ? 0 : (n - undetermined) / n,
    accuracy: metrics.accuracy,
    accuracyAll: n === 0 ? 0 : (matrix.truePositive + matrix.trueNegative) / n,
    kappa: metrics.kappa,
    precision: metrics.precision,
    recall: metrics.recall,
    confusion: matrix,
  };
}

/** Pool several scores of one task (the folds of a cross-validation) by adding their counts. */
export function poolScores(scores: HeldOutScore[], trainedOn: string, testedOn: string): HeldOutScore {
  const matrix = emptyConfusion();
  for (const score of scores) {
    matrix.truePositive += score.confusion.truePositive;
    matrix.falsePositive += score.confusion.falsePositive;
    matrix.trueNegative += score.confusion.trueNegative;
    matrix.falseNegative += score.confusion.falseNegative;
  }
  const n = scores.reduce((sum, score) => sum + score.n, 0);
  const undetermined = scores.reduce((sum, score) => sum + score.undetermined, 0);
  return summarise(matrix, n, undetermined, scores[0].task, scores.every((score) => score.humanLabels), trainedOn, testedOn);
}

/** Similar behavior texts (Jaccard ≥ 0.4 of 5-letter stems): JailbreakBench reuses some HarmBench behaviors. */
function similarBehaviors(left: string, right: Set<string>[]): boolean {
  const stems = new Set((left.toLowerCase().match(/[a-z']{3,}/g) ?? []).map((word) => word.slice(0, 5)));
  return right.some((other) => {
    let shared = 0;
    for (const stem of stems) if (other.has(stem)) shared += 1;
    return shared / Math.max(1, stems.size + other.size - shared) >= 0.4;
  });
}
const stemSet = (text: string): Set<string> => new Set((text.toLowerCase().match(/[a-z']{3,}/g) ?? []).map((word) => word.slice(0, 5)));

/** Which held-out splits to run. */
export interface HeldOutOptions {
  /** Leave one XSTest model out (refusal). */
  leaveOneModelOut?: boolean;
  /** XSTest prompt types held out (refusal). */
  unseenPromptTypes?: boolean;
  /** HarmBench cross-validation grouped by behavior (harm). */
  harmbenchFolds?: number;
  /** Train on one harm dataset, test on the other (harm). */
  crossDataset?: boolean;
  onProgress?: (message: string) => void;
}

/**
 * The held-out evaluation the training script records and the tests assert: every figure is measured on rows
 * the models (and their bands) were not trained on.
 *
 * @example
 * const scores = evaluateHeldOut(model, corpus, DEFAULT_TRAINING_SETTINGS, { leaveOneModelOut: true, harmbenchFolds: 5 });
 */
export function evaluateHeldOut(model: OfflineModel, corpus: FeaturisedCorpus, settings: OfflineTrainingSettings, options: HeldOutOptions): HeldOutScore[] {
  const progress = options.onProgress ?? (() => undefined);
  const scores: HeldOutScore[] = [];
  let harmWithoutXstest: TrainedModel | undefined;
  const sharedHarm = (): TrainedModel => (harmWithoutXstest ??= trainOneModel([...corpus.harmbench, ...corpus.jailbreakbench], 'harm', settings));
  let refusalWithoutHarmbench: TrainedModel | undefined;
  const sharedRefusal = (): TrainedModel => (refusalWithoutHarmbench ??= trainOneModel([...corpus.xstest, ...corpus.gpteacher], 'refusal', settings));

  if (options.leaveOneModelOut) {
    const models = [...new Set(corpus.xstest.map((row) => row.example.model))].sort();
    for (const held of models) {
      progress(`refusal: training without xstest/${held}`);
      const training = corpus.xstest.filter((row) => row.example.model !== held);
      const refusal = trainOneModel([...training, ...corpus.gpteacher], 'refusal', settings);
      const learned = compileTrained(settings, refusal, sharedHarm());
      const others = models.filter((name) => name !== held).map((name) => `xstest/${name}`).join(', ');
      scores.push(scoreHeldOut(model, learned, corpus.xstest.filter((row) => row.example.model === held), 'refusal', `${others} + gpteacher (refusal); harmbench + jailbreakbench (harm)`, `xstest/${held}`));
    }
  }
  if (options.unseenPromptTypes) {
    // Folds of prompt types, each safe type with its unsafe contrast, so neither kind of prompt is seen in training.
    const typeOf = (row: FeaturisedExample): string => row.example.attempt.behavior.category.replace(/^contrast_/, '');
    const types = [...new Set(corpus.xstest.map(typeOf))].sort();
    const folds = 3;
    const foldScores: HeldOutScore[] = [];
    for (let fold = 0; fold < folds; fold += 1) {
      const held = new Set(types.filter((_, index) => index % folds === fold));
      progress(`refusal: training without xstest prompt types ${[...held].join(', ')}`);
      const refusal = trainOneModel([...corpus.xstest.filter((row) => !held.has(typeOf(row))), ...corpus.gpteacher], 'refusal', settings);
      const learned = compileTrained(settings, refusal, sharedHarm());
      foldScores.push(scoreHeldOut(model, learned, corpus.xstest.filter((row) => held.has(typeOf(row))), 'refusal', '', ''));
    }
    scores.push(poolScores(foldScores, 'xstest (both models) on the other prompt types + gpteacher', 'xstest, unseen prompt types (3 folds of 6 types)'));
  }
  if (options.harmbenchFolds) {
    const folds = options.harmbenchFolds;
    const foldOf = groupFolds(corpus.harmbench, folds, settings.seed);
    const foldScores: HeldOutScore[] = [];
    for (let fold = 0; fold < folds; fold += 1) {
      progress(`harm: HarmBench fold ${fold + 1} of ${folds}`);
      const test = corpus.harmbench.filter((_, index) => foldOf[index] === fold);
      const testBehaviors = [...new Set(test.map((row) => row.example.attempt.behavior.text))].map(stemSet);
      const jailbreak = corpus.jailbreakbench.filter((row) => !similarBehaviors(row.example.attempt.behavior.text, testBehaviors));
      const harm = trainOneModel([...corpus.harmbench.filter((_, index) => foldOf[index] !== fold), ...jailbreak, ...corpus.xstest], 'harm', settings);
      foldScores.push(scoreHeldOut(model, compileTrained(settings, sharedRefusal(), harm), test, 'harm', '', ''));
    }
    scores.push(poolScores(foldScores, `harmbench (other folds) + jailbreakbench (similar behaviors removed) + xstest refusals`, `harmbench, ${folds}-fold cross-validation grouped by behavior`));
  }
  if (options.crossDataset) {
    progress('harm: trained without HarmBench');
    const noHarmbench = trainOneModel([...corpus.jailbreakbench, ...corpus.xstest], 'harm', settings);
    scores.push(scoreHeldOut(model, compileTrained(settings, sharedRefusal(), noHarmbench), corpus.harmbench, 'harm', 'jailbreakbench + xstest refusals', 'harmbench (all 602)'));
    progress('harm: trained without JailbreakBench');
    const noJailbreak = trainOneModel([...corpus.harmbench, ...corpus.xstest], 'harm', settings);
    scores.push(scoreHeldOut(model, compileTrained(settings, sharedRefusal(), noJailbreak), corpus.jailbreakbench, 'harm', 'harmbench + xstest refusals', 'jailbreakbench artifacts (labels from its judge model)'));
  }
  return scores;
}
