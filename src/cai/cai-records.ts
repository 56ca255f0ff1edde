import { z } from 'zod';
import { RoleAccountingSchema } from '../spec/attempt.js';
import { RedcardError } from '../spec/errors.js';
import { ModelRoleSchema } from '../spec/strategy.js';
import { FinishReasonSchema, UsageSchema } from '../spec/target.js';
import { VerdictSchema } from '../spec/verdict.js';
import { RUN_ID_PATTERN } from '../util/safe-path.js';

/**
 * Version of the CAI records (runs, steps, items, pairs). Changing a field bumps it; docs/cai.md ("Records") lists the
 * history. Records are checked on read: a newer version is refused with a message, not misread.
 */
export const CAI_RECORD_VERSION = 1;

/** What a CAI run makes: critique-and-revision data (`revise`) or AI-feedback preference pairs (`prefs`). */
export const CaiRunKindSchema = z.enum(['revise', 'prefs']);
export type CaiRunKind = z.infer<typeof CaiRunKindSchema>;

/** A model taking part in a CAI run, as recorded (never secrets). */
export const CaiModelSchema = z.object({
  /** Role: `target` (the answering model), `critic` (critiques and revisions), `feedback` (preference labels). */
  role: ModelRoleSchema,
  /** The target spec it was built from (`sim`, `openai:base-url=…,model=…`). */
  spec: z.string(),
  label: z.string(),
  /** Cache identity. */
  identity: z.string(),
  simulated: z.boolean(),
});
export type CaiModel = z.infer<typeof CaiModelSchema>;

/** Where the prompts of a CAI run come from. */
export const CaiSourceSchema = z.discriminatedUnion('kind', [
  /** A red-team run's attempts: those judged harmful (and, with `includeBenign`, their benign twins). */
  z.object({ kind: z.literal('run'), runId: z.string(), includeBenign: z.boolean() }),
  /** Suite specs (`hh-rlhf:FILE`, `core`). */
  z.object({ kind: z.literal('suite'), suites: z.array(z.string()) }),
  /** A finished `cai revise` run: its items' initial answers against their final revisions. */
  z.object({ kind: z.literal('cai-revise'), runId: z.string() }),
]);
export type CaiSource = z.infer<typeof CaiSourceSchema>;

/** A CAI run: what it was asked to do, with which models and constitution, and how far it got. */
export const CaiRunRecordSchema = z.object({
  schemaVersion: z.number().int(),
  /** `cai-YYYYMMDD-HHMMSS-xxxxxx`; checked like run ids (it names files). */
  id: z.string().regex(RUN_ID_PATTERN),
  kind: CaiRunKindSchema,
  /** Hash of everything that defines the plan: an identical command resumes the same run. */
  configHash: z.string(),
  status: z.enum(['running', 'interrupted', 'completed']),
  createdAt: z.string(),
  updatedAt: z.string(),
  tool: z.object({ name: z.string(), version: z.string() }),
  source: CaiSourceSchema,
  /** Licence of the source prompts, when known (hh-rlhf: MIT), for the dataset card. */
  sourceLicence: z.string().optional(),
  /** The constitution used: name, file, content hash, cited source, and how many principles of each kind it has. */
  constitution: z.object({
    name: z.string(),
    file: z.string(),
    hash: z.string(),
    reference: z.string().optional(),
    principles: z.number().int().min(0),
    preferences: z.number().int().min(0),
  }),
  models: z.array(CaiModelSchema),
  /** Roles played by simulated models; the dataset card and report say SIMULATED when non-empty. */
  simulatedRoles: z.array(z.string()),
  /** Items (revise) or pairs (prefs) planned. */
  planned: z.number().int().min(0),
  /** Milliseconds spent working the run, summed over sessions. */
  wallTimeMs: z.number().min(0),
  /** The settings as resolved (seed, rounds, judge, position handling, …), so that a resumed run is rebuilt the same. */
  settings: z.record(z.string(), z.unknown()),
});
export type CaiRunRecord = z.infer<typeof CaiRunRecordSchema>;

/** The stages of the loop; each model call is one step. */
export const CaiStageSchema = z.enum(['initial', 'critique', 'revision', 'sample', 'feedback']);
export type CaiStage = z.infer<typeof CaiStageSchema>;

/** How a feedback step's preference was read. */
export const LabelSourceSchema = z.enum(['logprobs', 'parsed-letter', 'unparsed']);
export type LabelSource = z.infer<typeof LabelSourceSchema>;

/**
 * One model call of the loop, committed as soon as it returns (its own transaction), so that a killed run resumes
 * without asking again. `index` orders the steps of an item; a resumed item replays its recorded steps by index.
 */
export const CaiStepSchema = z.object({
  schemaVersion: z.number().int(),
  runId: z.string(),
  /** Item (revise) or pair (prefs) key. */
  itemKey: z.string(),
  index: z.number().int().min(0),
  stage: CaiStageSchema,
  /** Revision round (1-based) for critique and revision steps. */
  round: z.number().int().min(1).optional(),
  /** Principle id the step was asked under (critique, revision, feedback). */
  principle: z.string().optional(),
  role: ModelRoleSchema,
  /** The model's label. */
  model: z.string(),
  /** The request's last user turn as sent (few-shot turns and earlier history are rebuilt from the run's framing). */
  prompt: z.string(),
  /** The reply as the model gave it. */
  text: z.string(),
  /** The reply as used: the format prefix (`Critique:`, `Revision:`) removed, the letter for a feedback step. */
  content: z.string(),
  finishReason: FinishReasonSchema,
  usage: UsageSchema,
  /** Wall time of the call, milliseconds (0 when answered from the cache). */
  wallTimeMs: z.number().min(0),
  /** `model` (sent), `cache` (the response cache answered), `recorded` (reused from the red-team run's attempt). */
  source: z.enum(['model', 'cache', 'recorded']),
  /** Feedback steps: the order the two answers were shown in (`AB`: answer 0 as (A)). */
  order: z.enum(['AB', 'BA']).optional(),
  /** Feedback steps: probability that the model chose (A) over (B), from the choice tokens' log-probabilities. */
  probabilityA: z.number().min(0).max(1).nullable().optional(),
  /** Feedback steps: how the choice was read. */
  labelSource: LabelSourceSchema.optional(),
  finishedAt: z.string(),
});
export type CaiStep = z.infer<typeof CaiStepSchema>;

/** An answer with the judge's verdict on it (the guard and the before/after harm rates read these). */
export const JudgedAnswerSchema = z.object({
  text: z.string(),
  verdict: VerdictSchema.nullable(),
});
export type JudgedAnswer = z.infer<typeof JudgedAnswerSchema>;

/** Why an item or pair is left out of the training files. */
export const GuardReasonSchema = z.enum([
  /** The revision (prefs: the chosen answer) refused or half-refused a benign request: training on it teaches over-refusal. */
  'benign-refused',
  /** The revision (prefs: the chosen answer) of a harmful request is still judged harmful. */
  'still-harmful',
  /** The revision is empty. */
  'empty',
  /** A step failed (see `error`). */
  'error',
  /** The feedback model found the two answers equally good (prefs). */
  'tie',
  /** No judgment of the pair could be read (prefs). */
  'unlabelled',
]);
export type GuardReason = z.infer<typeof GuardReasonSchema>;

/** Common fields of revise items and prefs pairs. */
const CaiUnitBase = {
  schemaVersion: z.number().int(),
  runId: z.string(),
  key: z.string(),
  /** Position in the run's plan. */
  index: z.number().int().min(0),
  behavior: z.string(),
  category: z.string(),
  benign: z.boolean(),
  /** The user's request (the behavior's prompt as sent). */
  prompt: z.string(),
  /** Where the prompt (and a reused answer) came from: `RUN/ATTEMPT-KEY`, `SUITE-SPEC`, or `CAI-RUN/ITEM-KEY`. */
  origin: z.string(),
  /** Whether the unit goes into the training files, and why not. */
  guard: z.object({ usable: z.boolean(), reason: GuardReasonSchema.optional() }),
  error: z.object({ stage: z.string(), message: z.string() }).nullable(),
  /** Cost of the unit's calls per role (replayed steps count as they cost when first made). */
  accounting: RoleAccountingSchema,
  finishedAt: z.string(),
};

/** One revise item: the initial answer and each round's critique and revision, judged. */
export const CaiItemSchema = z.object({
  ...CaiUnitBase,
  initial: JudgedAnswerSchema.extend({ source: z.enum(['model', 'cache', 'recorded']) }),
  rounds: z.array(
    z.object({
      round: z.number().int().min(1),
      principle: z.string(),
      critiqueRequest: z.string(),
      critique: z.string(),
      revisionRequest: z.string(),
      revision: JudgedAnswerSchema,
    }),
  ),
});
export type CaiItem = z.infer<typeof CaiItemSchema>;

/** One feedback judgment of a pair: a principle, an order, and what the model chose. */
export const JudgmentSchema = z.object({
  principle: z.string(),
  order: z.enum(['AB', 'BA']),
  /** The letter it chose (parsed from its reply), or null. */
  letter: z.string().nullable(),
  /** Probability that answer 0 is the better one under this judgment (order undone), or null when unreadable. */
  probabilityFirst: z.number().min(0).max(1).nullable(),
  labelSource: LabelSourceSchema,
});
export type Judgment = z.infer<typeof JudgmentSchema>;

/** One prefs pair: two answers, the judgments, the soft label and the answer chosen. */
export const CaiPairSchema = z.object({
  ...CaiUnitBase,
  answers: z.tuple([
    JudgedAnswerSchema.extend({ origin: z.string() }),
    JudgedAnswerSchema.extend({ origin: z.string() }),
  ]),
  judgments: z.array(JudgmentSchema),
  /** Mean of the judgments' `probabilityFirst`: the soft label that answer 0 is better; null when none was readable. */
  preference: z.number().min(0).max(1).nullable(),
  /** `logprobs` when every readable judgment came from log-probabilities, `parsed-letter` when all from letters, else `mixed`. */
  labelSource: z.enum(['logprobs', 'parsed-letter', 'mixed', 'none']),
  /** Index of the chosen answer, or null (tie, unreadable, or dropped). */
  chosen: z.union([z.literal(0), z.literal(1)]).nullable(),
});
export type CaiPair = z.infer<typeof CaiPairSchema>;

/**
 * A record read back: the version is checked before the shape, so that a newer record is named, not misparsed.
 *
 * @example
 * const item = checkCaiRecord(CaiItemSchema, JSON.parse(row.record), `${store.path} (cai_items, ${runId}/${key})`);
 */
export function checkCaiRecord<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const version = (value as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version === 'number' && version > CAI_RECORD_VERSION) {
    throw new CaiRecordError(`${where} was written by a newer redcard (CAI record version ${version}, this one reads ${CAI_RECORD_VERSION}); upgrade redcard`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CaiRecordError(`${where} is damaged: ${issue.path.join('.') || 'record'}: ${issue.message}`);
  }
  return parsed.data;
}

/** A stored CAI record that cannot be read (newer version, damaged). */
export class CaiRecordError extends RedcardError {
  constructor(message: string) {
    super('cai-record', message);
    this.name = 'CaiRecordError';
  }
}
