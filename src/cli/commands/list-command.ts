import { defaultTaxonomy } from '../../taxonomy/taxonomy.js';
import { defineCommand, writeLine, type CliIO } from '../command.js';
import { ConfigError } from '../../spec/errors.js';
import { attackRegistry } from '../../attacks/registry.js';
import { strategyRegistry } from '../../attacks/strategies/registry.js';
import { suiteRegistry } from '../../corpus/registry.js';
import { judgeRegistry } from '../../judges/registry.js';
import { targetRegistry } from '../../targets/registry.js';
import { loadSuites } from '../../corpus/load-suites.js';

/** One hazard category as `list categories` shows it. */
export interface CategoryRow {
  id: string;
  name: string;
  description: string;
  group?: string;
}

/** Where `list` gets what is not in a registry; the taxonomy lives in another module, injected here. */
export interface ListSources {
  /** The hazard categories of the active taxonomy; absent when no taxonomy is wired in. */
  categories?: () => CategoryRow[];
}

type Row = Record<string, string | boolean | null | undefined>;

const KINDS = ['categories', 'attacks', 'suites', 'judges', 'targets', 'behaviors', 'strategies'] as const;
type Kind = (typeof KINDS)[number];

const USAGE = `Usage: redcard list <${KINDS.join('|')}> [--suite SPEC]… [--json]

  categories   hazard categories of the taxonomy
  attacks      attack vectors (compose with '+': roleplay.grandma+obfuscation.base64)
  suites       built-in suites and dataset loaders
  judges       judge kinds
  targets      target adapter kinds
  behaviors    the behaviors of --suite SPEC (default: core), e.g. --suite core:vcr
  strategies   adaptive attack strategies, their paper defaults and presets (docs/strategies.md)

Options:
  --suite SPEC  suite for 'behaviors' (repeatable)
  --json        print a JSON array instead of a table`;

/** Control characters and line breaks shown as spaces, so one row stays one line. */
function oneLine(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ');
}

/**
 * A plain-text table: a header, a rule, one line per row. On a terminal the last column is cut to fit its width.
 *
 * @example
 * renderTable([{ id: 'a', note: 'x' }], ['id', 'note'], 80)
 */
export function renderTable(rows: Row[], columns: string[], width?: number, labels: Record<string, string> = {}): string {
  const cells = rows.map((row) => columns.map((column) => {
    const value = row[column];
    return value === undefined || value === null ? '' : typeof value === 'boolean' ? (value ? 'yes' : 'no') : oneLine(value);
  }));
  const widths = columns.map((column, index) => Math.max((labels[column] ?? column).length, ...cells.map((line) => line[index].length)));
  const render = (line: string[]): string => {
    const text = line.map((cell, index) => (index === line.length - 1 ? cell : cell.padEnd(widths[index]))).join('  ');
    return width !== undefined && text.length > width ? `${text.slice(0, Math.max(width - 1, 0))}…` : text;
  };
  return [render(columns.map((column) => labels[column] ?? column)), render(widths.map((size) => '-'.repeat(size))), ...cells.map(render)].join('\n');
}

/** Short table headers for long field names (JSON keeps the field names). */
const HEADER_LABELS: Record<string, string> = { needsHelper: 'helper', decodesResponse: 'decodes', needsFile: 'file', needsTarget: 'model', needsAttacker: 'attacker', maxQueries: 'queries' };

async function collect(kind: Kind, values: Record<string, unknown>, sources: ListSources): Promise<{ rows: Row[]; columns: string[] }> {
  switch (kind) {
    case 'categories': {
      if (sources.categories === undefined) throw new ConfigError('taxonomy not available in this build: no hazard categories to list');
      return { rows: sources.categories().map((hazard) => ({ ...hazard })), columns: ['id', 'name', 'group', 'description'] };
    }
    case 'attacks':
      return {
        rows: attackRegistry.list().map((vector) => ({
          id: vector.id,
          family: vector.family,
          description: vector.description,
          reference: vector.reference,
          needsHelper: vector.needsHelper,
          decodesResponse: vector.decodesResponse,
        })),
        columns: ['id', 'family', 'needsHelper', 'decodesResponse', 'description'],
      };
    case 'suites':
      return {
        rows: suiteRegistry.list().map((source) => ({ id: source.id, description: source.description, reference: source.reference, needsFile: source.needsFile })),
        columns: ['id', 'needsFile', 'description'],
      };
    case 'judges':
      return {
        rows: judgeRegistry.list().map((judge) => ({ kind: judge.kind, description: judge.description, reference: judge.reference, needsTarget: judge.needsTarget })),
        columns: ['kind', 'needsTarget', 'description'],
      };
    case 'targets':
      return { rows: targetRegistry.list().map((target) => ({ kind: target.kind, description: target.description })), columns: ['kind', 'description'] };
    case 'strategies':
      return {
        rows: strategyRegistry.list().map((strategy) => {
          const defaults = strategy.parameters.parse({}) as Record<string, unknown>;
          return {
            id: strategy.id,
            needsAttacker: strategy.needsAttacker,
            maxQueries: String(strategy.maxQueries(defaults)),
            presets: Object.keys(strategy.presets).join(', '),
            defaults: Object.entries(defaults).map(([key, value]) => `${key}=${String(value)}`).join(','),
            description: strategy.description,
            reference: strategy.reference,
          };
        }),
        columns: ['id', 'needsAttacker', 'maxQueries', 'presets', 'description'],
      };
    case 'behaviors': {
      const specs = (values.suite as string[] | undefined) ?? [];
      if (specs.length === 0 && !suiteRegistry.has('core')) {
        throw new ConfigError(`'list behaviors' needs --suite SPEC (known suites: ${suiteRegistry.keys().join(', ') || 'none registered'})`, { field: 'suite' });
      }
      const { behaviors } = await loadSuites(specs.length > 0 ? specs : ['core']);
      return {
        rows: behaviors.map((behavior) => ({ id: behavior.id, category: behavior.category, benign: behavior.benign, twin: behavior.twin ?? null, text: behavior.text })),
        columns: ['id', 'category', 'benign', 'twin', 'text'],
      };
    }
  }
}

/**
 * Build the `list` command with its non-registry sources. The default export has no taxonomy wired in;
 * the taxonomy module provides it with `createListCommand({ categories: () => defaultTaxonomy().hazards })`.
 *
 * @example
 * const command = createListCommand({ categories: () => [{ id: 'vcr', name: 'Violent crimes', description: '…' }] });
 */
export function createListCommand(sources: ListSources) {
  return defineCommand({
    name: 'list',
    summary: 'List categories, attacks, suites, judges, targets, behaviors or strategies',
    usage: USAGE,
    options: { json: { type: 'boolean' }, suite: { type: 'string', multiple: true } },
    async run(args, io: CliIO) {
      const kind = args.positionals[0];
      if (kind === undefined || !(KINDS as readonly string[]).includes(kind) || args.positionals.length > 1) {
        throw new ConfigError(`expected one of ${KINDS.join(', ')}${kind === undefined ? '' : `, got '${args.positionals.join(' ')}'`}\n\n${USAGE}`);
      }
      const { rows, columns } = await collect(kind as Kind, args.values, sources);
      if (args.values.json === true) {
        writeLine(io.stdout, JSON.stringify(rows, null, 2));
      } else if (rows.length === 0) {
        writeLine(io.stdout, `(no ${kind} registered)`);
      } else {
        writeLine(io.stdout, renderTable(rows, columns, io.stdout.isTTY ? (io.stdout.columns ?? 100) : undefined, HEADER_LABELS));
        writeLine(io.stdout, `\n${rows.length} ${kind}.`);
        if (kind === 'attacks') {
          writeLine(io.stdout, "Compose with '+': roleplay.grandma+obfuscation.base64.\nDetails and an example: redcard show attack ID");
        }
        if (kind === 'strategies') {
          writeLine(io.stdout, "Settings: --attacks 'strategy.pair:streams=5,iterations=2' or 'strategy.tap:preset=small'; queries are per attempt with the defaults. See docs/strategies.md.");
        }
      }
      return 0;
    },
  });
}

/** `redcard list …`. The taxonomy is not wired in yet: `list categories` says so (exit 2). */
export const listCommand = createListCommand({ categories: () => defaultTaxonomy().hazards });
