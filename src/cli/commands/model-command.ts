import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ConfigError } from '../../spec/errors.js';
import { defaultModelCache, pullModel, readPulledRecord, type ModelPullEvent, type PulledModelRecord } from '../../targets/llama/gguf-cache.js';
import { defineCommand, writeLine, type CliIO } from '../command.js';
import { formatBytes, percentLine } from '../download-progress.js';

const USAGE = `Usage:
  redcard model pull hf:OWNER/REPO/FILE.gguf [--sha256 HEX] [--cache DIR] [--force]
  redcard model list [--cache DIR] [--json]

Download a GGUF model file from a Hugging Face repository into the local model cache, checking its sha256, for the
in-process target: --target llama:hf:OWNER/REPO/FILE.gguf (or llama:PATH.gguf for a file you have). A broken download
continues where it stopped when pulled again. Pin a revision with hf:OWNER/REPO@REVISION/FILE.gguf.

Options:
  --sha256 HEX   the file's expected sha256 (else the hub's own, else it is recorded unverified, with a warning)
  --cache DIR    model cache (default: $REDCARD_MODEL_CACHE, else ~/.cache/redcard/models)
  --force        download again even when the cache has the file
  --json         'list' as JSON

Environment: HF_TOKEN (gated or private repositories; sent to the hub only), HF_ENDPOINT (a mirror of the hub).`;

function pullPrinter(io: CliIO): (event: ModelPullEvent) => void {
  const progress = percentLine(io.stderr, 'downloading');
  return (event) => {
    if (event.type === 'cached') writeLine(io.stderr, `cached: ${event.path}`);
    else if (event.type === 'download') writeLine(io.stderr, `downloading ${event.url}${event.resumingFrom > 0 ? ` (continuing after ${formatBytes(event.resumingFrom)})` : ''}`);
    else if (event.type === 'progress') progress.update(event.receivedBytes, event.totalBytes);
    else if (event.type === 'unverified') {
      progress.end();
      writeLine(io.stderr, `warning: neither --sha256 nor the hub gave a checksum; recorded sha256 ${event.sha256} without checking it`);
    } else if (event.type === 'saved') {
      progress.end();
      writeLine(io.stderr, `saved ${formatBytes(event.bytes)} to ${event.path} (sha256 ${event.sha256})`);
    }
  };
}

/** Every pulled model under the cache: its path and record. */
function listPulled(cacheDir: string): Array<{ path: string; record: PulledModelRecord }> {
  const found: Array<{ path: string; record: PulledModelRecord }> = [];
  const walk = (directory: string): void => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.gguf$/i.test(entry.name)) {
        const record = readPulledRecord(path);
        if (record !== undefined) found.push({ path, record });
      }
    }
  };
  if (existsSync(cacheDir) && statSync(cacheDir).isDirectory()) walk(cacheDir);
  return found.sort((left, right) => left.record.source.localeCompare(right.record.source));
}

export const modelCommand = defineCommand({
  name: 'model',
  summary: "GGUF models for the in-process target ('model pull hf:OWNER/REPO/FILE.gguf', 'model list')",
  usage: USAGE,
  options: {
    sha256: { type: 'string' },
    cache: { type: 'string' },
    force: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  async run(args, io) {
    const [action, reference, ...extra] = args.positionals;
    const cacheDir = typeof args.values.cache === 'string' ? resolve(io.cwd, args.values.cache) : defaultModelCache(io.env);
    if (action === 'pull' && reference !== undefined && extra.length === 0) {
      const pulled = await pullModel(reference, {
        cacheDir,
        sha256: typeof args.values.sha256 === 'string' ? args.values.sha256 : undefined,
        force: args.values.force === true,
        env: io.env,
        onEvent: pullPrinter(io),
        signal: io.signal,
      });
      const isDefault = resolve(cacheDir) === resolve(defaultModelCache(io.env));
      writeLine(io.stderr, 'Use it with:');
      writeLine(io.stdout, `--target llama:${isDefault ? pulled.record.source : pulled.path}`);
      return 0;
    }
    if (action === 'list' && reference === undefined) {
      const pulled = listPulled(cacheDir);
      if (args.values.json === true) {
        writeLine(io.stdout, JSON.stringify(pulled.map(({ path, record }) => ({ path, ...record })), null, 2));
        return 0;
      }
      if (pulled.length === 0) {
        writeLine(io.stdout, `no models in ${cacheDir}; pull one with: redcard model pull hf:OWNER/REPO/FILE.gguf`);
        return 0;
      }
      for (const { path, record } of pulled) {
        writeLine(io.stdout, `${record.source}  ${formatBytes(record.bytes)}  sha256 ${record.sha256.slice(0, 12)}…${record.verified ? '' : ' (unverified)'}  ${relative(cacheDir, path)}`);
      }
      return 0;
    }
    throw new ConfigError(`expected 'model pull hf:OWNER/REPO/FILE.gguf' or 'model list'\n\n${USAGE}`, { field: 'model' });
  },
});
