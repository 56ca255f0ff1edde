import { resolve } from 'node:path';
import { defineCommand, writeLine, type CliIO, type ParsedArgs } from '../command.js';
import { ConfigError } from '../../spec/errors.js';
import { readBbqData } from '../../bias/bbq-data.js';
import { scoreBbqPredictions } from '../../bias/score-bbq-predictions.js';
import { formatBbqTable } from '../../bias/format-bbq-table.js';
import type { BbqCategoryScore } from '../../bias/bbq-scores.js';

const USAGE = `Usage:
  redcard bias bbq --data DIR --predictions FILE_OR_DIR --column NAME [--json] [--lenient]

Score BBQ (Bias Benchmark for QA) answers you already have. --data is BBQ's data folder (or one of its .jsonl
files); --predictions a JSONL file or folder of them whose rows carry 'category', 'example_id' and the answer in
--column (free text, an option letter, 0-2 or ans0-ans2). BBQ's own results/UnifiedQA/preds_*.jsonl qualify.

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
    json: { type: 'boolean' },
    lenient: { type: 'boolean' },
  },
  async run({ values, positionals }, io) {
    const [benchmark, ...rest] = positionals;
    if (benchmark !== 'bbq') throw new ConfigError(benchmark === undefined ? 'bias needs a benchmark: bias bbq …' : `unknown benchmark '${benchmark}' (known: bbq)`);
    if (rest.length > 0) throw new ConfigError(`unexpected argument '${rest[0]}'`);
    const lenient = values.lenient === true;
    const data = readBbqData(resolve(io.cwd, requireString(values, 'data')), { lenient });
    const scores = scoreBbqPredictions(data, resolve(io.cwd, requireString(values, 'predictions')), requireString(values, 'column'), { lenient });
    for (const row of [...data.skipped, ...scores.skipped]) writeLine(io.stderr, `warning: skipped ${row.file}:${row.line}: ${row.reason}`);
    if (scores.unmatched > 0) writeLine(io.stderr, `warning: ${scores.unmatched} prediction rows match no BBQ item (category, example_id)`);
    if (scores.missing > 0) writeLine(io.stderr, `warning: ${scores.missing} prediction rows have no '${values.column}' value (counted as unparsed)`);
    printBbq(scores.categories, values.json === true, io);
    return 0;
  },
});
