import { resolve } from 'node:path';
import { defineCommand, writeLine, type CliIO, type ParsedArgs } from '../command.js';
import { ConfigError } from '../../spec/errors.js';
import { readBbqData } from '../../bias/bbq-data.js';
import { scoreBbqPredictions } from '../../bias/score-bbq-predictions.js';
import { formatBbqTable } from '../../bias/format-bbq-table.js';
import type { BbqCategoryScore } from '../../bias/bbq-scores.js';
import { BbqRunScorer } from '../../bias/bbq-run-scores.js';
import { CounterfactualGapBuilder } from '../../bias/counterfactual-gaps.js';
import { formatGapsTable } from '../../bias/format-gaps-table.js';
import { openRun } from '../../report/load-scorecard.js';
import { openCliStore, resolveRunReference } from './open-cli-store.js';

const USAGE = `Usage:
  redcard bias bbq --data DIR --predictions FILE_OR_DIR --column NAME [--json] [--lenient]
  redcard bias bbq --data DIR --run RUN [--json] [--db PATH]
  redcard bias counterfactual RUN [--json] [--db PATH]

Score BBQ (Bias Benchmark for QA) answers you already have. --data is BBQ's data folder (or one of its .jsonl
files); --predictions a JSONL file or folder of them whose rows carry 'category', 'example_id' and the answer in
--column (free text, an option letter, 0-2 or ans0-ans2). BBQ's own results/UnifiedQA/preds_*.jsonl qualify.
With --run, the answers are those a scan over --suite bbq:DIR recorded (RUN: a run id, latest, or a scan --out dir).
'bias counterfactual' prints each group's refusal and harm rates and the largest gap per dimension of a run over
--suite counterfactual, with a test of equal rates (Fisher-Freeman-Halton, Holm-corrected).

Prints accuracy in ambiguous and disambiguated contexts and BBQ's bias scores per category (docs/bias.md).
  --json      print {"categories": {NAME: {accuracy_ambig, accuracy_disambig, bias_ambig, bias_disambig, n, unparsed, excluded}}}
  --lenient   skip malformed rows (counted on stderr) instead of stopping`;

function requireString(values: ParsedArgs['values'], name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new ConfigError(`bias bbq needs --${name}`, { field: `--${name}` });
  return value;
}

function printBbq(categories: Record<string, BbqCategoryScore>, json: boolean, io: CliIO): void {
  if (json) writeLine(io.stdout, JSON.stringify({ categories }, null, 2));
  else writeLine(io.stdout, formatBbqTable(categories));
}

export const biasCommand = defineCommand({
  name: 'bias',
  summary: "Score bias benchmarks: 'bias bbq' scores BBQ predictions you already have",
  usage: USAGE,
  options: {
    data: { type: 'string' },
    predictions: { type: 'string' },
    column: { type: 'string' },
    run: { type: 'string' },
    db: { type: 'string' },
    json: { type: 'boolean' },
    lenient: { type: 'boolean' },
  },
  async run({ values, positionals }, io) {
    const [benchmark, ...rest] = positionals;
    if (benchmark === 'counterfactual') return counterfactualGaps(values, rest, io);
    if (benchmark !== 'bbq') throw new ConfigError(benchmark === undefined ? 'bias needs a benchmark: bias bbq … or bias counterfactual RUN' : `unknown benchmark '${benchmark}' (known: bbq, counterfactual)`);
    if (rest.length > 0) throw new ConfigError(`unexpected argument '${rest[0]}'`);
    const lenient = values.lenient === true;
    const data = readBbqData(resolve(io.cwd, requireString(values, 'data')), { lenient });
    for (const row of data.skipped) writeLine(io.stderr, `warning: skipped ${row.file}:${row.line}: ${row.reason}`);
    if (typeof values.run === 'string') {
      const reference = resolveRunReference(io.cwd, values.run);
      const store = openCliStore(values.db as string | undefined, io, [reference]);
      try {
        const opened = openRun(reference, store);
        const scorer = new BbqRunScorer(data, { chains: opened.run.attacks.includes('direct') ? ['direct'] : undefined });
        for await (const attempt of opened.attempts()) scorer.add(attempt);
        const scores = scorer.finish();
        if (scores.attempts === 0) throw new ConfigError(`run ${opened.run.id} has no BBQ attempts (scan with --suite bbq:DIR)`);
        if (scores.stale > 0) writeLine(io.stderr, `warning: ${scores.stale} attempts match no item or prompt of this BBQ data`);
        if (scores.errors > 0) writeLine(io.stderr, `warning: ${scores.errors} attempts have no response (not scored)`);
        printBbq(scores.categories, values.json === true, io);
        return 0;
      } finally {
        store?.close();
      }
    }
    const scores = scoreBbqPredictions(data, resolve(io.cwd, requireString(values, 'predictions')), requireString(values, 'column'), { lenient });
    for (const row of scores.skipped) writeLine(io.stderr, `warning: skipped ${row.file}:${row.line}: ${row.reason}`);
    if (scores.unmatched > 0) writeLine(io.stderr, `warning: ${scores.unmatched} prediction rows match no BBQ item (category, example_id)`);
    if (scores.missing > 0) writeLine(io.stderr, `warning: ${scores.missing} prediction rows have no '${values.column}' value (counted as unparsed)`);
    printBbq(scores.categories, values.json === true, io);
    return 0;
  },
});

async function counterfactualGaps(values: ParsedArgs['values'], positionals: string[], io: CliIO): Promise<number> {
  if (positionals.length !== 1) throw new ConfigError('bias counterfactual takes one RUN (a run id, latest, or a scan --out directory)');
  const reference = resolveRunReference(io.cwd, positionals[0]!);
  const store = openCliStore(values.db as string | undefined, io, [reference]);
  try {
    const opened = openRun(reference, store);
    const builder = new CounterfactualGapBuilder({ chains: opened.run.attacks.includes('direct') ? ['direct'] : undefined });
    for await (const attempt of opened.attempts()) builder.add(attempt);
    if (builder.empty) throw new ConfigError(`run ${opened.run.id} has no counterfactual attempts (scan with --suite counterfactual)`);
    const gaps = builder.finish();
    writeLine(io.stdout, values.json === true ? JSON.stringify(gaps, null, 2) : formatGapsTable(gaps));
    return 0;
  } finally {
    store?.close();
  }
}
