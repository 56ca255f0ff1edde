import { resolveAttackChains } from '../../attacks/chain.js';
import { loadSuites } from '../../corpus/load-suites.js';
import { runScan } from '../../engine/scan.js';
import { loadConfigFile, resolveScanSettings, type ScanSettings } from '../../engine/scan-settings.js';
import { writeRunOutputs } from '../../engine/write-run-outputs.js';
import { summarizeAttempts } from '../../engine/summarize.js';
import { createJudge } from '../../judges/create-judge.js';
import { ConfigError } from '../../spec/errors.js';
import { createJudgeContext, judgeCacheIdentity } from '../../judges/judge-context.js';
import type { TargetConfigInput } from '../../spec/target-config.js';
import { DEFAULT_DB_PATH, openStore } from '../../store/sqlite-store.js';
import { join, resolve } from 'node:path';
import { createTarget } from '../../targets/create-target.js';
import { parseTargetSpec } from '../../targets/parse-target-spec.js';
import { checkReachable } from '../../targets/check-reachable.js';
import { defineCommand, writeLine, type ParsedArgs } from '../command.js';
import { ProgressRenderer } from '../progress-renderer.js';
import { formatSummaryTable } from '../summary-table.js';
import { numberFlag, stringList } from '../flags.js';
import { concludeRun } from '../fail-on.js';
import { resolveCalibration } from '../../report/resolve-calibration.js';
import { storableHeaders, storedTargetConfig } from '../../targets/stored-headers.js';
import { MAX_TIMER_MS } from '../../util/timer-limit.js';
import { checkOutputDirectory } from '../../util/output-path.js';
import { FileSystemError } from '../../util/file-system-error.js';
import type { Store } from '../../store/store-api.js';
import { loadPolicy } from '../../report/policy.js';

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
  --rpm N                requests per minute at most
What to run:
  --suite SPEC           suite (repeatable or comma-separated; default core): core, core:benign, core:vcr, harmbench:FILE…
  --attacks LIST         attack chains: direct, roleplay.grandma+obfuscation.base64, family:NAME, all
                         (default: direct, roleplay.grandma, framing.fiction, output-control.prefix-injection)
  --judge SPEC           refusal (default), llm:TARGET, strongreject:TARGET, llama-guard:TARGET, cascade:A>B
  --helper SPEC          helper model for vectors that need one (translation)
  --samples N            samples per behavior × attack (default 1)
  --limit N              run only the first N planned attempts (stable order)
  --lenient              skip malformed dataset rows (counted) instead of stopping
Running:
  --concurrency N        attempts in flight (default 16)
  --no-cache             always send requests, even ones answered before
  --resume RUN           continue a run (its settings are reused); an identical scan resumes automatically
  --fresh                start a new run even if an identical unfinished one exists
  --db PATH              SQLite store (default .redcard/redcard.db)
  --out DIR              write DIR/attempts.jsonl, DIR/summary.json, DIR/run.json
  --fail-on POLICY       gate on a policy (YAML): exit 3 when a hazard fails it, 4 when it cannot measure
  --calibration NAME     show judge-corrected rates with this saved calibration (judge-eval --save NAME)
  --config FILE          YAML config with the same settings (flags win)
  --quiet                no progress output

Exit codes: 0 done; 1 failure; 2 bad flag, config or dataset input; 3 policy failed (a hazard over its threshold);
4 insufficient evidence for --fail-on (too few determined attempts, too many errored/empty/undetermined, or an
INVALID run); 5 finished, but some attempts errored; 130 interrupted (resumable). The lowest of 3, 4, 5 wins.`;

function headerFlags(values: string[] | undefined, flag: string): Record<string, string> | undefined {
  if (!values || values.length === 0) return undefined;
  const headers: Record<string, string> = {};
  for (const entry of values) {
    const colon = entry.indexOf(':');
    if (colon <= 0) throw new ConfigError(`expected 'Name: value', got '${entry}'`, { field: flag });
    headers[entry.slice(0, colon).trim()] = entry.slice(colon + 1).trim();
  }
  return headers;
}

function flagsToSettings(values: ParsedArgs['values']): Record<string, unknown> {
  const params = {
    temperature: numberFlag(values, 'temperature'),
    topP: numberFlag(values, 'top-p'),
    maxTokens: numberFlag(values, 'max-tokens', { integer: true }),
    seed: numberFlag(values, 'seed', { integer: true }),
  };
  const definedParams = Object.fromEntries(Object.entries(params).filter(([, value]) => value !== undefined));
  return {
    target: values.target,
    suites: values.suite ? stringList(values.suite) : undefined,
    attacks: values.attacks,
    judge: values.judge,
    helper: values.helper,
    samples: numberFlag(values, 'samples', { integer: true }),
    limit: numberFlag(values, 'limit', { integer: true }),
    concurrency: numberFlag(values, 'concurrency', { integer: true }),
    params: Object.keys(definedParams).length > 0 ? definedParams : undefined,
    cache: values['no-cache'] ? false : undefined,
    lenient: values.lenient ? true : undefined,
    out: values.out,
    db: values.db,
    failOn: values['fail-on'],
  };
}

/** The target config: the target spec or block, overlaid by the connection flags. */
function resolveTargetConfig(settings: ScanSettings, values: ParsedArgs['values']): TargetConfigInput {
  const base: TargetConfigInput =
    typeof settings.target === 'string' ? parseTargetSpec(settings.target, settings.targets) : { ...settings.target };
  const overlay: Partial<TargetConfigInput> = {
    baseUrl: values['base-url'] as string | undefined,
    model: values.model as string | undefined,
    apiKeyEnv: values['api-key-env'] as string | undefined,
    systemPrompt: values['system-prompt'] as string | undefined,
    timeoutMs: numberFlag(values, 'timeout-ms', { integer: true, maximum: MAX_TIMER_MS, maximumReason: 'about 24.8 days, the longest timer Node can set; a longer one would fire after 1 ms' }),
    maxRetries: numberFlag(values, 'retries', { integer: true }),
    rpm: numberFlag(values, 'rpm'),
  };
  const headers = headerFlags(values.header as string[] | undefined, '--header');
  const publicHeaders = headerFlags(values['public-header'] as string[] | undefined, '--public-header');
  const merged: TargetConfigInput = { ...base };
  for (const [key, value] of Object.entries(overlay)) if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
  if (headers || publicHeaders) merged.headers = { ...(base.headers ?? {}), ...headers, ...publicHeaders };
  if (publicHeaders) merged.publicHeaders = [...(base.publicHeaders ?? []), ...Object.keys(publicHeaders)];
  merged.concurrency ??= settings.concurrency;
  return merged;
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
    retries: { type: 'string' },
    rpm: { type: 'string' },
    suite: { type: 'string', multiple: true },
    attacks: { type: 'string' },
    judge: { type: 'string' },
    helper: { type: 'string' },
    samples: { type: 'string' },
    limit: { type: 'string' },
    lenient: { type: 'boolean' },
    concurrency: { type: 'string' },
    'no-cache': { type: 'boolean' },
    resume: { type: 'string' },
    fresh: { type: 'boolean' },
    db: { type: 'string' },
    out: { type: 'string' },
    'fail-on': { type: 'string' },
    calibration: { type: 'string' },
    quiet: { type: 'boolean' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length > 0) throw new ConfigError(`unexpected argument '${positionals[0]}' (see redcard scan --help)`);
    const config = typeof values.config === 'string' ? loadConfigFile(resolve(io.cwd, values.config)) : undefined;
    const flags = flagsToSettings(values);
    const resumeRunId = values.resume as string | undefined;
    let savedSettings: Record<string, unknown> | undefined;
    if (resumeRunId) {
      const store = openStore(resolve(io.cwd, (flags.db as string | undefined) ?? (config?.values.db as string | undefined) ?? DEFAULT_DB_PATH));
      try {
        savedSettings = store.getRun(resumeRunId).settings;
      } finally {
        store.close();
      }
    }
    const baseConfig = savedSettings ? { file: config?.file ?? `run ${resumeRunId}`, values: { ...savedSettings, ...(config?.values ?? {}) }, lineOf: config?.lineOf ?? (() => undefined) } : config;
    const settings = resolveScanSettings(flags, baseConfig);
    const outDirectory = settings.out === undefined ? undefined : resolve(io.cwd, settings.out);
    if (outDirectory !== undefined) checkOutputDirectory(outDirectory, { flag: '--out' }); // a file there fails now, not after the scan
    if (settings.failOn) loadPolicy(resolve(io.cwd, settings.failOn)); // a broken policy fails now, not after the scan
    const targetConfig = resolveTargetConfig(settings, values);
    for (const line of headerWarnings(targetConfig)) writeLine(io.stderr, line);
    const target = createTarget(targetConfig);
    if (targetConfig.baseUrl && target.kind === 'openai') await checkReachable(targetConfig.baseUrl);
    const context = createJudgeContext((spec) => createTarget(parseTargetSpec(spec, settings.targets)));
    const judge = createJudge(settings.judge, context);
    // Model-backed judges get a verdict cache (the offline judge is faster than a cache lookup).
    const verdictCacheIdentity = context.targetIdentities.length > 0 ? judgeCacheIdentity(settings.judge, context) : undefined;
    const helper = settings.helper ? createTarget(parseTargetSpec(settings.helper, settings.targets)) : undefined;
    const suites = await loadSuites(settings.suites, { lenient: settings.lenient });
    for (const note of suites.notes) {
      if (note.skipped > 0) writeLine(io.stderr, `warning: ${note.spec}: skipped ${note.skipped} malformed rows (--lenient)`);
      if (note.duplicates > 0) writeLine(io.stderr, `note: ${note.spec}: ${note.duplicates} behaviors already loaded by ${note.duplicateOf} (same id and text) are run once`);
      const unmapped = Object.entries(note.unmapped);
      if (unmapped.length > 0) {
        writeLine(io.stderr, `note: ${note.spec}: categories kept unmapped: ${unmapped.map(([name, count]) => `${name} (${count})`).join(', ')}`);
      }
    }
    if (suites.behaviors.length === 0) throw new ConfigError('the suites selected no behaviors', { field: 'suite' });
    const { chains, skipped } = resolveAttackChains(settings.attacks, { helperAvailable: helper !== undefined });
    for (const entry of skipped) writeLine(io.stderr, `skipped attack ${entry.id}: ${entry.reason}`);
    if (chains.length === 0) throw new ConfigError('no attack chain can run (see the skipped ones above)', { field: 'attacks' });

    // Header values are stored only where marked public (and not secret-looking), for the target and named targets.
    const storedTarget = storedTargetConfig(targetConfig);
    const { out: _out, db: _db, failOn: _failOn, ...storedSettings } = settings;
    storedSettings.targets = Object.fromEntries(Object.entries(settings.targets).map(([name, config]) => [name, storedTargetConfig(config)]));
    const store = openStore(resolve(io.cwd, settings.db));
    const renderer = new ProgressRenderer(io.stderr);
    try {
      // A calibration asked for (flag, or the --fail-on policy's calibration:) must exist now, not after the scan.
      const calibration = (values.calibration as string | undefined) ?? (settings.failOn ? loadPolicy(resolve(io.cwd, settings.failOn)).calibration : undefined);
      if (calibration !== undefined) resolveCalibration(store, calibration, settings.judge);
      const result = await runScan({
        store,
        target,
        judge,
        behaviors: suites.behaviors,
        chains,
        skippedChains: skipped,
        samples: settings.samples,
        limit: settings.limit ?? null,
        concurrency: settings.concurrency,
        useCache: settings.cache,
        verdictCacheIdentity,
        helper,
        describe: {
          suites: settings.suites,
          attacks: chains.map((chain) => chain.id),
          judge: settings.judge,
          params: settings.params,
          settings: { ...storedSettings, target: storedTarget },
        },
        resumeRunId,
        fresh: values.fresh === true,
        signal: io.signal,
        onEvent: (event) => {
          if (values.quiet) return;
          if (event.type === 'start') {
            const verb = event.resumed ? `resuming ${event.run.id} (${event.alreadyDone} already done)` : `run ${event.run.id}`;
            writeLine(io.stderr, `${verb}: ${event.planned} attempts on ${target.label}${target.simulated ? ' [SIMULATED]' : ''}, judge ${settings.judge}`);
          } else if (event.type === 'progress') {
            renderer.update(event);
          }
        },
      });
      renderer.done();
      const run = result.run;
      const summary = outDirectory ? writeOutputsOrExplain(store, run.id, outDirectory) : summarizeAttempts(run, store.iterateAttempts(run.id));
      writeLine(io.stdout, formatSummaryTable(summary));
      writeLine(io.stdout);
      const judgeStats = judge.stats?.();
      if (judgeStats && Object.keys(judgeStats).length > 0) {
        writeLine(io.stdout, `judge calls: ${Object.entries(judgeStats).map(([name, count]) => `${name} ${count}`).join(', ')}`);
      }
      const errors = summary.overall.errors;
      writeLine(io.stdout, `run ${run.id}: ${summary.run.recorded}/${run.planned} attempts recorded, ${errors} errors, status ${run.status}${target.simulated ? ' (SIMULATED target)' : ''}`);
      if (outDirectory) writeLine(io.stdout, `wrote ${join(settings.out ?? '', 'attempts.jsonl')}, summary.json, run.json`);
      if (errors > 0) writeLine(io.stderr, `warning: ${errors} attempts failed (see 'error' in attempts.jsonl); retry them with: redcard scan --resume ${run.id}`);
      if (result.interrupted) {
        writeLine(io.stderr, `interrupted: finished attempts are saved. Resume with: redcard scan --resume ${run.id}`);
        return 130;
      }
      return concludeRun({ store, run, io, policyFile: settings.failOn, calibration: values.calibration as string | undefined });
    } finally {
      renderer.done();
      store.close();
      await target.close?.();
      await helper?.close?.();
      await judge.close?.();
    }
  },
});

/** Warnings about headers: public ones that look secret (not stored), and ones a resumed run sent but did not store. */
function headerWarnings(config: TargetConfigInput): string[] {
  const warnings = storableHeaders(config.headers, config.publicHeaders).refusedPublic.map(
    (name) => `warning: header '${name}' looks like a credential: its value is sent but not stored, although marked public`,
  );
  const sent = new Set(Object.keys(config.headers ?? {}).map((name) => name.toLowerCase()));
  const missing = (config.withheldHeaders ?? []).filter((name) => !sent.has(name.toLowerCase()));
  if (missing.length > 0) {
    warnings.push(`warning: this run was made with header(s) ${missing.join(', ')} whose values were not stored; pass them again with --header 'Name: value'`);
  }
  return warnings;
}

/** Write --out; when the disk refuses (full, read-only), say that the run itself is safe in the store and how to retry. */
function writeOutputsOrExplain(store: Store, runId: string, directory: string): ReturnType<typeof writeRunOutputs> {
  try {
    return writeRunOutputs(store, runId, directory);
  } catch (error) {
    if (!(error instanceof FileSystemError)) throw error;
    throw new FileSystemError(`${error.message}; every attempt is saved in the store: write the files again with 'redcard scan --resume ${runId} --out DIR'`, error.path, error.errno, error);
  }
}
