import { resolve } from 'node:path';
import { defineCommand, writeLine, type CliIO } from '../command.js';
import { ConfigError } from '../../spec/errors.js';
import { formatBytes, percentLine } from '../download-progress.js';
import {
  defaultDatasetCache,
  findDataset,
  loadDatasetCatalog,
  pullDataset,
  type PullEvent,
} from '../../corpus/dataset-puller.js';

const USAGE = `Usage:
  redcard dataset list [--json] [--catalog FILE]
  redcard dataset pull NAME [--cache DIR] [--force] [--catalog FILE]

Download public red-teaming datasets (HarmBench, XSTest, JailbreakBench, …) into a local cache, checking each
file's pinned sha256, and print the --suite spec that loads them. Nothing is downloaded unless you run 'pull'.

Options:
  --cache DIR      cache root (default: $REDCARD_CACHE, else ~/.cache/redcard/datasets)
  --force          download again even when a valid copy is cached
  --json           'list' as JSON
  --catalog FILE   use another catalog (e.g. a mirror) instead of the shipped data/datasets.json`;

function quoteForShell(text: string): string {
  return /^[\w./:@,{}=+-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Renders puller events on stderr: one line per file, progress overwritten in place on a terminal. */
function progressPrinter(io: CliIO): (event: PullEvent) => void {
  let progress = percentLine(io.stderr, '');
  return (event) => {
    if (event.type === 'cached') writeLine(io.stderr, `  ${event.file}: cached, sha256 ok`);
    else if (event.type === 'download') {
      progress = percentLine(io.stderr, event.file);
      writeLine(io.stderr, `  ${event.file}: downloading ${event.url}`);
    } else if (event.type === 'progress') {
      progress.update(event.receivedBytes, event.totalBytes);
    } else if (event.type === 'saved') {
      progress.end();
      writeLine(io.stderr, `  ${event.file}: saved ${formatBytes(event.bytes)}, sha256 ok`);
    }
  };
}

export const datasetCommand = defineCommand({
  name: 'dataset',
  summary: "Download public datasets into the local cache ('dataset pull NAME', 'dataset list')",
  usage: USAGE,
  options: {
    cache: { type: 'string' },
    force: { type: 'boolean' },
    json: { type: 'boolean' },
    catalog: { type: 'string' },
  },
  async run(args, io) {
    const [action, name, ...extra] = args.positionals;
    const catalogPath = typeof args.values.catalog === 'string' ? resolve(io.cwd, args.values.catalog) : undefined;
    if (action === 'list' && name === undefined) {
      const catalog = loadDatasetCatalog(catalogPath);
      if (args.values.json === true) {
        writeLine(io.stdout, JSON.stringify(catalog.datasets, null, 2));
        return 0;
      }
      const width = Math.max(...catalog.datasets.map((entry) => entry.name.length));
      for (const entry of catalog.datasets) {
        writeLine(io.stdout, `${entry.name.padEnd(width)}  ${entry.title} [${entry.licence}]`);
      }
      writeLine(io.stdout, `\nPull one with: redcard dataset pull NAME`);
      return 0;
    }
    if (action === 'pull' && name !== undefined && extra.length === 0) {
      const entry = findDataset(loadDatasetCatalog(catalogPath), name);
      const cacheDir = typeof args.values.cache === 'string' ? resolve(io.cwd, args.values.cache) : defaultDatasetCache(io.env);
      writeLine(io.stderr, `${entry.name}: ${entry.title} (${entry.licence}, ${entry.homepage})`);
      const result = await pullDataset(entry, {
        cacheDir,
        force: args.values.force === true,
        onEvent: progressPrinter(io),
        signal: io.signal,
      });
      writeLine(io.stderr, `${entry.name}: ready in ${result.directory}. Use it with:`);
      writeLine(io.stdout, `--suite ${quoteForShell(result.suite)}`);
      return 0;
    }
    throw new ConfigError(`expected 'dataset list' or 'dataset pull NAME'\n\n${USAGE}`, { field: 'dataset' });
  },
});
