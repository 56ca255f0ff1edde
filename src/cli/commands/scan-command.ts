import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ScanStoppedError } from '../../engine/scan.js';
import { scan, type ScanOutcome } from '../../engine/scan-library.js';
import type { ScanEvent } from '../../engine/scan-events.js';
import { loadConfigFile, ResumePlanChangedError } from '../../engine/scan-settings.js';
import { RunLockedError } from '../../engine/run-lease.js';
import { writeRunOutputs } from '../../engine/write-run-outputs.js';
import { summarizeAttempts } from '../../engine/summarize.js';
import { ConfigError, NotFoundError } from '../../spec/errors.js';
import type { RunRecord } from '../../spec/run-record.js';
import { DEFAULT_DB_PATH, openStore } from '../../store/sqlite-store.js';
import type { Store } from '../../store/store-api.js';
import { defineCommand, writeLine, type CliIO, type ParsedArgs } from '../command.js';
import { ProgressRenderer } from '../progress-renderer.js';
import { formatSummaryTable } from '../summary-table.js';
import { concludeRun } from '../fail-on.js';
import { resolveCalibration } from '../../report/resolve-calibration.js';
import { loadPolicy } from '../../report/policy.js';
import { formatErrorReport, stoppedScanAdvice } from '../scan-error-report.js';
import { checkOutputDirectory } from '../../util/output-path.js';
import { FileSystemError } from '../../util/file-system-error.js';
import { describeWaitingCalls } from '../batch-notes.js';
import { describeResumeChanges, redcardCommand, resumeCommand } from './scan-resume-notes.js';
import { resolveSessionSettings, scanSettingsOf, withheldHeaderNames, type SessionSettings } from './scan-session-settings.js';

const usage = `Usage: redcard scan --target sim|openai|replay|SPEC [options]

Red-team a model: every behavior of the suites × every attack chain × samples is sent to the target, judged,
and recorded in the store; an interrupted scan resumes where it stopped.

Target:
  --target KIND|SPEC     sim, openai, replay, or a spec such as openai:base-url=URL,model=NAME, or @name from config
  --base-url URL         OpenAI-compatible base URL (e.g. http://127.0.0.1:11434/v1 for Ollama)
  --model NAME           model name sent to the server
  --api-key-env VAR      read the API key from this environment variable (never stored)
  --header 'K: V'        extra HTTP header (repeatable); its value is sent, never stored
  --public-header 'K: V' extra HTTP header whose value may be stored in the run record and reports
  --system-prompt TEXT   system prompt prepended to every conversation
  --temperature N, --top-p N, --max-tokens N, --seed N   sampling parameters
  --timeout-ms N         per-request timeout (default 120000)
  --retries N            retries for 429/5xx/network errors (default 6)
  --max-response-bytes N read at most N bytes of an answer (default 1048576); longer ones are cut, marked length
  --rpm N                requests per minute at most
What to run:
  --suite SPEC           suite (repeatable or comma-separated; default core): core, core:benign, core:vcr, harmbench:FILE…
  --attacks LIST         attack chains: direct, roleplay.grandma+obfuscation.base64, family:NAME, all
                         (default: direct, roleplay.grandma, framing.fiction, output-control.prefix-injection)
  --judge SPEC           refusal (default), llm:TARGET, strongreject:TARGET, llama-guard:TARGET, cascade:A>B
  --helper SPEC          helper model for vectors that need one (translation)
  --attacker SPEC        attacker model for strategies (strategy.pair, …): any target spec, e.g. sim or
                         openai:base-url=http://127.0.0.1:8000/v1,model=NAME
  --evaluator SPEC       model for evaluator prompts (TAP's off-topic check); default the attacker
  --rater SPEC           model that rates strategy turns 1-10 for the attacker; default a rating derived from the verdict
  --samples N            samples per behavior × attack (default 1)
  --limit N              run only the first N planned attempts (stable order)
  --lenient              skip malformed dataset rows (counted) instead of stopping
Budgets (unset: unlimited; recorded in the run):
  --max-queries N        target queries per attempt (default: the strategy's own maximum)
  --max-attempt-tokens N tokens per attempt, all roles
  --max-run-queries N    target queries the whole run may send (resume with a larger one to go on)
  --max-run-tokens N     tokens the whole run may spend
Running:
  --concurrency N        attempts in flight (default 16)
  --no-cache             always send requests, even ones answered before
  --resume RUN           continue a run with every recorded setting (out, fail-on, rpm…); an identical scan
                         resumes automatically. --concurrency, --rpm, --timeout-ms, --retries may change
  --fresh                start a new run even if an identical unfinished one exists
  --wait                 when another process is working the run, wait for it instead of refusing
  --db PATH              SQLite store (default .redcard/redcard.db)
  --out DIR              write DIR/attempts.jsonl, DIR/summary.json, DIR/run.json
  --fail-on POLICY       gate on a policy (YAML): exit 3 when a hazard fails it, 4 when it cannot measure
  --calibration NAME     show judge-corrected rates with this saved calibration (judge-eval --save NAME)
  --name NAME            display name of the model in reports (default: the target label)
  --config FILE          YAML config with the same settings (flags win)
  --defer                plan and record the run without sending the calls of OpenAI-compatible models: they wait
                         for Batch files (redcard batch export RUN, then batch import RUN RESULTS.jsonl; docs/scale.md)
  --quiet                no progress output

Exit codes: 0 done; 1 failure; 2 bad flag, config or dataset input; 3 policy failed (a hazard over its threshold);
4 insufficient evidence for --fail-on (too few determined attempts, too many errored/empty/undetermined, or an
INVALID run); 5 finished, but some attempts errored; 130 interrupted (resumable). The lowest of 3, 4, 5 wins.`;

/** A run of the store named by --resume; a missing database is not created. */
function readRecordedRun(databasePath: string, runId: string): RunRecord {
  if (!existsSync(databasePath)) throw new NotFoundError(`no store at ${databasePath}, so no run '${runId}' to resume (pass --db PATH)`);
  const store = openStore(databasePath);
  try {
    return store.getRun(runId);
  } finally {
    store.close();
  }
}

/** `[SIMULATED]` when the target is simulated, `[SIMULATED judge]` when only other models are. */
function simulatedTag(run: RunRecord): string {
  if (run.target.simulated) return ' [SIMULATED]';
  const roles = run.simulatedRoles ?? [];
  return roles.length > 0 ? ` [SIMULATED ${roles.join(', ')}]` : '';
}

/** How the CLI names the model under test: the display name with the target label, or the label alone. */
function modelLabel(run: RunRecord): string {
  return run.name === undefined ? run.target.label : `${run.name} (${run.target.label})`;
}

/**
 * What a session's settings must pass before anything is sent: --out is a directory (or can be one), the --fail-on
 * policy reads, and a calibration asked for (flag, or the policy's `calibration:`) exists in the store.
 */
function checkSession(session: SessionSettings, values: ParsedArgs['values'], store?: Store): void {
  const { settings } = session;
  if (settings.out !== undefined) checkOutputDirectory(settings.out, { flag: '--out' });
  const policy = settings.failOn ? loadPolicy(settings.failOn) : undefined;
  const calibration = (values.calibration as string | undefined) ?? policy?.calibration;
  if (store !== undefined && calibration !== undefined) resolveCalibration(store, calibration, settings.judge);
}

/** Scan events as terminal output: notices, resumed settings and waiting always; the run line and progress unless --quiet. */
function renderScanEvent(event: ScanEvent, io: CliIO, renderer: ProgressRenderer, session: () => SessionSettings, quiet: boolean): void {
  if (event.type === 'notice') {
    writeLine(io.stderr, event.level === 'info' ? event.message : `${event.level}: ${event.message}`);
  } else if (event.type === 'resume-changes') {
    for (const note of describeResumeChanges(event.runId, event.changes)) writeLine(io.stderr, note);
  } else if (event.type === 'waiting') {
    writeLine(io.stderr, `waiting: run ${event.runId} is being worked by pid ${event.holder.pid} on ${event.holder.host}; it resumes here once that process stops`);
  } else if (quiet) {
    return;
  } else if (event.type === 'start') {
    const verb = event.resumed ? `resuming ${event.run.id} (${event.alreadyDone} already done)` : `run ${event.run.id}`;
    writeLine(io.stderr, `${verb}: ${event.planned} attempts on ${modelLabel(event.run)}${simulatedTag(event.run)}, judge ${session().settings.judge}`);
  } else if (event.type === 'progress') {
    renderer.update(event);
  }
}

export const scanCommand = defineCommand({
  name: 'scan',
  summary: 'Red-team a target: plan, send, judge, record, summarise',
  usage,
  options: {
    config: { type: 'string' },
    target: { type: 'string' },
    'base-url': { type: 'string' },
    model: { type: 'string' },
    'api-key-env': { type: 'string' },
    header: { type: 'string', multiple: true },
    'public-header': { type: 'string', multiple: true },
    'system-prompt': { type: 'string' },
    temperature: { type: 'string' },
    'top-p': { type: 'string' },
    'max-tokens': { type: 'string' },
    seed: { type: 'string' },
    'timeout-ms': { type: 'string' },
    'max-response-bytes': { type: 'string' },
    retries: { type: 'string' },
    rpm: { type: 'string' },
    suite: { type: 'string', multiple: true },
    attacks: { type: 'string' },
    judge: { type: 'string' },
    helper: { type: 'string' },
    attacker: { type: 'string' },
    evaluator: { type: 'string' },
    rater: { type: 'string' },
    'max-queries': { type: 'string' },
    'max-attempt-tokens': { type: 'string' },
    'max-run-queries': { type: 'string' },
    'max-run-tokens': { type: 'string' },
    samples: { type: 'string' },
    limit: { type: 'string' },
    lenient: { type: 'boolean' },
    concurrency: { type: 'string' },
    'no-cache': { type: 'boolean' },
    resume: { type: 'string' },
    fresh: { type: 'boolean' },
    wait: { type: 'boolean' },
    name: { type: 'string' },
    db: { type: 'string' },
    out: { type: 'string' },
    'fail-on': { type: 'string' },
    calibration: { type: 'string' },
    quiet: { type: 'boolean' },
    defer: { type: 'boolean' },
  },

  async run({ values, positionals }, io) {
    if (positionals.length > 0) throw new ConfigError(`unexpected argument '${positionals[0]}' (see redcard scan --help)`);
    const config = typeof values.config === 'string' ? loadConfigFile(resolve(io.cwd, values.config)) : undefined;
    const databasePath = resolve(io.cwd, (values.db as string | undefined) ?? (config?.values.db as string | undefined) ?? DEFAULT_DB_PATH);
    const named = values.resume as string | undefined;
    const recorded = named === undefined ? undefined : readRecordedRun(databasePath, named);
    let session = resolveSessionSettings(values, config, recorded?.settings, io.cwd, `run ${named}`);
    // A file where --out should be, or a broken policy, fails now, not after the scan (and before a store is made).
    checkSession(session, values);
    // The store is opened once scan() has checked the settings (a broken config or suite makes no database).
    let opened: Store | undefined;
    const openScanStore = (): Store => {
      if (opened === undefined) {
        opened = openStore(databasePath);
        checkSession(session, values, opened);
      }
      return opened;
    };
    const renderer = new ProgressRenderer(io.stderr);
    try {
      const defer = values.defer === true;
      // A deferred run's failed calls are asked again by its next Batch export, not by sending them online.
      const resumeLine = (runId: string): string => (defer
        ? redcardCommand(['batch', 'export', runId, '--out', 'requests.jsonl'], databasePath, io.cwd)
        : resumeCommand(runId, databasePath, io.cwd, withheldHeaderNames(session.targetConfig)));
      let outcome: ScanOutcome;
      try {
        outcome = await scan(scanSettingsOf(session), {
          store: openScanStore,
          databasePath,
          cwd: io.cwd,
          resumeRunId: recorded?.id,
          fresh: values.fresh === true,
          waitForLease: values.wait === true,
          defer,
          signal: io.signal,
          // An identical unfinished run is resumed: its recorded settings fill in what this command does not give.
          settingsForRun: (run) => {
            session = resolveSessionSettings(values, config, run.settings, io.cwd, `run ${run.id}`);
            checkSession(session, values, openScanStore());
            return scanSettingsOf(session);
          },
          events: (event) => renderScanEvent(event, io, renderer, () => session, values.quiet === true),
        });
      } catch (error) {
        renderer.done();
        // A plan change is named by the flags that would change it.
        if (error instanceof ResumePlanChangedError) describeResumeChanges(error.runId, error.changes);
        if (error instanceof RunLockedError) {
          writeLine(io.stderr, `redcard scan: ${error.message}; wait for it with --wait, or start a separate run with --fresh`);
          return 1;
        }
        if (!(error instanceof ScanStoppedError)) throw error;
        const store = openScanStore();
        const { settings } = session;
        if (settings.out !== undefined) writeOutputsOrExplain(store, error.run.id, settings.out, resumeLine(error.run.id));
        const saved = store.countAttempts(error.run.id).total;
        const attemptsFile = settings.out === undefined ? undefined : join(settings.out, 'attempts.jsonl');
        for (const line of formatErrorReport(error.errors, { recorded: saved, resumeCommand: resumeLine(error.run.id), attemptsFile })) writeLine(io.stderr, line);
        writeLine(io.stderr, `redcard scan: ${error.message.split('\n')[0]}`);
        writeLine(io.stderr, stoppedScanAdvice(error.errors, { saved, planned: error.run.planned, resumeCommand: resumeLine(error.run.id) }));
        return 1;
      }
      renderer.done();
      return reportOutcome(outcome, { store: openScanStore(), session, io, resumeLine, databasePath, calibration: values.calibration as string | undefined });
    } finally {
      renderer.done();
      opened?.close();
    }
  },
});

/** The finished session on the terminal and in --out: summary table, run line, errors, warnings; then the exit code. */
async function reportOutcome(
  outcome: ScanOutcome,
  context: { store: Store; session: SessionSettings; io: CliIO; resumeLine: (runId: string) => string; databasePath: string; calibration?: string },
): Promise<number> {
  const { store, io, resumeLine } = context;
  const { settings } = context.session;
  const run = outcome.run;
  const waitingForBatch = outcome.deferred && run.status !== 'completed';
  const summary = settings.out !== undefined ? writeOutputsOrExplain(store, run.id, settings.out, resumeLine(run.id)) : summarizeAttempts(run, store.iterateAttempts(run.id));
  writeLine(io.stdout, formatSummaryTable(summary));
  writeLine(io.stdout);
  if (Object.keys(outcome.judgeStats).length > 0) {
    writeLine(io.stdout, `judge calls: ${Object.entries(outcome.judgeStats).map(([name, count]) => `${name} ${count}`).join(', ')}`);
  }
  const errors = summary.overall.errors;
  writeLine(io.stdout, `run ${run.id} on ${modelLabel(run)}: ${summary.run.recorded}/${run.planned} attempts recorded, ${errors} errors, status ${run.status}${waitingForBatch ? ' (waiting for Batch answers)' : ''}${simulatedTag(run)}`);
  if (settings.out !== undefined) writeLine(io.stdout, `wrote ${join(settings.out, 'attempts.jsonl')}, summary.json, run.json`);
  const attemptsFile = settings.out === undefined ? undefined : join(settings.out, 'attempts.jsonl');
  for (const line of formatErrorReport(outcome.errors, { recorded: summary.run.recorded, resumeCommand: resumeLine(run.id), attemptsFile })) writeLine(io.stderr, line);
  if (summary.overall.decodeErrors > 0) {
    writeLine(io.stderr, `warning: ${summary.overall.decodeErrors} answers could not be decoded and were judged as received (see 'response.decodeError')`);
  }
  if (outcome.interrupted) {
    writeLine(io.stderr, `interrupted: finished attempts are saved. Resume with: ${resumeLine(run.id)}`);
    return 130;
  }
  if (waitingForBatch) {
    for (const line of describeWaitingCalls(store, run, context.databasePath, io.cwd)) writeLine(io.stderr, line);
    return 0;
  }
  if (outcome.stoppedBy !== undefined) {
    const flag = outcome.stoppedBy === 'run-queries' ? '--max-run-queries' : '--max-run-tokens';
    writeLine(io.stderr, `run budget reached (${outcome.stoppedBy}): ${summary.run.recorded} of ${run.planned} attempts done. Resume with a larger one: ${resumeLine(run.id)} ${flag} N`);
  }
  return concludeRun({ store, run, io, policyFile: settings.failOn, calibration: context.calibration });
}

/** Write --out; when the disk refuses (full, read-only), say that the run itself is safe in the store and how to retry. */
function writeOutputsOrExplain(store: Store, runId: string, directory: string, resume: string): ReturnType<typeof writeRunOutputs> {
  try {
    return writeRunOutputs(store, runId, directory);
  } catch (error) {
    if (!(error instanceof FileSystemError)) throw error;
    throw new FileSystemError(`${error.message}; every attempt is saved in the store: write the files again with '${resume} --out DIR'`, error.path, error.errno, error);
  }
}
