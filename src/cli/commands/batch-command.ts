import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { exportBatchCalls } from '../../batch/export-batch.js';
import { importBatchResults, type BatchImport } from '../../batch/import-batch.js';
import { ConfigError, NotFoundError } from '../../spec/errors.js';
import { DEFAULT_DB_PATH, openStore } from '../../store/sqlite-store.js';
import { checkOutputFile } from '../../util/output-path.js';
import { defineCommand, writeLine, type CliIO } from '../command.js';
import { formatBytes } from '../download-progress.js';
import { redcardCommand } from './scan-resume-notes.js';

const USAGE = `Usage:
  redcard batch export RUN --out requests.jsonl [--db PATH]
  redcard batch import RUN RESULTS.jsonl… [--db PATH] [--quiet]

Run a scan's model calls as OpenAI Batch files: on one GPU node with vllm run-batch, on a cluster with Ray Data, or
with a provider's Batch API (recipes in docs/scale.md).

  export   writes every call of RUN that waits for an answer (after 'scan --defer', or the judge calls after an
           import) as Batch input lines (custom_id, method, url, body): requests.jsonl, then requests-2.jsonl… when a
           file would pass 50,000 requests or 200 MB.
  import   reads Batch output files (the output and error files), records each answer once, reports missing,
           duplicated, errored and unknown custom_ids, and continues the run: attempts whose calls are answered are
           judged and recorded; calls still waiting (e.g. a model judge's) go into the next export; when every attempt
           is recorded, the run's outputs and exit code are those of 'scan' (its --out, --fail-on).

RUN is a run id or latest (the newest run).

Options:
  --out FILE   (export) the first input file; the next ones are named after it
  --db PATH    SQLite store (default .redcard/redcard.db)
  --quiet      no progress output while the run continues`;

/** Names in a list, the first few, for one line. */
function sample(names: readonly string[], count = 5): string {
  return `${names.slice(0, count).join(', ')}${names.length > count ? `, … (${names.length - count} more)` : ''}`;
}

/** What an import found, on stderr (`batch import`, `cai revise --batch-import`). */
export function reportImport(report: BatchImport, io: CliIO): void {
  writeLine(io.stderr, `read ${report.lines} lines: ${report.answers} answers and ${report.errors} error lines recorded`);
  if (report.errors > 0) {
    for (const entry of report.errorSamples.slice(0, 3)) writeLine(io.stderr, `  error ${entry.customId}: ${entry.message}`);
    writeLine(io.stderr, `  the ${report.errors} failed calls are recorded as errors of their attempts; the next export asks them again`);
  }
  if (report.duplicates.length > 0) writeLine(io.stderr, `warning: ${report.duplicates.length} custom_ids were answered already (an earlier import, or twice here); kept the first: ${sample(report.duplicates)}`);
  if (report.unknown.length > 0) writeLine(io.stderr, `warning: ${report.unknown.length} custom_ids are not calls of this run (another run's file?): ${sample(report.unknown)}`);
  for (const entry of report.unreadable.slice(0, 5)) writeLine(io.stderr, `warning: ${entry.file}:${entry.line}: ${entry.message}`);
  if (report.unreadable.length > 5) writeLine(io.stderr, `warning: … ${report.unreadable.length - 5} more unreadable lines`);
  if (report.missing > 0) writeLine(io.stderr, `warning: ${report.missing} exported calls have no answer in these files (missing); the next export includes them again`);
  if (report.simulatedRoles.length > 0) writeLine(io.stderr, `note: the answers for ${report.simulatedRoles.join(', ')} are SIMULATED (redcard sim run-batch)`);
}

/** The newest run's id (`latest`, as in 'redcard report latest'). */
function latestRunId(databasePath: string): string {
  const store = openStore(databasePath);
  try {
    const newest = store.latestRun();
    if (newest === undefined) throw new NotFoundError(`no runs in ${databasePath} yet: start one with 'redcard scan … --defer'`);
    return newest.id;
  } finally {
    store.close();
  }
}

/** Continue the run in deferred mode through the scan command: its recorded settings, outputs and exit codes. */
async function continueRun(runId: string, databasePath: string, quiet: boolean, io: CliIO): Promise<number> {
  const { scanCommand } = await import('./scan-command.js');
  return scanCommand.run({ values: { resume: runId, db: databasePath, defer: true, quiet }, positionals: [] }, io);
}

export const batchCommand = defineCommand({
  name: 'batch',
  summary: "Run a scan's model calls as OpenAI Batch files ('batch export RUN', 'batch import RUN RESULTS.jsonl')",
  usage: USAGE,
  options: {
    out: { type: 'string' },
    db: { type: 'string' },
    quiet: { type: 'boolean' },
  },
  async run(args, io) {
    const [action, reference, ...files] = args.positionals;
    const databasePath = resolve(io.cwd, typeof args.values.db === 'string' ? args.values.db : DEFAULT_DB_PATH);
    if ((action !== 'export' && action !== 'import') || reference === undefined) {
      throw new ConfigError(`expected 'batch export RUN --out FILE' or 'batch import RUN RESULTS.jsonl…'\n\n${USAGE}`, { field: 'batch' });
    }
    if (!existsSync(databasePath)) throw new NotFoundError(`no store at ${databasePath}, so no run '${reference}' (pass --db PATH)`);
    const runId = reference === 'latest' ? latestRunId(databasePath) : reference;
    if (action === 'export') {
      if (files.length > 0) throw new ConfigError(`unexpected argument '${files[0]}' (the file is --out FILE)`, { field: 'batch' });
      if (typeof args.values.out !== 'string') throw new ConfigError('batch export needs --out FILE (e.g. --out requests.jsonl)', { field: 'out' });
      const out = resolve(io.cwd, args.values.out);
      checkOutputFile(out, { flag: '--out' });
      let store = openStore(databasePath);
      try {
        const run = store.getRun(runId);
        const counts = store.countBatchCalls(runId);
        const known = Object.values(counts).reduce((sum, count) => sum + count, 0);
        if (known === 0 && run.status !== 'completed') {
          // A run never deferred (an online run stopped half-way): find its pending calls first.
          store.close();
          writeLine(io.stderr, `run ${runId} has no recorded Batch calls yet: planning its remaining attempts without sending anything…`);
          const silent = { ...io, stdout: new PassThrough() };
          const code = await continueRun(runId, databasePath, true, silent);
          if (code !== 0) return code;
          store = openStore(databasePath);
        }
        const written = exportBatchCalls(store, runId, out);
        if (written.lines === 0) {
          writeLine(io.stderr, `run ${runId}: no model call waits for an answer (status ${store.getRun(runId).status}); nothing to export`);
          return 0;
        }
        for (const file of written.files) writeLine(io.stdout, `${file.path}  ${file.lines} requests, ${formatBytes(file.bytes)}`);
        const results = written.files.length === 1 ? 'RESULTS.jsonl' : 'RESULTS-1.jsonl RESULTS-2.jsonl…';
        writeLine(io.stderr, `exported ${written.lines} calls of run ${runId}. Run ${written.files.length === 1 ? 'the file' : 'each file'} (e.g. vllm run-batch -i FILE -o RESULTS.jsonl --model …), then: ${redcardCommand(['batch', 'import', runId, results], databasePath, io.cwd)}`);
        return 0;
      } finally {
        store.close();
      }
    }
    if (files.length === 0) throw new ConfigError('batch import needs the Batch output file(s): batch import RUN RESULTS.jsonl…', { field: 'batch' });
    const store = openStore(databasePath);
    try {
      const report = await importBatchResults(store, runId, files.map((file) => resolve(io.cwd, file)));
      reportImport(report, io);
    } finally {
      store.close();
    }
    const code = await continueRun(runId, databasePath, args.values.quiet === true, io);
    return code;
  },
});
