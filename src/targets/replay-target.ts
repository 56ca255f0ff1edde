import { existsSync } from 'node:fs';
import { readTextFile } from '../util/read-text-file.js';
import { resolve } from 'node:path';
import { z } from 'zod';
import type { GenerateRequest, GenerateResponse, Target } from '../spec/target.js';
import { defineTargetKind, type TargetConfig } from '../spec/target-config.js';
import { lastUserText } from '../spec/message.js';
import { ConfigError, DatasetError, TargetError } from '../spec/errors.js';
import { mapFinishReason } from './finish-reason.js';
import { stableIdentity } from './stable-identity.js';

/** One recorded answer. Found by `behavior` + `attack` (+ `sample`) or by `prompt` (the last user message). */
const ReplayRowSchema = z
  .object({
    behavior: z.string().min(1).optional(),
    attack: z.string().min(1).optional(),
    sample: z.number().int().min(0).optional(),
    prompt: z.string().optional(),
    response: z.string().nullable(),
    finish_reason: z.string().nullable().optional(),
  })
  .refine((row) => (row.behavior !== undefined && row.attack !== undefined) || row.prompt !== undefined, {
    message: "a row needs 'behavior' and 'attack', or 'prompt'",
  });
type ReplayRow = z.infer<typeof ReplayRowSchema>;

/**
 * A line of redcard's own attempts.jsonl (`response: {text, finishReason}`) read as a replay row, so a recorded run
 * can be judged again with another judge: `--target replay:file=out/attempts.jsonl`. Errored attempts have no answer.
 */
function fromAttemptLine(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || !('runId' in raw)) return raw;
  if ((raw as { response?: unknown }).response === null) return null;
  const attempt = raw as { behavior?: unknown; attack?: unknown; sample?: unknown; response?: { text?: unknown; finishReason?: { raw?: unknown } } | null };
  return {
    behavior: attempt.behavior,
    attack: attempt.attack,
    sample: attempt.sample,
    response: attempt.response?.text ?? null,
    finish_reason: attempt.response?.finishReason?.raw ?? null,
  };
}

const ANY_SAMPLE = '*';
const contextKey = (behavior: string, attack: string, sample: number | string): string => `${behavior}\u0000${attack}\u0000${sample}`;
const promptKey = (prompt: string, sample: number | string): string => `${prompt}\u0000${sample}`;

/**
 * Read a replay file into lookup maps. Rows without `sample` answer every sample; the first row for a key wins.
 *
 * @example
 * const rows = readReplayFile('recorded.jsonl');
 */
export function readReplayFile(file: string): { byContext: Map<string, ReplayRow>; byPrompt: Map<string, ReplayRow> } {
  const byContext = new Map<string, ReplayRow>();
  const byPrompt = new Map<string, ReplayRow>();
  const lines = readTextFile(file).split('\n');
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (error) {
      throw new DatasetError(`not a JSON line: ${(error as Error).message}`, file, index + 1);
    }
    const candidate = fromAttemptLine(raw);
    if (candidate === null) continue; // an errored attempt recorded no answer
    const parsed = ReplayRowSchema.safeParse(candidate);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new DatasetError(`${issue.path.length > 0 ? `field '${issue.path.join('.')}': ` : ''}${issue.message}`, file, index + 1);
    }
    const row = parsed.data;
    const sample = row.sample ?? ANY_SAMPLE;
    if (row.behavior !== undefined && row.attack !== undefined) {
      const key = contextKey(row.behavior, row.attack, sample);
      if (!byContext.has(key)) byContext.set(key, row);
    }
    if (row.prompt !== undefined && !byPrompt.has(promptKey(row.prompt, sample))) byPrompt.set(promptKey(row.prompt, sample), row);
  }
  return { byContext, byPrompt };
}

/** Settings of the `replay` kind, beside the common ones. */
export const ReplayTargetSettingsSchema = z.object({
  /** Recorded responses file (JSONL: redcard's attempts.jsonl or rows of behavior/attack/prompt/response). */
  file: z.string().optional(),
});
export type ReplayTargetConfig = TargetConfig<z.infer<typeof ReplayTargetSettingsSchema>>;

/**
 * Build a target that answers from recorded responses (re-judging a run, or testing without a server).
 *
 * @example
 * const target = createReplayTarget(parseTargetConfig({ kind: 'replay', file: 'recorded.jsonl' }) as ReplayTargetConfig);
 */
export function createReplayTarget(config: ReplayTargetConfig, cwd = process.cwd()): Target {
  if (config.file === undefined) {
    throw new ConfigError("the replay target needs a file ('replay:PATH' or 'replay:file=PATH')", { field: 'target.file' });
  }
  const file = resolve(cwd, config.file);
  if (!existsSync(file)) throw new ConfigError(`replay file not found: ${file}`, { field: 'target.file' });
  const { byContext, byPrompt } = readReplayFile(file);
  const find = (request: GenerateRequest): ReplayRow | undefined => {
    const sample = request.sample ?? 0;
    const context = request.context;
    if (context !== undefined) {
      const row = byContext.get(contextKey(context.behaviorId, context.attack, sample)) ?? byContext.get(contextKey(context.behaviorId, context.attack, ANY_SAMPLE));
      if (row) return row;
    }
    const prompt = lastUserText(request.messages);
    return byPrompt.get(promptKey(prompt, sample)) ?? byPrompt.get(promptKey(prompt, ANY_SAMPLE));
  };
  return {
    kind: 'replay',
    label: `replay:${config.file}`,
    identity: stableIdentity({ kind: 'replay', file }),
    simulated: false,
    concurrency: config.concurrency,
    async generate(request: GenerateRequest): Promise<GenerateResponse> {
      const row = find(request);
      if (row === undefined) {
        const what = [
          request.context ? `behavior '${request.context.behaviorId}', attack '${request.context.attack}'` : undefined,
          `sample ${request.sample ?? 0}`,
          `prompt '${lastUserText(request.messages).slice(0, 80)}'`,
        ].filter(Boolean);
        throw new TargetError(`replay ${config.file}: no recorded answer for ${what.join(', ')}`, { retryable: false, tries: 1 });
      }
      return {
        text: row.response ?? '',
        finishReason: row.finish_reason === undefined ? { unified: 'stop', raw: null } : mapFinishReason(row.finish_reason),
        usage: { promptTokens: null, completionTokens: null },
        latencyMs: 0,
      };
    },
  };
}

/** The `replay` target kind. */
export const replayTargetKind = defineTargetKind({
  kind: 'replay',
  description: 'Answers from a JSONL file of recorded responses, found by behavior + attack or by prompt text.',
  settings: ReplayTargetSettingsSchema,
  specKeys: { file: { field: 'file', type: 'string' } },
  positionalField: 'file',
  create: (config) => createReplayTarget(config),
});
