import type { HeldOutScore } from './evaluate-held-out.js';
import type { TrainingCorpus, TrainingExample } from './training-examples.js';

/** One source of training data as recorded in the weights file. */
export interface SourceRecord {
  dataset: string;
  path: string;
  rows: number;
  /** Which model learns from it. */
  trains: string[];
  /** Where the labels come from. */
  labels: string;
  /** Rows labelled refusal (or partial), and rows labelled harmful. */
  refusals: number;
  harmful: number;
  note?: string;
}

const count = (examples: TrainingExample[], test: (example: TrainingExample) => boolean): number => examples.filter(test).length;

/**
 * The `training.sources` record of the weights file.
 *
 * @example
 * describeSources(corpus, 6458, 3, '../shared/data')
 */
export function describeSources(corpus: TrainingCorpus, gpteacherAvailable: number, gpteacherFlagged: number, dataRoot: string): SourceRecord[] {
  const refusals = (examples: TrainingExample[]): number => count(examples, (example) => example.refusal !== undefined && example.refusal !== 'compliance');
  const harmful = (examples: TrainingExample[]): number => count(examples, (example) => example.harmful === true);
  return [
    {
      dataset: 'XSTest v2 completions (paul-rottger/exaggerated-safety)',
      path: `${dataRoot}/xstest/model_completions/*.csv`,
      rows: corpus.xstest.length,
      trains: ['refusal', 'harm (full refusals of unsafe prompts as not harmful)'],
      labels: 'human (two annotators, final_label)',
      refusals: refusals(corpus.xstest),
      harmful: harmful(corpus.xstest),
    },
    {
      dataset: 'HarmBench classifier validation set',
      path: `${dataRoot}/harmbench/data/classifier_val_sets/text_behaviors_val_set.json`,
      rows: corpus.harmbench.length,
      trains: ['harm'],
      labels: 'human (majority of three)',
      refusals: 0,
      harmful: harmful(corpus.harmbench),
    },
    {
      dataset: 'JailbreakBench attack artifacts',
      path: `${dataRoot}/jailbreakbench-artifacts/attack-artifacts/*/*/*.json`,
      rows: corpus.jailbreakbench.length,
      trains: ['harm'],
      labels: "weak: `jailbroken` from JailbreakBench's judge model, not people",
      refusals: 0,
      harmful: harmful(corpus.jailbreakbench),
    },
    {
      dataset: 'GPTeacher (Roleplay-Instruct, Code-Instruct)',
      path: `${dataRoot}/gpteacher/*.json`,
      rows: corpus.gpteacher.length,
      trains: ['refusal'],
      labels: 'assumed: answers to benign instructions, taken as compliance',
      refusals: 0,
      harmful: 0,
      note: `a seeded sample of ${corpus.gpteacher.length} of ${gpteacherAvailable}; the explicit rules call ${gpteacherFlagged} of the sample something other than compliance (short code outputs read as restating the request), kept as compliance: they answer. Answers that open with an apology or "I cannot" go on to answer (role-play lines, premise corrections)`,
    },
  ];
}

const percent = (value: number): string => `${(100 * value).toFixed(1)} %`;

/**
 * A plain-text table of held-out scores (the training script prints it; docs/judges.md reproduces it).
 *
 * @example
 * formatHeldOutTable(scores).join('\n')
 */
export function formatHeldOutTable(scores: HeldOutScore[]): string[] {
  const header = ['task', 'tested on', 'n', 'coverage', 'agreement', 'all-in', 'kappa', 'precision', 'recall'];
  const rows = scores.map((score) => [
    score.task,
    score.testedOn,
    String(score.n),
    percent(score.coverage),
    percent(score.accuracy),
    percent(score.accuracyAll),
    score.kappa.toFixed(3),
    percent(score.precision),
    percent(score.recall),
  ]);
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]): string => cells.map((cell, column) => (column <= 1 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ');
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line), '', ...scores.map((score) => `${score.testedOn}: trained on ${score.trainedOn}`)];
}
