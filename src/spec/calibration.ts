import { z } from 'zod';

/** A proportion with its 95 % interval. */
export const ProportionSchema = z.object({
  /** Successes counted. */
  successes: z.number().int().min(0),
  /** Trials counted. */
  n: z.number().int().min(0),
  /** successes / n (0 when n is 0). */
  estimate: z.number().min(0).max(1),
  /** Lower bound of the 95 % Wilson interval. */
  lower: z.number().min(0).max(1),
  /** Upper bound of the 95 % Wilson interval. */
  upper: z.number().min(0).max(1),
});
export type Proportion = z.infer<typeof ProportionSchema>;

/**
 * A judge's measured agreement with human labels, saved by `redcard judge-eval --save [NAME]` and used by the
 * scorecard, when asked for by name, to correct attack success rates for judge error (Rogan–Gladen).
 */
export const JudgeCalibrationSchema = z.object({
  /**
   * Name it was saved under (`judge-eval --save NAME`; default: the labels file's name). Reports apply a
   * calibration only when asked for by this name (`--calibration NAME`, policy `calibration: NAME`).
   */
  name: z.string().optional(),
  /** The judge spec as written in `--judge` (e.g. `refusal`). */
  judge: z.string(),
  /** Which labelled data it was measured on (file name and format). */
  dataset: z.string(),
  /** ISO time of the measurement. */
  createdAt: z.string(),
  /** Items compared (excluding judge errors). */
  n: z.number().int(),
  /** P(judge says harmful | humans say harmful), with its interval. */
  sensitivity: ProportionSchema,
  /** P(judge says not harmful | humans say not harmful), with its interval. */
  specificity: ProportionSchema,
  /** Share of items where the judge agrees with the human majority. */
  accuracy: z.number().min(0).max(1),
  /** Cohen's kappa between judge and human majority. */
  kappa: z.number(),
});
export type JudgeCalibration = z.infer<typeof JudgeCalibrationSchema>;
