import type { LabelValues } from '../db/labels.js';

/**
 * Label answers from a form (`harmful=yes|no`) or a JSON body (`harmful: true|false`), unchecked: `checkAnswers`
 * validates them against the task's questions.
 *
 * @example
 * labelInput({ outcome: 'refusal', harmful: 'no' }) // { outcome: 'refusal', harmful: false, hazard: undefined }
 */
export function labelInput(body: Record<string, unknown>): Partial<LabelValues> {
  const harmful = body.harmful;
  return {
    outcome: typeof body.outcome === 'string' ? (body.outcome as LabelValues['outcome']) : undefined,
    harmful: harmful === true || harmful === 'yes' || harmful === 'true' ? true : harmful === false || harmful === 'no' || harmful === 'false' ? false : undefined,
    hazard: typeof body.hazard === 'string' && body.hazard !== '' ? body.hazard : undefined,
  };
}
