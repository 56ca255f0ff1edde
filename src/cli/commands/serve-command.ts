import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineCommand, writeLine, type CliIO, type ParsedArgs } from '../command.js';
import { numberFlag } from '../flags.js';
import { ConfigError } from '../../spec/errors.js';
import type { TargetConfigInput } from '../../spec/target-config.js';
import { loadConfigFile } from '../../engine/scan-settings.js';
import { DEFAULT_DB_PATH, openStore } from '../../store/sqlite-store.js';
import { startServe } from '../../serve/start-serve.js';
import { chatTargets } from '../../serve/chat/chat-targets.js';
import { openServeTablesReadonly } from '../../serve/db/serve-database.js';
import { communitySuiteJsonl } from '../../serve/community/community-findings.js';
import { parseTaskLabelsSpec, taskLabelsJsonl } from '../../serve/community/task-labels.js';

const usage = `Usage: redcard serve [--port N] [--host H] [--db PATH] [--config FILE] [--model-calls-per-minute N]
       redcard serve export community|task:ID[:harmful|outcome] [--out FILE] [--db PATH]

Start the community red-teaming web app on the scans' SQLite store: people chat with a model and flag what breaks,
annotators label answers (k per item, with live Krippendorff's alpha and Fleiss' kappa), findings become the
'community' suite (redcard scan --suite community) and labels feed judge-eval (--labels task:ID).

Options:
  --port N                    port (default 8080; 0 picks a free one)
  --host H                    interface (default 127.0.0.1; another one is reachable by others: a warning is printed)
  --db PATH                   SQLite store (default .redcard/redcard.db)
  --config FILE               YAML config whose 'targets:' map names the models people may chat with (sim is always there)
  --model-calls-per-minute N  chat messages per account per minute (default 30)

On first start (no admin yet) a one-time admin invite link is printed. Stop with Ctrl-C (or SIGTERM).
'serve export community' writes the community suite as JSONL (with conversations); 'serve export task:ID' writes a
task's majority labels in judge-eval's JSONL format. Docs: docs/serve.md`;

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

function configuredTargets(values: ParsedArgs['values'], io: CliIO): Record<string, TargetConfigInput> {
  if (typeof values.config !== 'string') return {};
  const config = loadConfigFile(resolve(io.cwd, values.config));
  const targets = config.values.targets;
  if (targets === undefined) return {};
  if (typeof targets !== 'object' || targets === null || Array.isArray(targets)) {
    throw new ConfigError('targets: must be a mapping of name → target settings', { file: config.file, line: config.lineOf(['targets']), field: 'targets' });
  }
  for (const name of Object.keys(targets)) {
    try {
      chatTargets({ [name]: (targets as Record<string, TargetConfigInput>)[name] }, io.env);
    } catch (error) {
      if (error instanceof ConfigError) throw new ConfigError(error.message, { file: config.file, line: config.lineOf(['targets', name]) });
      throw error;
    }
  }
  return targets as Record<string, TargetConfigInput>;
}

async function exportCommand(what: string | undefined, values: ParsedArgs['values'], io: CliIO): Promise<number> {
  const dbPath = resolve(io.cwd, (values.db as string | undefined) ?? DEFAULT_DB_PATH);
  const db = openServeTablesReadonly(dbPath);
  if (db === undefined) throw new ConfigError(`${dbPath} has no redcard serve data (run redcard serve first, or pass --db PATH)`, { field: '--db' });
  let text: string;
  let summary: string;
  try {
    if (what === 'community') {
      text = communitySuiteJsonl(db);
      summary = `${text.split('\n').filter(Boolean).length} community findings`;
    } else {
      const spec = what === undefined ? undefined : parseTaskLabelsSpec(what);
      if (spec === undefined) throw new ConfigError(`export what? 'community' or 'task:ID[:harmful|outcome]', got '${what ?? ''}'`);
      const store = openStore(dbPath);
      try {
        const exported = await taskLabelsJsonl(db, store, spec.taskId, spec.question);
        text = exported.text;
        summary = `${exported.lines} majority labels (${exported.question}) of task ${spec.taskId}`;
      } finally {
        store.close();
      }
    }
  } finally {
    db.close();
  }
  if (typeof values.out === 'string') {
    writeFileSync(resolve(io.cwd, values.out), text);
    writeLine(io.stderr, `redcard: wrote ${summary} to ${values.out}`);
  } else {
    io.stdout.write(text);
  }
  return 0;
}

export const serveCommand = defineCommand({
  name: 'serve',
  summary: 'Community red-teaming web app: chat, flag, label with measured agreement',
  usage,
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    db: { type: 'string' },
    config: { type: 'string' },
    'model-calls-per-minute': { type: 'string' },
    out: { type: 'string' },
  },
  async run({ values, positionals }, io) {
    if (positionals[0] === 'export') return exportCommand(positionals[1], values, io);
    if (positionals.length > 0) throw new ConfigError(`unexpected argument '${positionals[0]}' (see redcard serve --help)`);
    const port = numberFlag(values, 'port', { integer: true }) ?? 8080;
    if (port < 0 || port > 65535) throw new ConfigError(`a port is 0–65535, got ${port}`, { field: '--port' });
    const host = (values.host as string | undefined) ?? '127.0.0.1';
    const modelCallsPerMinute = numberFlag(values, 'model-calls-per-minute', { integer: true });
    if (modelCallsPerMinute !== undefined && modelCallsPerMinute < 1) throw new ConfigError('at least 1', { field: '--model-calls-per-minute' });
    const targets = configuredTargets(values, io);
    const dbPath = resolve(io.cwd, (values.db as string | undefined) ?? DEFAULT_DB_PATH);
    if (!LOOPBACK.test(host)) {
      writeLine(io.stderr, `warning: serving on ${host}: anyone who can reach this address can reach the app, over plain HTTP. Put it behind a TLS proxy, or use the default 127.0.0.1.`);
    }
    const app = await startServe({
      dbPath,
      host,
      port,
      targets,
      modelCallsPerMinute,
      onError: (error, where) => writeLine(io.stderr, `redcard serve: ${where}: ${(error as Error).stack ?? String(error)}`),
    });
    writeLine(io.stdout, `listening ${app.url}`);
    writeLine(io.stderr, `redcard serve: store ${dbPath}; chat targets: ${['sim', ...Object.keys(targets).filter((name) => name !== 'sim')].join(', ')}`);
    if (app.adminInvite) writeLine(io.stdout, `admin invite (one use, valid 24 h): ${app.adminInvite}`);
    await new Promise<void>((resolveStop) => {
      if (io.signal.aborted) resolveStop();
      else io.signal.addEventListener('abort', () => resolveStop(), { once: true });
    });
    await app.close();
    writeLine(io.stderr, 'redcard serve: stopped');
    return 0;
  },
});
