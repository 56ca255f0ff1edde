import { basename, isAbsolute, join } from 'node:path';
import { defineCommand, writeLine, type CliIO, type ParsedArgs } from '../command.js';
import { ConfigError } from '../../spec/errors.js';
import type { JudgeContext } from '../../spec/judge-kind.js';
import type { Target } from '../../spec/target.js';
import type { CalibrationStore } from '../../store/store-api.js';
import { createJudge } from '../../judges/create-judge.js';
import { loadLabels } from '../../judges/eval/load-labels.js';
import { calibrationFromReport, evaluateJudge, type JudgeEvalReport } from '../../judges/eval/evaluate-judge.js';
import { formatJudgeEval } from '../../judges/eval/format-judge-eval.js';
import { LABEL_FORMATS } from '../../judges/eval/labelled-set.js';
import { loadTaskLabels, parseTaskLabelsSpec } from '../../serve/community/task-labels.js';
import { DEFAULT_DB_PATH, openStore } from '../../store/sqlite-store.js';
import { createTarget } from '../../targets/create-target.js';
import { parseTargetSpec } from '../../targets/parse-target-spec.js';

/** What judge-eval needs from the rest of redcard; tests inject in-process targets and an in-memory store. */
export interface JudgeEvalDependencies {
  /** Build a target from a target spec, for model-based judges. */
  resolveTarget(spec: string): Target;
  /** Open the calibration store at a path (`--save`); the caller closes it when it has a `close`. */
  openCalibrationStore(path: string): CalibrationStore & { close?(): void };
}

const USAGE = `Usage: redcard judge-eval --labels FILE --format ${LABEL_FORMATS.join('|')} [--judge SPEC]... [options]

Measure judges against human labels: accuracy against the human label (HarmBench: majority of three), Cohen's kappa,
precision/recall/F1 of the positive class, the confusion matrix, and accuracy per model/method/type.

Options:
  --labels FILE        labelled file, or task:ID[:harmful|outcome] for the majority labels of a redcard serve annotation task
  --format FORMAT      harmbench-val (HarmBench classifier val set JSON), xstest (completions CSV), jsonl (docs/judges.md)
  --judge SPEC         judge to measure; repeat to compare (default: refusal). 'column:NAME' reads verdicts already in the
                       file (HarmBench: advbench, llama_guard, cls, cls_mistral, gpt-4-0613, mixtral, …)
  --json               print a JSON object { version: 1, reports: [...] } instead of tables
  --save [NAME]        store each judge's sensitivity/specificity (Wilson 95 % intervals), accuracy and kappa (harmful
                       labels only) under NAME (default: the labels file's name); reports apply it only when asked
                       (report/scan --calibration NAME, or a policy's calibration: NAME)
  --db PATH            database for --save and task:ID (default .redcard/redcard.db)
  --concurrency N      judge calls in flight for model-based judges (default: the judge's own)
  --limit N            judge only the first N items

Examples:
  redcard judge-eval --labels text_behaviors_val_set.json --format harmbench-val --judge refusal --judge column:cls
  redcard judge-eval --labels xstest_v2_completions_gpt4.csv --format xstest --json`;

/**
 * The name a calibration is saved under when `--save` has none: the labels file's name without extension.
 *
 * @example
 * defaultCalibrationName('data/text_behaviors_val_set.json') // 'text_behaviors_val_set'
 */
export function defaultCalibrationName(labelsFile: string): string {
  const name = basename(labelsFile).replace(/\.[^.]+$/, '').replace(/[^\w.-]+/g, '-');
  return name === '' ? 'calibration' : name;
}

function positiveInteger(value: unknown, field: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new ConfigError(`expected a positive integer, got '${String(value)}'`, { field });
  return number;
}

/**
 * Build the judge-eval command with its dependencies (injected in tests).
 *
 * @example
 * const command = createJudgeEvalCommand({ resolveTarget: (spec) => simTarget, openCalibrationStore: () => memoryStore });
 */
export function createJudgeEvalCommand(dependencies: Partial<JudgeEvalDependencies> = {}) {
  return defineCommand({
    name: 'judge-eval',
    summary: 'Measure a judge against human labels (HarmBench val, XSTest, JSONL)',
    usage: USAGE,
    optionalValueFlags: ['save'],
    options: {
      labels: { type: 'string' },
      format: { type: 'string' },
      judge: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      save: { type: 'string' },
      db: { type: 'string' },
      concurrency: { type: 'string' },
      limit: { type: 'string' },
    },
    async run(args: ParsedArgs, io: CliIO): Promise<number> {
      const values = args.values;
      if (typeof values.labels !== 'string') throw new ConfigError('--labels FILE is required', { field: 'labels' });
      const taskSpec = parseTaskLabelsSpec(values.labels);
      if (typeof values.format !== 'string' && taskSpec === undefined) throw new ConfigError(`--format is required (${LABEL_FORMATS.join(', ')})`, { field: 'format' });
      const judges = (values.judge as string[] | undefined) ?? ['refusal'];
      const concurrency = positiveInteger(values.concurrency, 'concurrency');
      const limit = positiveInteger(values.limit, 'limit');
      const databasePath = typeof values.db === 'string' ? values.db : DEFAULT_DB_PATH;
      const absolute = (path: string): string => (isAbsolute(path) ? path : join(io.cwd, path));
      // `task:ID`: the majority labels of a redcard serve annotation task, read from the store.
      const set = taskSpec ? await loadTaskLabels(absolute(databasePath), taskSpec) : loadLabels(absolute(values.labels), values.format as string);
      set.file = values.labels;
      const context: JudgeContext = {
        resolveTarget: dependencies.resolveTarget ?? ((spec) => createTarget(parseTargetSpec(spec))),
        resolveJudge: (spec) => createJudge(spec, context),
      };
      const reports: JudgeEvalReport[] = [];
      for (const judge of judges) {
        let lastPrinted = Date.now();
        let printedAny = false;
        reports.push(
          await evaluateJudge(set, judge, {
            buildJudge: (spec) => createJudge(spec, context),
            concurrency,
            limit,
            signal: io.signal,
            onProgress: ({ done, total, errors }) => {
              const now = Date.now();
              if (done < total ? now - lastPrinted < 2000 : !printedAny) return;
              lastPrinted = now;
              printedAny = true;
              writeLine(io.stderr, `judge-eval: ${judge} ${done}/${total}${errors ? ` (${errors} judge errors)` : ''}`);
            },
          }),
        );
      }
      if (values.save !== undefined && values.save !== false) {
        const name = typeof values.save === 'string' && values.save.trim() !== '' ? values.save.trim() : defaultCalibrationName(values.labels);
        const calibrations = reports.map((report) => ({ ...calibrationFromReport(report), name }));
        const open = dependencies.openCalibrationStore ?? openStore;
        const store = open(isAbsolute(databasePath) ? databasePath : join(io.cwd, databasePath));
        try {
          for (const calibration of calibrations) store.saveCalibration(calibration);
        } finally {
          store.close?.();
        }
        for (const calibration of calibrations) {
          writeLine(io.stderr, `judge-eval: saved calibration of '${calibration.judge}' as '${name}' (n ${calibration.n}, ${calibration.dataset}) to ${databasePath}`);
        }
        writeLine(io.stderr, `judge-eval: apply it with: redcard report RUN --calibration ${name} (never applied unless asked for)`);
      }
      if (values.json) writeLine(io.stdout, JSON.stringify({ version: 1, reports }, null, 2));
      else writeLine(io.stdout, formatJudgeEval(reports).join('\n'));
      return 0;
    },
  });
}

export const judgeEvalCommand = createJudgeEvalCommand();
