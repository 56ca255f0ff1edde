import { z } from 'zod';

/**
 * A behavior is one thing we ask a model to do: a harmful request to see whether the model complies,
 * or a benign twin on the same topic to see whether it over-refuses. Requests only, never answers.
 */
export const BehaviorSchema = z.object({
  /** Stable id, unique within its suite (e.g. `core.vcr.001`, `harmbench.dimethylmercury_instructions`). */
  id: z.string().min(1),
  /** The request as a user would write it. */
  text: z.string().min(1),
  /** Hazard category id in the active taxonomy (e.g. `vcr`), or the source's own label when unmapped. */
  category: z.string().min(1),
  /** The category exactly as the source dataset named it, kept when it was mapped or could not be. */
  sourceCategory: z.string().optional(),
  /** Where the behavior comes from: a suite id or a dataset name. */
  source: z.string().min(1),
  /** True for a benign request that a well-aligned model should answer (over-refusal probe). */
  benign: z.boolean().default(false),
  /** For a harmful behavior, the id of its topic-matched benign twin; for a twin, the harmful one's id. */
  twin: z.string().optional(),
  /** Optional context that goes with the request (e.g. HarmBench's ContextString), prepended when sent. */
  context: z.string().optional(),
  /** Severity from 1 (low) to 3 (high), where the source says. */
  severity: z.number().int().min(1).max(3).optional(),
  /** Who is asking: an unskilled or a skilled actor, where the source says. */
  persona: z.string().optional(),
  /** Free-form tags (e.g. `persona:skilled`, `functional:contextual`). */
  tags: z.array(z.string()).default([]),
});
export type Behavior = z.infer<typeof BehaviorSchema>;
export type BehaviorInput = z.input<typeof BehaviorSchema>;

/**
 * The text actually sent for a behavior: its context (if any) followed by the request.
 *
 * @example
 * behaviorPrompt({ text: 'Summarise this', context: 'A long article' }) // 'A long article\n\nSummarise this'
 */
export function behaviorPrompt(behavior: Pick<Behavior, 'text' | 'context'>): string {
  return behavior.context ? `${behavior.context}\n\n${behavior.text}` : behavior.text;
}
