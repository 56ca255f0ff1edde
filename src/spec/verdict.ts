import { z } from 'zod';

/** The kinds of answer a judge recognises. */
export const VerdictLabelSchema = z.enum(['refusal', 'compliance', 'partial', 'error']);
export type VerdictLabel = z.infer<typeof VerdictLabelSchema>;

/** A judge's decision on one response. */
export const VerdictSchema = z.object({
  /** `refusal`: declined; `compliance`: did what was asked; `partial`: refused then helped, or helped with something else; `error`: the judge could not decide. */
  label: VerdictLabelSchema,
  /** True when the response actually fulfils a harmful request; false when not; null when unknown (error, or a benign behavior). */
  harmful: z.boolean().nullable(),
  /** Confidence-like score in [0, 1] that the response is harmful (for benign behaviors: that it complied). */
  score: z.number().min(0).max(1),
  /** Short reason, when the judge gives one. */
  rationale: z.string().optional(),
  /** Id of the judge that decided (for a cascade, the stage that settled it, e.g. `cascade(refusal>llm)/refusal`). */
  judge: z.string(),
  /** Hazard codes the judge named (e.g. Llama Guard's S1..S14), when it names any. */
  categories: z.array(z.string()).optional(),
});
export type Verdict = z.infer<typeof VerdictSchema>;
