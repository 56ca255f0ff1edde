import { z } from 'zod';
import { ConfigError } from '../spec/errors.js';
import { SamplingParamsSchema } from '../spec/target.js';

const common = {
  /** The model whose answers are revised or compared: a target spec (`sim`, `openai:base-url=…,model=…`). */
  target: z.string().trim().min(1),
  /** Judge of every answer (harm before and after, the helpfulness guard): a judge spec, `refusal` by default. */
  judge: z.string().trim().min(1).default('refusal'),
  /** Seeds the sampled principles (and orders). */
  seed: z.number().int().min(0).default(0),
  /** A constitution file (default: redcard's, data/cai/constitution.yaml). */
  constitution: z.string().trim().min(1).optional(),
  /** Units in flight at most (each model's own concurrency and rpm limits apply too). */
  concurrency: z.number().int().min(1).max(1024).default(8),
  /** Sampling parameters of the target's (and critic's) requests. */
  params: SamplingParamsSchema.default({}),
  /** Use the response cache. */
  cache: z.boolean().default(true),
  /** Only the first N units of the plan. */
  limit: z.number().int().min(1).optional(),
  /** Skip malformed dataset rows (counted) instead of stopping. */
  lenient: z.boolean().default(false),
};

/** Settings of `redcard cai revise` (docs/cai.md). */
export const CaiReviseSettingsSchema = z
  .object({
    ...common,
    /** The critic (critiques and revisions): a target spec; the target itself when absent. */
    critic: z.string().trim().min(1).optional(),
    /** A red-team run whose failures are revised (their recorded answers reused). */
    from: z.string().trim().min(1).optional(),
    /** Suites whose prompts are answered and revised (`hh-rlhf:FILE`, `core`). */
    suites: z.array(z.string().trim().min(1)).default([]),
    /** With `from`: add the failures' benign twins (the helpfulness guard's probes). */
    includeBenign: z.boolean().default(false),
    /** Critique-and-revision rounds per prompt. */
    revisions: z.number().int().min(1).max(16).default(1),
  })
  .strict()
  .superRefine((settings, context) => {
    if ((settings.from === undefined) === (settings.suites.length === 0)) {
      context.addIssue({ code: 'custom', path: ['from'], message: 'give either --from RUN (a red-team run whose failures are revised) or --suite SPEC (prompts to answer and revise), not both' });
    }
  });
export type CaiReviseSettings = z.infer<typeof CaiReviseSettingsSchema>;

/** Settings of `redcard cai prefs` (docs/cai.md). */
export const CaiPrefsSettingsSchema = z
  .object({
    ...common,
    /** The feedback model (multiple-choice preference labels): a target spec; the target itself when absent. */
    feedback: z.string().trim().min(1).optional(),
    /** A red-team run (two samples of the target per failure), a CAI revise run, or a `cai revise --out` directory (initial versus revision). */
    from: z.string().trim().min(1),
    /** With a red-team run: add the failures' benign twins. */
    includeBenign: z.boolean().default(false),
    /** Preference principles per pair; the soft label averages them. */
    principlesPerPair: z.number().int().min(1).max(32).default(1),
    /** `both`: every principle asked with the answers in both orders; `random`: one seeded order each (recorded). */
    position: z.enum(['both', 'random']).default('both'),
    /** top_logprobs asked of the feedback model for the soft label (0: parse the letter only). */
    topLogprobs: z.number().int().min(0).max(20).default(5),
  })
  .strict();
export type CaiPrefsSettings = z.infer<typeof CaiPrefsSettingsSchema>;

/**
 * Validate CAI settings (from flags): a bad value is a ConfigError naming the flag.
 *
 * @example
 * resolveCaiSettings(CaiReviseSettingsSchema, { target: 'sim', suites: ['core'], revisions: 2 })
 */
export function resolveCaiSettings<Schema extends z.ZodType>(schema: Schema, flags: Record<string, unknown>): z.infer<Schema> {
  const values = Object.fromEntries(Object.entries(flags).filter(([, value]) => value !== undefined));
  const parsed = schema.safeParse(values);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const path = issue.path.filter((part): part is string | number => typeof part !== 'symbol').map(String);
  const field = issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : path[0] === 'suites' ? 'suite' : path.join('.');
  const flag = field.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
  throw new ConfigError(issue.message, { field: flag ? `--${flag}` : undefined });
}
