import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineCommand, writeLine } from '../command.js';
import { ConfigError, NotFoundError } from '../../spec/errors.js';
import type { Target } from '../../spec/target.js';
import { createJudge } from '../../judges/create-judge.js';
import { createJudgeContext, judgeCacheIdentity } from '../../judges/judge-context.js';
import { judgeResponses, type JudgeResponsesSummary } from '../../judges/judge-responses.js';
import { DEFAULT_DB_PATH, openStore } from '../../store/sqlite-store.js';
import type { Store } from '../../store/store-api.js';
import { createTarget } from '../../targets/create-target.js';
import { parseTargetSpec } from '../../targets/parse-target-spec.js';
import { openAtomicFile } from '../../util/atomic-write.js';
import { FileSystemError } from '../../util/file-system-error.js';
import { checkOutputFile } from '../../util/output-path.js';

const usage = `Usage: redcard judge --in responses.jsonl --judge SPEC --out verdicts.jsonl [--db PATH] [--no-cache] [--concurrency N]

Judges existing responses. Input rows (JSONL): id, behavior (the harmful request or goal), optional prompt (what was
actually sent), response, optional benign, optional category. Output rows, in input order: id, label, harmful,
score, judge (+ rationale, categories when present).

  --in PATH          responses to judge (read line by line)
  --judge SPEC       e.g. llm:openai:base-url=http://127.0.0.1:11434/v1,model=llama3.1:8b
                     strongreject:TARGET, llama-guard:TARGET[,format=prompt], cascade:refusal>llm:TARGET
  --out PATH         where verdicts go (written as rows finish)
  --db PATH          store holding the verdict cache (default ${DEFAULT_DB_PATH})
  --no-cache         judge every row afresh and store nothing
  --concurrency N    rows judged at once (default: the judge's own limit, at most 16)

A malformed input line stops with FILE:LINE (rows before it are kept). See docs/judges-model.md.`;

const PROGRESS_INTERVAL_MS = 2000;

function requiredString(value: unknown, flag: string): string {
  if (typeof value !== 'string' || value === '') throw new ConfigError(`--${flag} is required`, { field: flag });
  return value;
}

function summaryLine(summary: JudgeResponsesSummary): string {
  const stats = Object.entries(summary.judgeStats).map(([key, value]) => `${key}=${value}`);
  return [`judged ${summary.rows}`, `harmful ${summary.harmful}`, `refusals ${summary.refusals}`, `errors ${summary.errors}`, ...(summary.undetermined > 0 ? [`undetermined ${summary.undetermined}`] : []), `cache hits ${summary.cacheHits}`, ...stats].join(', ');
}

export const judgeCommand = defineCommand({
  name: 'judge',
  summary: 'Judge existing responses from a JSONL file',
  usage,
  options: {
    in: { type: 'string' },
    judge: { type: 'string' },
    out: { type: 'string' },
    db: { type: 'string' },
    'no-cache': { type: 'boolean' },
    concurrency: { type: 'string' },
  },
  async run({ values }, io) {
    const inputPath = resolve(io.cwd, requiredString(values.in, 'in'));
    const outputPath = resolve(io.cwd, requiredString(values.out, 'out'));
    const spec = requiredString(values.judge, 'judge');
    if (!existsSync(inputPath)) throw new NotFoundError(`input file ${inputPath} does not exist`);
    const databasePath = resolve(io.cwd, (values.db as string | undefined) ?? DEFAULT_DB_PATH);
    // Checked before any judging: --out must not be --in (or the store) under another name, a directory, or in a missing one.
    checkOutputFile(outputPath, { flag: '--out', inputs: [{ flag: '--in', path: inputPath }, { flag: '--db', path: databasePath }] });
    let concurrency: number | undefined;
    if (values.concurrency !== undefined) {
      concurrency = Number(values.concurrency);
      if (!Number.isInteger(concurrency) || concurrency < 1) throw new ConfigError(`--concurrency must be a positive whole number, got '${String(values.concurrency)}'`, { field: 'concurrency' });
    }
    const context = createJudgeContext((targetSpec): Target => createTarget(parseTargetSpec(targetSpec)));
    const judge = createJudge(spec, context);
    const store: Store | undefined = values['no-cache'] ? undefined : openStore(databasePath);
    // Rows go to a temp file renamed over --out at the end: a crash or a full disk never leaves a truncated file.
    const output = openAtomicFile(outputPath);
    let lastProgress = Date.now();
    let committed = false;
    try {
      const summary = await judgeResponses({
        inputPath,
        judge,
        judgeIdentity: judgeCacheIdentity(spec, context),
        cache: store,
        concurrency: concurrency ?? Math.min(judge.concurrency ?? 8, 16),
        signal: io.signal,
        write: (row) => output.write(`${JSON.stringify(row)}\n`),
        onProgress: (done) => {
          if (Date.now() - lastProgress < PROGRESS_INTERVAL_MS) return;
          lastProgress = Date.now();
          writeLine(io.stderr, `redcard judge: ${done} rows judged…`);
        },
      });
      output.commit();
      committed = true;
      writeLine(io.stdout, `${summaryLine(summary)} → ${outputPath}`);
      return 0;
    } catch (error) {
      // A malformed line or Ctrl-C: the rows finished before it are whole lines, kept as documented. A write failure
      // (full disk) already threw the temp file away and left --out as it was.
      if (!committed && !(error instanceof FileSystemError)) output.commit();
      throw error;
    } finally {
      output.abort();
      store?.close();
      await judge.close?.();
    }
  },
});
