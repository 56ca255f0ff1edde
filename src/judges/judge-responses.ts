import { createHash } from 'node:crypto';
import { readTextLines } from '../util/read-text-file.js';
import { z } from 'zod';
import type { Judge, JudgedAttempt, JudgeStats } from '../spec/judge.js';
import type { Verdict } from '../spec/verdict.js';
import type { CacheStore } from '../store/store-api.js';
import { AbortedError, DatasetError } from '../spec/errors.js';

/** One input row of `redcard judge --in`: a response to judge and what it answered. Extra fields are ignored. */
export const JudgeInputRowSchema = z.object({
  /** Row id, copied to the output. */
  id: z.union([z.string().min(1), z.number()]).transform(String),
  /** The harmful request or goal the response is judged against. */
  behavior: z.string().min(1),
  /** What was actually sent (e.g. the attack-wrapped prompt), when it differs from the behavior. */
  prompt: z.string().optional(),
  /** The response to judge. */
  response: z.string(),
  /** True for a benign request (over-refusal probe). */
  benign: z.boolean().optional(),
  /** Hazard category, passed to the judge as the behavior's category. */
  category: z.string().optional(),
});
export type JudgeInputRow = z.infer<typeof JudgeInputRowSchema>;

/** One output row of `redcard judge --out`. */
export interface JudgeOutputRow {
  id: string;
  label: Verdict['label'];
  harmful: boolean | null;
  score: number;
  judge: string;
  rationale?: string;
  categories?: string[];
  /** The judge's reason code when it was not confident (then `harmful` is null for a harmful behavior). */
  undetermined?: string;
}

/** Totals at the end of a file. */
export interface JudgeResponsesSummary {
  rows: number;
  harmful: number;
  refusals: number;
  errors: number;
  /** Rows whose verdict is undetermined (never counted as not harmful). */
  undetermined: number;
  cacheHits: number;
  /** The judge's own counters (calls per cascade stage, unparseable replies…). */
  judgeStats: JudgeStats;
}

/** How to judge a file of responses. */
export interface JudgeResponsesOptions {
  /** JSONL file to read, line by line. */
  inputPath: string;
  judge: Judge;
  /** What makes two judges give the same verdict: the judge spec and the identities of the targets it uses. */
  judgeIdentity: string;
  /** Verdict cache; undefined to judge everything afresh. */
  cache?: CacheStore;
  /** Rows judged at once at most. */
  concurrency: number;
  /** Receives each output row, in input order, as soon as it and every row before it are done. */
  write(row: JudgeOutputRow): void;
  /** Called after each written row with the count so far. */
  onProgress?(done: number): void;
  signal?: AbortSignal;
}

/**
 * The verdict cache key of a response: hash of the judge identity, the behavior (and whether it is benign),
 * what was sent and the response.
 *
 * @example
 * verdictCacheKey('llm:sim|sim', { behavior: 'x', response: 'y' })
 */
export function verdictCacheKey(judgeIdentity: string, row: Pick<JudgeInputRow, 'behavior' | 'prompt' | 'response' | 'benign'>): string {
  const material = JSON.stringify(['verdict/v1', judgeIdentity, row.behavior, row.benign ?? false, row.prompt ?? null, row.response]);
  return createHash('sha256').update(material).digest('hex');
}

function attemptOf(row: JudgeInputRow): JudgedAttempt {
  return {
    behavior: { id: row.id, text: row.behavior, category: row.category ?? 'unknown', source: 'judge-input', benign: row.benign ?? false, tags: [] },
    messages: [{ role: 'user', content: row.prompt ?? row.behavior }],
    attacks: [],
  };
}

function parseRow(line: string, file: string, lineNumber: number): JudgeInputRow {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new DatasetError(`not valid JSON (${(error as Error).message})`, file, lineNumber);
  }
  const parsed = JudgeInputRowSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DatasetError(`field '${issue.path.join('.') || '(row)'}': ${issue.message}`, file, lineNumber);
  }
  return parsed.data;
}

/**
 * Judge every row of a JSONL file of responses, streaming: at most `concurrency` rows in flight, output written in
 * input order as it completes. A malformed line stops the run with a DatasetError naming file:line, after the rows
 * before it have been written. Verdicts are cached by {@link verdictCacheKey}; `error` verdicts are never cached,
 * so a later run tries them again.
 *
 * @example
 * await judgeResponses({ inputPath: 'responses.jsonl', judge, judgeIdentity, concurrency: 8, write: (row) => out.write(JSON.stringify(row) + '\n') })
 */
export async function judgeResponses(options: JudgeResponsesOptions): Promise<JudgeResponsesSummary> {
  const summary: JudgeResponsesSummary = { rows: 0, harmful: 0, refusals: 0, errors: 0, undetermined: 0, cacheHits: 0, judgeStats: {} };
  const pending: Array<Promise<JudgeOutputRow>> = [];
  const flushHead = async (): Promise<void> => {
    const row = await (pending.shift() as Promise<JudgeOutputRow>);
    summary.rows += 1;
    if (row.harmful === true) summary.harmful += 1;
    if (row.label === 'refusal') summary.refusals += 1;
    if (row.label === 'error') summary.errors += 1;
    if (row.undetermined !== undefined) summary.undetermined += 1;
    options.write(row);
    options.onProgress?.(summary.rows);
  };
  const judgeRow = async (row: JudgeInputRow): Promise<JudgeOutputRow> => {
    const key = verdictCacheKey(options.judgeIdentity, row);
    let verdict = options.cache?.getCachedVerdict(key);
    if (verdict !== undefined) summary.cacheHits += 1;
    else {
      verdict = await options.judge.judge(attemptOf(row), { text: row.response, rawText: row.response }, { signal: options.signal });
      if (verdict.label !== 'error') options.cache?.putCachedVerdict(key, verdict);
    }
    return {
      id: row.id,
      label: verdict.label,
      harmful: verdict.harmful,
      score: verdict.score,
      judge: verdict.judge,
      ...(verdict.rationale !== undefined ? { rationale: verdict.rationale } : {}),
      ...(verdict.categories !== undefined ? { categories: verdict.categories } : {}),
      ...(verdict.undetermined !== undefined ? { undetermined: verdict.undetermined } : {}),
    };
  };

  // Strict UTF-8, a bounded line length: a bad byte or a runaway line is a DatasetError at its line.
  const lines = readTextLines(options.inputPath);
  let stopping: unknown;
  try {
    for await (const { text: line, number: lineNumber } of lines) {
      if (options.signal?.aborted) throw new AbortedError();
      if (line.trim() === '') continue;
      pending.push(judgeRow(parseRow(line, options.inputPath, lineNumber)));
      // Attach a no-op handler so a rejection is not reported as unhandled before its turn comes.
      pending[pending.length - 1].catch(() => undefined);
      while (pending.length >= options.concurrency) await flushHead();
    }
  } catch (error) {
    stopping = error;
  } finally {
    await lines.return(undefined);
  }
  // Rows already started are finished and written even when the input stopped early, so their work is kept.
  try {
    while (pending.length > 0) await flushHead();
  } catch (error) {
    stopping ??= error;
  }
  if (stopping !== undefined) throw stopping;
  summary.judgeStats = options.judge.stats?.() ?? {};
  return summary;
}
