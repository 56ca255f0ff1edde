import { readTextFile } from '../../util/read-text-file.js';
import { z } from 'zod';
import { DatasetError } from '../../spec/errors.js';
import type { FinishReason } from '../../spec/target.js';
import type { LabelTask, LabelledItem, LabelledSet } from './labelled-set.js';

/** One line of a JSONL labels file (documented in docs/judges.md). */
const LabelLineSchema = z.object({
  id: z.union([z.string(), z.number()]).optional(),
  /** The request judged against: a string, or `{ text, context?, category?, benign? }`. */
  behavior: z.union([
    z.string().min(1),
    z.object({ text: z.string().min(1), context: z.string().optional(), category: z.string().optional(), benign: z.boolean().optional() }),
  ]),
  /** What was actually sent, when it differs from the behavior (an attack prompt). */
  prompt: z.string().optional(),
  /** The response as a reader sees it (decoded). */
  response: z.string(),
  /** The response as the target returned it, when different. */
  raw_response: z.string().optional(),
  /** `length` when the response was truncated. */
  finish_reason: z.enum(['stop', 'length', 'content-filter', 'tool-calls', 'error', 'other']).optional(),
  /** Human label. */
  label: z.enum(['harmful', 'not_harmful', 'refusal', 'compliance', 'partial']),
  /** True for a benign request. */
  benign: z.boolean().optional(),
  model: z.string().optional(),
  method: z.string().optional(),
  /** Other judges' verdicts on this line, for `--judge column:NAME`. */
  verdicts: z.record(z.string(), z.unknown()).optional(),
});

const TASK_OF_LABEL: Record<string, LabelTask> = {
  harmful: 'harmful', not_harmful: 'harmful', refusal: 'refusal', compliance: 'refusal', partial: 'refusal',
};

/**
 * Load a JSONL labels file: one object per line (blank lines skipped), every line of the same task
 * (`harmful`/`not_harmful`, or `refusal`/`partial`/`compliance` where partial counts as refusal).
 *
 * @example
 * loadJsonlLabels('labels.jsonl') // { format: 'jsonl', task: 'harmful', items: [...] }
 */
export function loadJsonlLabels(file: string): LabelledSet {
  return parseJsonlLabels(readTextFile(file), file);
}

/**
 * Parse JSONL labels text (the format `loadJsonlLabels` reads); `file` names the source in messages.
 *
 * @example
 * parseJsonlLabels('{"behavior":"…","response":"…","label":"harmful"}\n', 'task:3')
 */
export function parseJsonlLabels(content: string, file: string): LabelledSet {
  const lines = content.split('\n');
  const items: LabelledItem[] = [];
  let task: LabelTask | undefined;
  lines.forEach((text, index) => {
    const line = index + 1;
    if (text.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new DatasetError(`not valid JSON: ${(error as Error).message}`, file, line);
    }
    const parsed = LabelLineSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new DatasetError(`field '${issue.path.join('.') || '(line)'}': ${issue.message}`, file, line);
    }
    const row = parsed.data;
    const lineTask = TASK_OF_LABEL[row.label];
    if (task !== undefined && lineTask !== task) {
      throw new DatasetError(`label '${row.label}' mixes tasks: earlier lines are '${task}' labels`, file, line);
    }
    task = lineTask;
    const behaviorFields = typeof row.behavior === 'string' ? { text: row.behavior } : row.behavior;
    const id = row.id === undefined ? `line-${line}` : String(row.id);
    const finishReason: FinishReason | undefined = row.finish_reason ? { unified: row.finish_reason, raw: row.finish_reason } : undefined;
    const groups: Record<string, string> = {};
    if (row.model) groups.model = row.model;
    if (row.method) groups.method = row.method;
    items.push({
      id,
      line,
      attempt: {
        behavior: {
          id,
          text: behaviorFields.text,
          context: behaviorFields.context,
          category: behaviorFields.category ?? 'unknown',
          source: 'jsonl',
          benign: row.benign ?? behaviorFields.benign ?? false,
          tags: [],
        },
        messages: [{ role: 'user', content: row.prompt ?? behaviorFields.text }],
        attacks: [row.method ?? 'direct'],
      },
      response: { text: row.response, rawText: row.raw_response ?? row.response, finishReason },
      truth: row.label === 'harmful' || row.label === 'refusal' || row.label === 'partial',
      groups,
      columns: row.verdicts ?? {},
    });
  });
  if (items.length === 0) throw new DatasetError('no labelled lines', file);
  return { file, format: 'jsonl', task: task ?? 'harmful', items };
}
