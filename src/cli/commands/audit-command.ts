import { existsSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { defineCommand, writeLine, type CliIO } from '../command.js';
import { ConfigError } from '../../spec/errors.js';
import { numberFlag, stringList } from '../flags.js';
import { parseFieldMap } from '../../audit/dataset-layout.js';
import { readPhraseFile } from '../../audit/phrase-matcher.js';
import { readLabels } from '../../audit/label-agreement.js';
import { defaultWorkerCount } from '../../audit/analysis-pool.js';
import { FLAG_KINDS, type FlagKind } from '../../audit/audit-summary.js';
import { AUDIT_FORMATS, runAudit, type AuditEvent, type AuditFormat } from '../../audit/run-audit.js';
import { formatAudit } from '../../audit/format-audit.js';
import { writeTerminalControl } from '../../util/strip-terminal.js';

const USAGE = `Usage: redcard audit FILE... [options]

Audit instruction or chat datasets for refusals and AI disclaimers: every assistant message is judged by the
offline refusal judge (several languages), AI-disclaimer phrases ("as an AI language model", "as of my knowledge
cutoff") are matched apart, and the rates, top phrasings, a per-source breakdown and examples with reasons are
printed. Files are streamed (JSON arrays too), so size is no limit. See docs/audit.md.

Input:
  --format F            auto (default), sharegpt, alpaca, messages (the row layout; JSON, JSONL or Parquet
                        detected), jsonl or parquet (the container; the layout detected from the first row)
  --map KEY=FIELD,...   other field names: conversations, from, value, messages, role, content, instruction,
                        input, output, system, id, source (e.g. --map instruction=question,output=answer)
  --lenient             skip malformed rows (counted, with their line) instead of stopping at the first
Output:
  --json                print the summary as JSON (docs/audit.md lists the fields)
  --verdicts-out FILE   one JSON line per assistant message: row, turn, label, reason, score, disclaimer, phrase
  --examples N          examples kept per kind (default 5)
  --quiet               no progress on stderr
Filtered copies (written in the input's format):
  --drop KINDS          leave out refusals, partial, disclaimers, phrases (comma-separated)
  --only KINDS          keep only those
  --level L             message (default: cut the conversation at the flagged turn) or conversation (whole rows)
  --out PATH            the copy (one input), or a directory for several inputs (same file names)
Measuring:
  --phrases FILE        also flag your own phrases (one per line), e.g. an 'unfiltered' dataset's filter list
  --labels FILE         JSONL of {"row", "turn", "label"} human refusal labels: precision, recall and agreement
                        of the judge and of a plain phrase filter, side by side
  --workers N           judge threads (default: one per core but one, 0 = in the main thread)
  --judge-all           run the judge on every message (by default long answers with none of the judge's
                        refusal, rebuttal, disclaimer or redirect phrases pass without it; several times slower)

Exit codes: 0 done, 1 failure, 2 bad flag or malformed input (file:line named), 130 interrupted.`;

function flagKinds(raw: string, flag: string): Set<FlagKind> {
  const kinds = stringList(raw);
  for (const kind of kinds) {
    if (!(FLAG_KINDS as readonly string[]).includes(kind)) throw new ConfigError(`unknown kind '${kind}' (use ${FLAG_KINDS.join(', ')})`, { field: flag });
  }
  if (kinds.length === 0) throw new ConfigError(`name what to ${flag === '--drop' ? 'drop' : 'keep'}: ${FLAG_KINDS.join(', ')}`, { field: flag });
  return new Set(kinds as FlagKind[]);
}

function copyOutputs(out: string, files: string[], cwd: string): string[] {
  const target = resolve(cwd, out);
  const isDirectory = existsSync(target) && statSync(target).isDirectory();
  if (files.length > 1 && !isDirectory) throw new ConfigError('several inputs need --out DIR (an existing directory)', { field: '--out' });
  const outputs = isDirectory ? files.map((file) => join(target, basename(file))) : [target];
  for (const [index, output] of outputs.entries()) {
    if (resolve(output) === resolve(files[index]!)) throw new ConfigError(`the copy would overwrite its input ${files[index]}`, { field: '--out' });
  }
  return outputs;
}

function progressPrinter(io: CliIO, quiet: boolean): (event: AuditEvent) => void {
  let lastPlain = 0;
  return (event) => {
    if (event.type === 'skipped') {
      writeLine(io.stderr, `warning: skipped ${event.file}:${event.line ?? `row ${event.row}`}: ${event.reason}`);
      return;
    }
    if (quiet) return;
    if (event.type === 'file') {
      writeLine(io.stderr, `auditing ${event.file} (${event.layout} rows in ${event.container === 'json' ? 'a JSON array' : event.container})`);
      return;
    }
    const fraction = event.totalBytes === 0 ? 1 : event.bytesRead / event.totalBytes;
    const rate = event.elapsedMs > 0 ? event.bytesRead / 1e6 / (event.elapsedMs / 1000) : 0;
    const line = `  ${(fraction * 100).toFixed(1)}% of ${(event.totalBytes / 1e6).toFixed(1)} MB, ${event.rows} rows, ${event.messages} messages, ${rate.toFixed(1)} MB/s`;
    if (io.stderr.isTTY) {
      writeTerminalControl(io.stderr, '\r\u001b[2K');
      io.stderr.write(line);
    }
    else if (Date.now() - lastPlain >= 10_000 || fraction >= 1) {
      lastPlain = Date.now();
      writeLine(io.stderr, line);
    }
    if (io.stderr.isTTY && fraction >= 1) io.stderr.write('\n');
  };
}

export const auditCommand = defineCommand({
  name: 'audit',
  summary: 'Audit a training dataset for refusals and AI disclaimers; write filtered copies',
  usage: USAGE,
  options: {
    format: { type: 'string', default: 'auto' },
    map: { type: 'string', multiple: true },
    lenient: { type: 'boolean' },
    json: { type: 'boolean' },
    'verdicts-out': { type: 'string' },
    examples: { type: 'string' },
    quiet: { type: 'boolean' },
    drop: { type: 'string' },
    only: { type: 'string' },
    level: { type: 'string', default: 'message' },
    out: { type: 'string' },
    phrases: { type: 'string' },
    labels: { type: 'string' },
    workers: { type: 'string' },
    'judge-all': { type: 'boolean' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length === 0) throw new ConfigError('audit needs at least one FILE');
    const format = values.format as string;
    if (!(AUDIT_FORMATS as readonly string[]).includes(format)) throw new ConfigError(`unknown format '${format}' (use ${AUDIT_FORMATS.join(', ')})`, { field: '--format' });
    const level = values.level as string;
    if (level !== 'message' && level !== 'conversation') throw new ConfigError(`unknown level '${level}' (use message or conversation)`, { field: '--level' });
    const files = positionals.map((file) => resolve(io.cwd, file));
    if (values.drop !== undefined && values.only !== undefined) throw new ConfigError('use --drop or --only, not both', { field: '--only' });
    const filter = values.drop !== undefined ? { mode: 'drop' as const, kinds: flagKinds(values.drop as string, '--drop') } : values.only !== undefined ? { mode: 'only' as const, kinds: flagKinds(values.only as string, '--only') } : undefined;
    if (filter !== undefined && values.out === undefined) throw new ConfigError(`--${filter.mode} writes a filtered copy: pass --out PATH`, { field: '--out' });
    if (filter === undefined && values.out !== undefined) throw new ConfigError('--out names the filtered copy: pass --drop KINDS or --only KINDS', { field: '--out' });
    const userPhrases = values.phrases === undefined ? [] : readPhraseFile(resolve(io.cwd, values.phrases as string));
    if (filter?.kinds.has('phrases') && userPhrases.length === 0) throw new ConfigError("'phrases' needs --phrases FILE", { field: filter.mode === 'drop' ? '--drop' : '--only' });
    const { fields, mapped } = parseFieldMap((values.map as string[] | undefined) ?? []);
    const workers = numberFlag(values, 'workers', { integer: true }) ?? defaultWorkerCount();
    if (workers < 0 || workers > 64) throw new ConfigError('expected 0 to 64 worker threads', { field: '--workers' });
    const result = await runAudit({
      files,
      format: format as AuditFormat,
      fields,
      mapped,
      lenient: values.lenient === true,
      userPhrases,
      workers,
      judgeAll: values['judge-all'] === true,
      examples: numberFlag(values, 'examples', { integer: true }),
      verdictsOut: values['verdicts-out'] === undefined ? undefined : resolve(io.cwd, values['verdicts-out'] as string),
      copy: filter === undefined ? undefined : { ...filter, level, outputs: copyOutputs(values.out as string, files, io.cwd) },
      labels: values.labels === undefined ? undefined : readLabels(resolve(io.cwd, values.labels as string)),
      signal: io.signal,
      onEvent: progressPrinter(io, values.quiet === true || values.json === true),
    });
    if (values.json === true) writeLine(io.stdout, JSON.stringify({ ...result.summary, copy: result.copy, labels: result.labels, interrupted: result.interrupted }, null, 2));
    else writeLine(io.stdout, formatAudit(result));
    return result.interrupted ? 130 : 0;
  },
});
