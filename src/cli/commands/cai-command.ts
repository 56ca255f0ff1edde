import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { caiPrefs, caiRevise, type CaiOptions } from '../../cai/cai-library.js';
import type { CaiRunRecord } from '../../cai/cai-records.js';
import { caiRunCost, exportCaiRun } from '../../cai/export/export-cai-run.js';
import { caiReportInput } from '../../cai/report/cai-report-input.js';
import { renderCaiHtml, renderCaiJson, renderCaiMarkdown } from '../../cai/report/render-cai-report.js';
import { ConfigError, NotFoundError } from '../../spec/errors.js';
import { DEFAULT_DB_PATH, openStore } from '../../store/sqlite-store.js';
import type { Store } from '../../store/store-api.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { checkOutputDirectory, checkOutputFile } from '../../util/output-path.js';
import { safeJoin } from '../../util/safe-path.js';
import { defineCommand, writeLine, type CliIO, type ParsedArgs } from '../command.js';
import { EXIT_CODES } from '../fail-on.js';
import { numberFlag, stringList } from '../flags.js';
import { prefsSettingsFromFlags, projectionFlags, reviseSettingsFromFlags } from './cai-flags.js';
import { caiModelLayer } from './cai-layer.js';
import { caiEventPrinter, printCaiResult, projectionFor } from './cai-output.js';
import { createBatchDeferral } from '../../batch/batch-deferral.js';
import { exportBatchCalls } from '../../batch/export-batch.js';
import { importBatchResults, type BatchRunHooks } from '../../batch/import-batch.js';
import { reportImport } from './batch-command.js';

const USAGE = `Usage:
  redcard cai revise (--from RUN [--include benign] | --suite SPEC...) --target SPEC [--critic SPEC] [--revisions N] [options]
  redcard cai prefs --from RUN|CAI-RUN|DIR --target SPEC [--feedback SPEC] [--principles-per-pair K] [--position both|random] [options]
  redcard cai export CAI-RUN --out DIR [--parquet] [--project-samples N --tokens-per-second-per-gpu T]
  redcard cai report CAI-RUN [--format html|md|json] [--out FILE] [--examples N] [--project-samples N --tokens-per-second-per-gpu T]
  redcard cai runs [--json]

Constitutional AI from red-team failures (docs/cai.md): 'revise' answers each request (or reuses the red-team run's
recorded answer), then critiques and revises it under principles sampled from the constitution; 'prefs' has a feedback
model pick the more harmless of two answers under a sampled preference principle (soft labels from log-probabilities
when the server gives them). Every answer is judged (harm before and after; the helpfulness guard keeps a revision that
refuses a benign request out of the training data). Every model call is a recorded step: an interrupted run resumes
with the same command without asking a recorded step again.

Options of revise and prefs:
  --target SPEC            the model whose answers are revised or compared (sim, openai:base-url=URL,model=NAME, ...)
  --critic SPEC            revise: the model that critiques and revises (default: the target)
  --feedback SPEC          prefs: the model that compares the two answers (default: the target)
  --from RUN               revise: a red-team run (id or latest) whose attempts judged harmful are revised (answers reused);
                           prefs: a red-team run (two samples of the target per failure), a finished 'cai revise' run
                           or its --out directory (initial answer versus revision); latest: the newest finished
                           'cai revise' run, else the newest red-team run
  --include benign         with a red-team run: add the failures' benign twins (the helpfulness guard's probes)
  --suite SPEC             revise: prompts to answer and revise (repeatable), e.g. hh-rlhf:FILE, jsonl:FILE, core
  --revisions N            revise: critique-and-revision rounds per prompt (default 1)
  --principles-per-pair K  prefs: preference principles asked per pair; the soft label averages them (default 1)
  --position MODE          prefs: both (each principle asked in both orders, default) or random (one seeded order)
  --top-logprobs N         prefs: top_logprobs asked of the feedback model (default 5; 0 parses the letter only)
  --judge SPEC             judge of every answer (default refusal)
  --constitution FILE      principles YAML (default: redcard's data/cai/constitution.yaml)
  --seed N                 seeds the sampled principles and orders (default 0)
  --temperature X, --top-p X, --max-tokens N   sampling of the target's and critic's requests
  --concurrency N          units in flight (default 8; each model's own limits apply too)
  --limit N                only the first N units
  --lenient                skip malformed dataset rows (counted) instead of stopping
  --no-cache               ask the models even when the response cache has the answer
  --resume ID              resume this CAI run (its recorded settings, under any flag given again)
  --fresh                  start a new run even when an identical unfinished one exists
  --wait                   wait for another process working the same run instead of refusing
  --out DIR                export when done: sft.jsonl, prefs.jsonl, h4.jsonl, trace.jsonl, README.md (dataset card)
  --parquet                with --out (or export): Parquet beside each data file
  --project-samples N --tokens-per-second-per-gpu T   project the GPU-hours of N samples at T tokens/s per GPU
  --batch-export FILE      send nothing to OpenAI-compatible models: write the calls that wait for an answer as an
                           OpenAI Batch input file (FILE, then FILE-2… at the Batch limits), for vllm run-batch,
                           Ray Data or a Batch API; each stage of the loop (answer, critique, revision, feedback) is
                           one round of export and import
  --batch-import FILE...   with --resume ID: record a Batch output file's answers, then go on (add --batch-export
                           FILE for the calls of the next stage)
  --db PATH                the SQLite store (default ${DEFAULT_DB_PATH})
  --quiet                  no progress bar

CAI-RUN is a CAI run id or 'latest'. Exit codes: 0 done; 1 error; 2 bad flag, config or dataset input; 5 finished, but
some units errored (redone on resume); 130 interrupted (resumable).`;

const ACTIONS = ['revise', 'prefs', 'export', 'report', 'runs'] as const;

/** Flags that only one of the two loops takes: given to the other, they are a mistake, not ignored. */
const ONLY: Record<'revise' | 'prefs', readonly string[]> = {
  revise: ['critic', 'suite', 'revisions'],
  prefs: ['feedback', 'principles-per-pair', 'position', 'top-logprobs'],
};

function rejectForeignFlags(action: 'revise' | 'prefs', values: ParsedArgs['values']): void {
  const other = action === 'revise' ? 'prefs' : 'revise';
  const foreign = ONLY[other].find((flag) => values[flag] !== undefined);
  if (foreign !== undefined) throw new ConfigError(`cai ${action} does not take --${foreign} (it is a 'cai ${other}' flag)`, { field: `--${foreign}` });
}

function storeFor(values: ParsedArgs['values'], io: CliIO, create: boolean): Store {
  const path = resolve(io.cwd, (values.db as string | undefined) ?? DEFAULT_DB_PATH);
  if (!create && !existsSync(path)) throw new NotFoundError(`no store at ${path} (run 'redcard cai revise' first, or pass --db PATH)`);
  return openStore(path);
}

/** A CAI run by id, or the newest one for `latest`. */
function findCaiRun(store: Store, reference: string): CaiRunRecord {
  if (reference !== 'latest') return store.cai.getRun(reference);
  const newest = store.cai.listRuns()[0];
  if (newest === undefined) throw new NotFoundError(`no CAI runs in ${store.path} yet: try 'redcard cai revise --suite core --target sim'`);
  return newest;
}

/** A CAI run as a Batch import sees it: it must exist; simulated answers mark their roles on the run. */
function caiBatchHooks(store: Store, runId: string): BatchRunHooks {
  return {
    check: () => void store.cai.getRun(runId),
    addSimulatedRoles(roles) {
      const run = store.cai.getRun(runId);
      store.cai.updateRun(runId, { simulatedRoles: [...new Set([...run.simulatedRoles, ...roles])].sort() });
    },
  };
}

function exitCode(result: { interrupted: boolean; deferred: number; errors: number }): number {
  // Units waiting for Batch answers are where a --batch-export session is meant to stop, not an interruption.
  if (result.deferred > 0) return EXIT_CODES.ok;
  if (result.interrupted) return EXIT_CODES.interrupted;
  return result.errors > 0 ? EXIT_CODES.attemptsErrored : EXIT_CODES.ok;
}

async function runLoop(action: 'revise' | 'prefs', values: ParsedArgs['values'], io: CliIO): Promise<number> {
  rejectForeignFlags(action, values);
  const out = typeof values.out === 'string' ? resolve(io.cwd, values.out) : undefined;
  if (out !== undefined) checkOutputDirectory(out, { flag: '--out' });
  if (values.parquet === true && out === undefined) throw new ConfigError('--parquet needs --out DIR', { field: '--parquet' });
  const batchImports = stringList(values['batch-import']).map((file) => resolve(io.cwd, file));
  const batchExport = typeof values['batch-export'] === 'string' ? resolve(io.cwd, values['batch-export']) : undefined;
  if (batchImports.length > 0 && values.resume === undefined) throw new ConfigError('--batch-import needs --resume ID (the CAI run whose calls the file answers)', { field: '--batch-import' });
  if (batchExport !== undefined) checkOutputFile(batchExport, { flag: '--batch-export' });
  const batch = batchImports.length > 0 || batchExport !== undefined;
  const projection = projectionFlags(values);
  const settingsFor = (given: ParsedArgs['values'], recorded?: Record<string, unknown>) =>
    action === 'revise' ? ({ kind: 'revise', settings: reviseSettingsFromFlags(given, io.cwd, recorded) } as const) : ({ kind: 'prefs', settings: prefsSettingsFromFlags(given, io.cwd, recorded) } as const);
  const resumeRunId = values.resume as string | undefined;
  // Flags are checked before a store is made, unless they need it (a run to resume, `--from latest`).
  let checked = resumeRunId === undefined ? settingsFor({ ...values, ...(values.from === 'latest' ? { from: 'latest-red-team-run' } : {}) }) : undefined;
  const store = storeFor(values, io, true);
  try {
    // `--from latest` on revise is the newest red-team run, as in 'redcard report latest'; on prefs, the newest finished
    // CAI revise run (initial answer versus revision, the loop's next step), else the newest red-team run.
    if (values.from === 'latest') {
      const revised = action === 'prefs' ? store.cai.listRuns('revise').find((candidate) => candidate.status === 'completed') : undefined;
      const newest = revised ?? store.listRuns()[0];
      if (newest === undefined) throw new NotFoundError(`no red-team runs in ${store.path} yet: run 'redcard scan' first`);
      values = { ...values, from: newest.id };
      checked = undefined;
    }
    const recorded = resumeRunId === undefined ? undefined : store.cai.getRun(resumeRunId);
    if (recorded !== undefined && recorded.kind !== action) throw new ConfigError(`CAI run ${recorded.id} is a ${recorded.kind} run: resume it with 'redcard cai ${recorded.kind}'`, { field: '--resume' });
    const run = checked ?? settingsFor(values, recorded?.settings);
    if (recorded !== undefined && batchImports.length > 0) reportImport(await importBatchResults(store, recorded.id, batchImports, caiBatchHooks(store, recorded.id)), io);
    const options: CaiOptions = {
      store,
      layer: caiModelLayer(store, run.settings.cache),
      events: caiEventPrinter(io, { quiet: values.quiet === true, batch }),
      signal: io.signal,
      resumeRunId,
      fresh: values.fresh === true,
      waitForLease: values.wait === true,
      // Deferred models are not probed: their servers may not exist here (the calls go to a cluster as files).
      ...(batch ? { probe: false, deferral: (runId: string) => createBatchDeferral(store, runId) } : {}),
    };
    const result = run.kind === 'revise' ? await caiRevise(run.settings, options) : await caiPrefs(run.settings, options);
    const files = out !== undefined && !result.interrupted ? exportCaiRun(store, result.run.id, out, { parquet: values.parquet === true, projection: projectionFor(caiRunCost(store, result.run), projection) }) : undefined;
    printCaiResult(io, store, result.run, projection, files, values.out as string | undefined);
    if (batch) printBatchExport(io, store, result.run.id, action, batchExport, result.deferred);
    return exitCode(result);
  } finally {
    store.close();
  }
}

/** Write the calls that wait for Batch answers (with --batch-export) and say what to do next. */
function printBatchExport(io: CliIO, store: Store, runId: string, action: 'revise' | 'prefs', file: string | undefined, deferred: number): void {
  if (deferred === 0) return;
  if (file === undefined) {
    writeLine(io.stderr, `redcard: ${deferred} units wait for Batch answers; write their calls with 'redcard cai ${action} --resume ${runId} --batch-export FILE'`);
    return;
  }
  const written = exportBatchCalls(store, runId, file, {}, () => void store.cai.getRun(runId));
  writeLine(io.stderr, `redcard: ${deferred} units wait for Batch answers: wrote ${written.lines} requests to ${written.files.map((entry) => entry.path).join(', ')}`);
  writeLine(io.stderr, `redcard: answer them (vllm run-batch -i FILE -o RESULTS, docs/scale.md), then: redcard cai ${action} --resume ${runId} --batch-import RESULTS --batch-export NEXT.jsonl`);
}

function exportAction(positionals: string[], values: ParsedArgs['values'], io: CliIO): number {
  if (positionals.length !== 1) throw new ConfigError('cai export takes exactly one CAI-RUN (a CAI run id or latest)');
  if (typeof values.out !== 'string') throw new ConfigError('cai export needs --out DIR', { field: '--out' });
  const out = resolve(io.cwd, values.out);
  checkOutputDirectory(out, { flag: '--out' });
  const projection = projectionFlags(values);
  const store = storeFor(values, io, false);
  try {
    const run = findCaiRun(store, positionals[0]!);
    if (run.status !== 'completed') writeLine(io.stderr, `redcard: warning: CAI run ${run.id} is ${run.status}: exporting the units finished so far`);
    const files = exportCaiRun(store, run.id, out, { parquet: values.parquet === true, projection: projectionFor(caiRunCost(store, run), projection) });
    for (const file of files) writeLine(io.stdout, `${file.path}${file.path.endsWith('.md') ? '' : `\t${file.rows} rows`}`);
    writeLine(io.stderr, `redcard: wrote ${files.length} files to ${values.out}`);
    return EXIT_CODES.ok;
  } finally {
    store.close();
  }
}

function reportAction(positionals: string[], values: ParsedArgs['values'], io: CliIO): number {
  if (positionals.length !== 1) throw new ConfigError('cai report takes exactly one CAI-RUN (a CAI run id or latest)');
  const format = (values.format as string | undefined) ?? 'html';
  if (format !== 'html' && format !== 'md' && format !== 'json') throw new ConfigError(`unknown format '${format}' (use html, md or json)`, { field: '--format' });
  const examples = numberFlag(values, 'examples', { integer: true });
  if (examples !== undefined && examples < 0) throw new ConfigError('must be 0 or more', { field: '--examples' });
  const projection = projectionFlags(values);
  const database = resolve(io.cwd, (values.db as string | undefined) ?? DEFAULT_DB_PATH);
  if (typeof values.out === 'string') checkOutputFile(resolve(io.cwd, values.out), { flag: '--out', inputs: [{ flag: '--db', path: database }] });
  const store = storeFor(values, io, false);
  try {
    const run = findCaiRun(store, positionals[0]!);
    const input = caiReportInput(store, run.id, { ...projection, ...(examples === undefined ? {} : { examples }) });
    const text = format === 'html' ? renderCaiHtml(input) : format === 'md' ? renderCaiMarkdown(input) : renderCaiJson(input);
    // The default name holds the run id, which comes from the store: it is joined safely.
    const target = typeof values.out === 'string' ? resolve(io.cwd, values.out) : format === 'html' ? safeJoin(io.cwd, `redcard-cai-report-${run.id}.html`) : undefined;
    if (target === undefined) io.stdout.write(text);
    else {
      writeFileAtomic(target, text);
      writeLine(io.stderr, `redcard: wrote ${format} CAI report to ${(values.out as string | undefined) ?? basename(target)}`);
    }
    return EXIT_CODES.ok;
  } finally {
    store.close();
  }
}

function runsAction(values: ParsedArgs['values'], io: CliIO): number {
  const store = storeFor(values, io, false);
  try {
    const rows = store.cai.listRuns().map((run) => ({ run, counts: store.cai.countUnits(run.id) }));
    if (values.json === true) {
      writeLine(io.stdout, JSON.stringify(rows.map(({ run, counts }) => ({ ...run, finished: counts.total, errors: counts.errors })), null, 2));
      return EXIT_CODES.ok;
    }
    if (rows.length === 0) {
      writeLine(io.stdout, `no CAI runs in ${store.path} yet: try 'redcard cai revise --suite core --target sim'`);
      return EXIT_CODES.ok;
    }
    const table = [
      ['run', 'kind', 'status', 'units', 'errors', 'models', 'created'],
      ...rows.map(({ run, counts }) => [
        run.id,
        run.kind,
        run.status,
        `${counts.total}/${run.planned}`,
        String(counts.errors),
        `${[...new Set(run.models.map((model) => model.label))].join(', ')}${run.simulatedRoles.length > 0 ? ' [SIM]' : ''}`,
        run.createdAt.replace('T', ' ').slice(0, 19),
      ]),
    ];
    const widths = table[0]!.map((_, column) => Math.max(...table.map((row) => row[column]!.length)));
    for (const row of table) writeLine(io.stdout, row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd());
    return EXIT_CODES.ok;
  } finally {
    store.close();
  }
}

export const caiCommand = defineCommand({
  name: 'cai',
  summary: "Constitutional AI data from failures: 'cai revise', 'cai prefs', 'cai export', 'cai report', 'cai runs'",
  usage: USAGE,
  options: {
    target: { type: 'string' },
    critic: { type: 'string' },
    feedback: { type: 'string' },
    judge: { type: 'string' },
    from: { type: 'string' },
    include: { type: 'string', multiple: true },
    suite: { type: 'string', multiple: true },
    revisions: { type: 'string' },
    'principles-per-pair': { type: 'string' },
    position: { type: 'string' },
    'top-logprobs': { type: 'string' },
    constitution: { type: 'string' },
    seed: { type: 'string' },
    temperature: { type: 'string' },
    'top-p': { type: 'string' },
    'max-tokens': { type: 'string' },
    concurrency: { type: 'string' },
    limit: { type: 'string' },
    lenient: { type: 'boolean' },
    'no-cache': { type: 'boolean' },
    resume: { type: 'string' },
    fresh: { type: 'boolean' },
    wait: { type: 'boolean' },
    out: { type: 'string' },
    parquet: { type: 'boolean' },
    'project-samples': { type: 'string' },
    'tokens-per-second-per-gpu': { type: 'string' },
    format: { type: 'string' },
    examples: { type: 'string' },
    json: { type: 'boolean' },
    db: { type: 'string' },
    quiet: { type: 'boolean' },
    'batch-export': { type: 'string' },
    'batch-import': { type: 'string', multiple: true },
  },
  async run({ values, positionals }, io) {
    const [action, ...rest] = positionals;
    if (action === undefined || !(ACTIONS as readonly string[]).includes(action)) {
      throw new ConfigError(`expected one of ${ACTIONS.join(', ')}${action === undefined ? '' : `, got '${action}'`} (see redcard cai --help)`);
    }
    if ((action === 'revise' || action === 'prefs' || action === 'runs') && rest.length > 0) throw new ConfigError(`unexpected argument '${rest[0]}' (see redcard cai --help)`);
    if (action === 'revise' || action === 'prefs') return runLoop(action, values, io);
    if (action === 'export') return exportAction(rest, values, io);
    if (action === 'report') return reportAction(rest, values, io);
    return runsAction(values, io);
  },
});
